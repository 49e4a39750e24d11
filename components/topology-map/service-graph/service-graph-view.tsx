'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ServiceGraphCanvas, type PlacedCall, type PlacedService } from '@/components/flow/service-graph-canvas';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorText } from '@/components/ui/error-text';
import { Loading } from '@/components/ui/spinner';
import { useDisplayZone } from '@/components/ui/display-zone';
import { formatTime } from '@/components/ui/format-time';
import { matchesService, type ServiceGraph } from '@/server/domain/topology/service-graph';
import type { TopologyViewProps } from '../view-state';
import { layoutStructure, structureKey, type Positions, type Structure } from './elk-layout';
import { ServicePanel } from './service-panel';
import styles from './service-graph-view.module.css';
import { useServiceGraph } from './use-service-graph';

/** The graph's structure by service name (names are unique and are what the URL's focus holds). */
function structureOf(g: ServiceGraph): Structure {
  const nameOf = new Map(g.nodes.map((n) => [n.id, n.name]));
  return {
    nodes: g.nodes.map((n) => n.name),
    edges: g.edges.map((e) => {
      const source = nameOf.get(e.source) ?? e.source;
      const target = nameOf.get(e.target) ?? e.target;
      return { id: `${source}->${target}`, source, target };
    }),
  };
}

/** Positions for a structure, recomputed only when the structure changes (not on a tick). */
function useLayout(structure: Structure | null): { key: string; positions: Positions } | null {
  const key = structure ? structureKey(structure) : null;
  const [done, setDone] = useState<{ key: string; positions: Positions } | null>(null);
  // The structure object changes every tick; the key says whether it really changed.
  const [wanted, setWanted] = useState<Structure | null>(null);
  if (structure && key !== (wanted ? structureKey(wanted) : null)) setWanted(structure);
  useEffect(() => {
    if (!wanted) return;
    let live = true;
    const k = structureKey(wanted);
    void layoutStructure(wanted).then((positions) => {
      if (live) setDone({ key: k, positions });
    });
    return () => {
      live = false;
    };
  }, [wanted]);
  return done;
}

/**
 * The service graph: services as nodes, caller → callee calls as edges with rate, errors, P95 and
 * the version split, resilience state as badges. Search (state.q) highlights and centres the
 * first match; state.unhealthy dims healthy services; a click selects (state.focus) and opens
 * the side panel; Enter on the selected service opens its page.
 */
export function ServiceGraphView({ state, onChange }: TopologyViewProps) {
  const router = useRouter();
  const zone = useDisplayZone();
  const { query, liveStatus } = useServiceGraph();
  const data = query.data;
  const structure = useMemo(() => (data ? structureOf(data) : null), [data]);
  const layout = useLayout(structure);

  const byName = useMemo(() => new Map((data?.nodes ?? []).map((n) => [n.name, n])), [data]);
  const matches = useMemo(() => (data && state.q.trim() ? data.nodes.filter((n) => matchesService(n, state.q)).map((n) => n.name) : []), [data, state.q]);
  const firstMatch = matches[0] ?? null;

  const placed = useMemo(() => {
    if (!data || !layout || !structure) return null;
    const searching = state.q.trim() !== '';
    const matchSet = new Set(matches);
    const services: PlacedService[] = data.nodes.flatMap((n) => {
      const at = layout.positions.get(n.name);
      if (!at) return [];
      const dimmed = (searching && !matchSet.has(n.name)) || (state.unhealthy && n.health === 'ok');
      return [{ id: n.name, x: at.x, y: at.y, node: n, dimmed, highlighted: searching && matchSet.has(n.name), selected: state.focus === n.name }];
    });
    const dimmedSet = new Set(services.filter((s) => s.dimmed).map((s) => s.id));
    const calls: PlacedCall[] = data.edges.flatMap((e, i) => {
      const s = structure.edges[i]!;
      if (!layout.positions.has(s.source) || !layout.positions.has(s.target)) return [];
      return [{ id: s.id, source: s.source, target: s.target, edge: e, dimmed: dimmedSet.has(s.source) || dimmedSet.has(s.target) }];
    });
    return { services, calls };
  }, [data, layout, structure, matches, state.q, state.unhealthy, state.focus]);

  const onSelect = useCallback((name: string) => onChange({ focus: name }), [onChange]);
  const onOpen = useCallback((name: string) => router.push(`/services/${encodeURIComponent(name)}`), [router]);

  if (query.isPending) return <Loading what="service graph" />;
  if (query.isError) return <ErrorText error={query.error} action={<Button onClick={() => void query.refetch()}>Try again</Button>} />;
  if (!data) return null;
  if (data.nodes.length === 0) {
    return (
      <EmptyState title="No services yet">
        The service graph draws services and the calls between them. Services appear once instances are registered: connect a platform and import its topology in Settings → Platform, or start with the demo fleet.
      </EmptyState>
    );
  }

  const unhealthy = data.nodes.filter((n) => n.health !== 'ok').length;
  const focused = state.focus ? byName.get(state.focus) : undefined;
  return (
    <div className={styles.wrap}>
      <div className={styles.bar} role="status" aria-live="polite">
        <span>
          {data.nodes.length} service{data.nodes.length === 1 ? '' : 's'} · {data.edges.length} call{data.edges.length === 1 ? '' : 's'} ·{' '}
          {unhealthy === 0 ? 'all healthy' : `${unhealthy} need${unhealthy === 1 ? 's' : ''} attention`}
          {data.at ? ` · tick ${formatTime(data.at, zone)}` : ''} · {liveStatus === 'pending' ? 'live' : liveStatus === 'error' ? 'live feed reconnecting…' : 'connecting…'}
        </span>
        {state.q.trim() ? (
          <span>{matches.length === 0 ? `No service matches “${state.q}”.` : `${matches.length} match${matches.length === 1 ? '' : 'es'} for “${state.q}”: ${matches.join(', ')}`}</span>
        ) : null}
      </div>
      {data.tickId === null ? (
        <p className={styles.notice}>No telemetry yet: the graph fills in with the first tick from the worker (Settings → System health shows whether a worker leads telemetry).</p>
      ) : null}
      {data.edges.length === 0 ? <p className={styles.notice}>No calls are declared between these services, so the graph shows the services only.</p> : null}
      <div className={styles.stage}>
        <div className={styles.canvas}>
          {placed ? (
            <ServiceGraphCanvas
              services={placed.services}
              calls={placed.calls}
              fitKey={layout?.key ?? ''}
              centreOn={firstMatch ?? state.focus}
              centreOnlyIfHidden={firstMatch === null}
              label="Service graph: services and the calls between them"
              onSelect={onSelect}
              onOpen={onOpen}
            />
          ) : (
            <Loading what="layout" />
          )}
        </div>
        {focused && data ? <ServicePanel node={focused} graph={data} onChange={onChange} /> : null}
      </div>
      <p className={styles.help}>
        Callers on the left, the services they call on the right. Edge: requests/s · errors · P95 of the callee, and its version split (canary highlighted). Click a service for details;
        Enter on the selected service opens its page.
      </p>
    </div>
  );
}

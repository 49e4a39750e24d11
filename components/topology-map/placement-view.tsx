'use client';

import Link from 'next/link';
import { useEffect, useMemo, useRef } from 'react';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { QueryStatus, useQueryDisplay } from '@/components/ui/query-state';
import { useDisplayZone } from '@/components/ui/display-zone';
import { formatTime } from '@/components/ui/format-time';
import { weightColor } from './weight-color';
import { buildPlacement, fleetSummary, plural, resolvePath } from './placement-model';
import { filterLevel, hiddenText, searchPlacement, unhealthyScope } from './placement-search';
import { FleetLevel, ClusterLevel, ZoneLevel, type Marks } from './placement-levels';
import { useTopologySnapshot } from './use-topology-snapshot';
import { pathAfterClearedSearch, type TopologyViewProps } from './view-state';
import styles from './placement-view.module.css';

/**
 * Region → zone → cluster → instance as a drill-down: one level at a time, every label at its
 * real size, with aggregates that say what is inside. The level is the URL's `path`; a search
 * expands to its best hit, highlights it and scrolls it into view.
 */
export function PlacementView({ state, onChange }: TopologyViewProps) {
  const zone = useDisplayZone();
  const { query, liveStatus } = useTopologySnapshot();
  // A failing snapshot keeps its error on screen between retries (query-state.tsx).
  const view = useQueryDisplay(query);
  const data = view.shown.kind === 'data' ? view.shown.data : undefined;
  const regions = useMemo(() => (data ? buildPlacement(data) : []), [data]);
  const resolved = useMemo(() => resolvePath(regions, state.path), [regions, state.path]);
  const search = useMemo(() => searchPlacement(regions, state.q), [regions, state.q]);
  const { level, hidden } = useMemo(() => filterLevel(resolved.level, state.unhealthy), [resolved.level, state.unhealthy]);

  // A new search jumps to its best hit once; after that the user may drill anywhere (the search
  // stays, dimming what does not match). A reloaded URL that already names a hit is left as it is.
  // Clearing the search goes back to where it started (view-state.ts, pathAfterClearedSearch):
  // `before` is the path when the search began, `leftAt` the path the search last moved to.
  const handledQ = useRef<string | null>(null);
  const before = useRef<string[] | null>(null);
  const leftAt = useRef<string[] | null>(null);
  // Where a search begins, whether or not the fleet has loaded yet (a search typed during the
  // first load must still go back here). Declared first: it runs before the jump below.
  const lastQ = useRef<string | null>(null);
  useEffect(() => {
    if (lastQ.current === '' && state.q) before.current = state.path;
    lastQ.current = state.q;
  }, [state.q, state.path]);
  useEffect(() => {
    if (!data || handledQ.current === state.q) return;
    const prevQ = handledQ.current;
    handledQ.current = state.q;
    if (!state.q) {
      const back = prevQ ? pathAfterClearedSearch(state.path, leftAt.current, before.current) : null;
      before.current = leftAt.current = null;
      if (back) onChange({ path: back, focus: null });
      return;
    }
    leftAt.current = state.path;
    if (!search || (state.focus && search.matched.has(state.focus))) return;
    const hit = search.hits[0];
    if (!hit) return;
    leftAt.current = hit.path;
    onChange({ focus: hit.key, path: hit.path });
  }, [data, state.q, state.focus, state.path, search, onChange]);

  const focusKey = state.focus;
  const pathKey = resolved.path.join('/');
  const hasData = !!data;
  useEffect(() => {
    if (!focusKey || !hasData) return;
    const el = document.querySelector<HTMLElement>(`[data-key="${CSS.escape(focusKey)}"]`);
    el?.scrollIntoView({ block: 'center', inline: 'nearest' });
  }, [focusKey, pathKey, hasData]);

  const total = useMemo(() => fleetSummary(regions), [regions]);

  if (!data) return <QueryStatus state={view} what="the placement of the fleet" />;
  if (data.regions.length === 0) {
    return (
      <EmptyState title="No regions yet" action={<Link href="/settings">Open Settings</Link>}>
        Nothing is registered: regions, zones, clusters and instances appear here once a platform is imported or the demo fleet is seeded.
      </EmptyState>
    );
  }

  const marks: Marks = { focus: focusKey, search, go: (path, focus = null) => onChange({ path, focus }) };
  // Said with its scope: inside a cluster, "nothing unhealthy" is about that cluster, not the fleet.
  const scope = unhealthyScope(resolved.level, total);
  const hiddenLine = state.unhealthy ? hiddenText(hidden, scope.scope) : null;
  const nothingUnhealthy = state.unhealthy && scope.nothing;
  const hitIndex = search && focusKey ? search.hits.findIndex((h) => h.key === focusKey) : -1;
  const step = (d: number) => {
    if (!search?.hits.length) return;
    const h = search.hits[(hitIndex + d + search.hits.length) % search.hits.length]!;
    leftAt.current = h.path;
    onChange({ focus: h.key, path: h.path });
  };

  return (
    <div className={styles.wrap}>
      <div className={styles.bar}>
        <p className={styles.status} role="status">
          {plural(total.instances, 'instance')} in {plural(regions.length, 'region')}
          {data.tickId === null ? ' · no telemetry yet: waiting for the first tick (Settings → System health shows whether a worker leads telemetry)' : ` · tick ${data.tickId}`}
          {data.at ? ` at ${formatTime(data.at, zone)}` : ''}
          {liveStatus === 'error' ? ' · live updates paused, retrying' : ''}
        </p>
        <Legend />
      </div>
      <QueryStatus state={view} what="the placement of the fleet" />
      {search ? (
        <p className={styles.searchLine} role="status" aria-label="Search result">
          {search.total === 0 ? (
            <>Nothing matches “{state.q}”. Try part of a name, a service (order-api) or a version (v2).</>
          ) : (
            <>
              {plural(search.total, 'match', 'matches')} for “{state.q}”
              {hitIndex >= 0 ? ` · showing ${search.hits[hitIndex]!.kind} ${search.hits[hitIndex]!.name}` : ''}
              {search.total > 1 ? (
                <>
                  {' '}
                  <Button size="small" onClick={() => step(-1)}>
                    Previous match
                  </Button>{' '}
                  <Button size="small" onClick={() => step(1)}>
                    Next match
                  </Button>
                </>
              ) : null}
            </>
          )}
        </p>
      ) : null}
      {resolved.missing ? (
        <p className={styles.notice} role="alert">
          {resolved.missing} Showing {resolved.path.length ? resolved.path.join(' / ') : 'the whole fleet'} instead.
        </p>
      ) : null}
      {hiddenLine ? <p className={styles.notice}>{hiddenLine}</p> : null}
      {nothingUnhealthy ? (
        <EmptyState
          title={scope.title}
          action={
            <>
              {resolved.path.length ? (
                <Button variant="primary" onClick={() => onChange({ path: [], focus: null })}>
                  Show all regions
                </Button>
              ) : null}{' '}
              <Button onClick={() => onChange({ unhealthy: false })}>Show everything in {scope.scope}</Button>
            </>
          }
        >
          {scope.body}
        </EmptyState>
      ) : level.depth <= 1 && 'regions' in level ? (
        <FleetLevel regions={level.regions} marks={marks} />
      ) : level.depth === 2 ? (
        <ZoneLevel zone={level.zone} marks={marks} />
      ) : level.depth === 3 ? (
        <ClusterLevel cluster={level.cluster} marks={marks} />
      ) : null}
      <nav aria-label="Cluster pages" className={styles.clusterLinks}>
        {regions.flatMap((r) =>
          r.zones.map((z) => (
            <span key={z.id}>
              {z.name}:{' '}
              {z.clusters.map((c, i) => (
                <span key={c.id}>
                  {i ? ', ' : ''}
                  <Link href={`/clusters/${encodeURIComponent(c.name)}`}>{c.name}</Link>
                </span>
              ))}
            </span>
          )),
        )}
      </nav>
    </div>
  );
}

function Legend() {
  return (
    <ul className={styles.legend} aria-label="Legend">
      <li>
        Weight 0
        <span className={styles.scale} aria-hidden="true" style={{ background: `linear-gradient(to right, ${[0, 25, 50, 75, 100].map((w) => weightColor(w)).join(', ')})` }} />
        100
      </li>
      <li>
        <span className={`${styles.mark} ${styles.plain}`}>L1</span>–<span className={`${styles.mark} ${styles.plain}`}>L3</span> degradation level
      </li>
      <li>
        <span className={`${styles.mark} ${styles.open}`}>open</span> <span className={`${styles.mark} ${styles.half}`}>half-open</span> breaker
      </li>
      <li>
        <span className={`${styles.mark} ${styles.down}`}>down</span> <span className={`${styles.mark} ${styles.plain}`}>2 blocked</span> stages backpressured{' '}
        <span className={`${styles.mark} ${styles.fault}`}>fault: delay</span> injected by an experiment
      </li>
    </ul>
  );
}

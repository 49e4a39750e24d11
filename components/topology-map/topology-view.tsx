'use client';

import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import { GraphCanvas } from '@/components/flow/graph-canvas';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorText } from '@/components/ui/error-text';
import { Loading } from '@/components/ui/spinner';
import { layoutTopology, parseExpand, toggleExpand, totalInstances, weightColor, type LayoutNode } from './layout';
import styles from './topology-view.module.css';
import { useTopologySnapshot } from './use-topology-snapshot';
import { useDisplayZone } from '@/components/ui/display-zone';
import { formatTime } from '@/components/ui/format-time';

const AUTO_EXPAND_LIMIT = 300;

/**
 * The topology graph: the snapshot of the latest tick, replaced by each tick's snapshot from the
 * live feed. Expanded clusters live in the URL (`?expand=id,id`), so a shared link opens the same view.
 */
export function TopologyView() {
  const zone = useDisplayZone();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const expandParam = params.get('expand');
  const expanded = useMemo(() => parseExpand(expandParam), [expandParam]);

  const { query, liveStatus } = useTopologySnapshot();

  const data = query.data;
  const layout = useMemo(() => (data ? layoutTopology(data, expanded, { autoExpandLimit: AUTO_EXPAND_LIMIT }) : null), [data, expanded]);
  const fitKey = useMemo(() => (layout ? `${layout.nodes.length}:${[...expanded].sort().join(',')}` : ''), [layout, expanded]);

  const onActivate = useCallback(
    (node: LayoutNode) => {
      if (node.kind === 'cluster' && node.toggleable) {
        const next = new URLSearchParams(params.toString());
        const value = toggleExpand(next.get('expand'), node.refId);
        if (value) next.set('expand', value);
        else next.delete('expand');
        const qs = next.toString();
        router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
      } else if (node.kind === 'instance' && node.href) {
        router.push(node.href);
      }
    },
    [params, pathname, router],
  );

  if (query.isPending) return <Loading what="topology" />;
  if (query.isError) return <ErrorText error={query.error} action={<Button onClick={() => void query.refetch()}>Try again</Button>} />;
  if (!data || !layout) return null;
  if (data.regions.length === 0) {
    return <EmptyState title="No regions yet">The topology is empty. Regions, zones, clusters and instances appear here once they are registered.</EmptyState>;
  }
  if (data.tickId === null) {
    return <EmptyState title="No telemetry yet">Waiting for the first tick from the worker… (Settings → System health shows whether a worker leads telemetry.)</EmptyState>;
  }

  const total = totalInstances(data);
  const collapsed = total > AUTO_EXPAND_LIMIT;
  return (
    <div className={styles.wrap}>
      <div className={styles.bar}>
        <ul className={styles.legend} aria-label="Legend">
          <li>
            Weight 0
            <span className={styles.scale} aria-hidden="true" style={{ background: `linear-gradient(to right, ${[0, 25, 50, 75, 100].map((w) => weightColor(w)).join(', ')})` }} />
            100
          </li>
          <li>
            <span className={styles.mark} aria-hidden="true">L1</span>–<span className={styles.mark} aria-hidden="true">L3</span> degradation (L1 field-degraded, L2 stage-broken, L3
            rerouted; no mark = L0 normal)
          </li>
          <li>
            <span className={`${styles.mark} ${styles.open}`} aria-hidden="true">⊘</span>breaker open <span className={`${styles.mark} ${styles.half}`} aria-hidden="true">◐</span>
            half-open
          </li>
        </ul>
        <span className="muted" role="status">
          {total} instances · tick {data.tickId}
          {data.at ? ` at ${formatTime(data.at, zone)}` : ''}
          {collapsed ? ' · select a cluster to show its instances' : ''}
          {liveStatus === 'error' ? ' · live updates paused, retrying' : ''}
        </span>
      </div>
      <div className={styles.canvas}>
        <GraphCanvas nodes={layout.nodes} edges={layout.edges} onActivate={onActivate} fitKey={fitKey} label="Topology graph" />
      </div>
      <nav aria-label="Cluster pages" className={styles.clusterLinks}>
        {data.regions.flatMap((r) =>
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

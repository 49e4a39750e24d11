// Synthetic topology snapshots for the placement view's unit tests (pure data, no database).
import type { ClusterAgg, TopologyInstance, TopologyMap } from '@/server/services/topology/topology-map';

/** The server's per-cluster aggregate (server/services/topology/topology-map.ts), enough for fixtures. */
function aggregate(instances: readonly TopologyInstance[]): ClusterAgg {
  const w = instances.flatMap((i) => (i.effectiveWeight === null ? [] : [i.effectiveWeight]));
  return {
    count: instances.length,
    avgWeight: w.length ? w.reduce((a, b) => a + b, 0) / w.length : null,
    minWeight: w.length ? Math.min(...w) : null,
    maxDegradation: instances.reduce<number | null>((m, i) => (i.degradation === null ? m : Math.max(m ?? 0, i.degradation)), null),
    openBreakers: instances.filter((i) => i.breaker === 'open').length,
    down: instances.filter((i) => i.up === false).length,
  };
}

export interface FleetShape {
  regions: number;
  zones: number;
  clusters: number;
  perCluster: number;
  /** Sets an instance's live figures from its running number (default: all healthy, weights spread). */
  health?: (k: number) => Partial<TopologyInstance>;
}

/** regions × zones × clusters × perCluster instances, named like the demo fleet, in name order. */
export function syntheticMap({ regions, zones, clusters, perCluster, health }: FleetShape): TopologyMap {
  let k = 0;
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    tickId: '7',
    at: '2026-12-02T07:00:00.000Z',
    regions: Array.from({ length: regions }, (_, r) => ({
      id: `r${r}`,
      name: `region-${pad(r)}`,
      zones: Array.from({ length: zones }, (_, z) => ({
        id: `r${r}z${z}`,
        name: `zone-${pad(r)}-${pad(z)}`,
        clusters: Array.from({ length: clusters }, (_, c) => {
          const cname = `c-${pad(r)}-${pad(z)}-${pad(c)}`;
          const instances: TopologyInstance[] = Array.from({ length: perCluster }, (_, i) => {
            k++;
            return {
              id: `i${k}`,
              name: `${i % 2 ? 'order-api' : 'payment-svc'}-${cname}-v1-${pad(i + 1)}`,
              service: i % 2 ? 'order-api' : 'payment-svc',
              appVersion: i % 5 === 0 ? 'v2' : 'v1',
              adminState: 'ready',
              effectiveWeight: 40 + (k % 61),
              targetWeight: 40 + (k % 61),
              degradation: 0,
              breaker: 'closed',
              up: true,
              ...health?.(k),
            };
          });
          return { id: `r${r}z${z}c${c}`, name: cname, instances, agg: aggregate(instances) };
        }),
      })),
    })),
  };
}

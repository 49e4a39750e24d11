import type { FleetSpec } from '../server/db/factories';

/**
 * A synthetic fleet of about `n` instances for benchmarks: 4 regions × 3 zones × 4 clusters,
 * 10 services spread over every cluster, one in three running a v2 canary.
 */
export function syntheticFleet(n: number): FleetSpec {
  const regions = Array.from({ length: 4 }, (_, r) => ({
    name: `region-${r}`,
    zones: Array.from({ length: 3 }, (_, z) => ({ name: `region-${r}-z${z}`, clusters: Array.from({ length: 4 }, (_, c) => `region-${r}-z${z}-c${c}`) })),
  }));
  const clusters = regions.flatMap((r) => r.zones.flatMap((z) => z.clusters));
  const services = 10;
  const perCluster = Math.max(1, Math.round(n / (services * clusters.length)));
  return {
    regions,
    services: Array.from({ length: services }, (_, s) => ({
      name: `svc-${s}`,
      routing: s % 3 === 0 ? { versionWeights: { v1: 90, v2: 10 }, headerRules: [{ header: 'X-Abtest-Group', equals: 'v2-canary', version: 'v2' }] } : { versionWeights: { v1: 100 }, headerRules: [] },
      placement: clusters.map((cluster, i): { cluster: string; versions: Record<string, number> } => ({
        cluster,
        versions: s % 3 === 0 && i % 4 === 0 ? { v1: perCluster - 1 || 1, v2: 1 } : { v1: perCluster },
      })),
    })),
  };
}

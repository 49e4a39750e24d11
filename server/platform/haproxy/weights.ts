// HAProxy weights (0–256) for a service's servers. In the service backend a server's share of the
// unpinned traffic is its version's share × its load-aware weight within the version (SPEC §3.6);
// the largest share maps to 256 so rounding loses the least. In a version backend (header-pinned
// traffic) only the load-aware weights count.
export interface Member {
  id: string;
  version: string;
  /** Load-aware effective weight, 0..base. */
  weight: number;
}

export const HAPROXY_MAX_WEIGHT = 256;

export function serverWeights(members: readonly Member[], versionWeights: Readonly<Record<string, number>>): { service: Map<string, number>; version: Map<string, number> } {
  const versions = [...new Set(members.map((m) => m.version))];
  const declared = versions.reduce((a, v) => a + Math.max(0, versionWeights[v] ?? 0), 0);
  // No split declared (or all zero): versions share equally.
  const vShare = (v: string) => (declared > 0 ? Math.max(0, versionWeights[v] ?? 0) / declared : 1 / versions.length);
  const sumIn = (v: string) => members.filter((m) => m.version === v).reduce((a, m) => a + Math.max(0, m.weight), 0);
  const share = new Map(members.map((m) => [m.id, sumIn(m.version) > 0 ? (vShare(m.version) * Math.max(0, m.weight)) / sumIn(m.version) : 0]));
  const max = Math.max(0, ...share.values());
  const service = new Map([...share].map(([id, s]) => [id, max > 0 ? Math.round((HAPROXY_MAX_WEIGHT * s) / max) : 0]));
  const version = new Map<string, number>();
  for (const v of versions) {
    const inV = members.filter((m) => m.version === v);
    const top = Math.max(0, ...inV.map((m) => m.weight));
    for (const m of inV) version.set(m.id, top > 0 ? Math.round((HAPROXY_MAX_WEIGHT * Math.max(0, m.weight)) / top) : 0);
  }
  return { service, version };
}

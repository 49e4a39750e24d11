// The placement view's model, pure (no React): the fleet as region → zone → cluster → instance with
// aggregates that say what is inside, the health rule behind "only unhealthy", and which level of
// the drill-down a `path` shows. The view renders one level at a time, so what is drawn stays
// bounded by the number of groups (not instances) at the top, and by one cluster below.
import type { TopologyInstance, TopologyMap } from '@/server/services/topology/topology-map';

export type PlacementKind = 'region' | 'zone' | 'cluster' | 'instance';

export interface Summary {
  instances: number;
  /** Instances with a sample in the tick (the rest have no telemetry yet). */
  sampled: number;
  minWeight: number | null;
  maxWeight: number | null;
  /** Degradation level ≥ 1 (L1 field-degraded and worse). */
  degraded: number;
  worstLevel: number | null;
  openBreakers: number;
  halfOpenBreakers: number;
  down: number;
  /** Instances with a stage blocked on a full output buffer (backpressure). */
  backpressured: number;
  /** Instances under a fault an experiment has injected. */
  faulted: number;
  /** Instances that are degraded, down, behind an open/half-open breaker, backpressured or faulted. */
  unhealthy: number;
  /** Instances per weight band 0–20, 20–40, 40–60, 60–80, 80–100 (no telemetry: not counted). */
  bands: [number, number, number, number, number];
}

export interface PlacementCluster {
  kind: 'cluster';
  /** `cluster:<db id>`, the `focus` form of view-state.ts. */
  key: string;
  id: string;
  name: string;
  path: [string, string, string];
  summary: Summary;
  instances: TopologyInstance[];
}
export interface PlacementZone {
  kind: 'zone';
  key: string;
  id: string;
  name: string;
  path: [string, string];
  summary: Summary;
  clusters: PlacementCluster[];
}
export interface PlacementRegion {
  kind: 'region';
  key: string;
  id: string;
  name: string;
  path: [string];
  summary: Summary;
  zones: PlacementZone[];
}

export const instanceKey = (i: Pick<TopologyInstance, 'id'>) => `instance:${i.id}`;

/** Degraded, down, behind an open/half-open breaker, backpressured or under an injected fault: what "only unhealthy" keeps. */
export function isUnhealthy(i: TopologyInstance): boolean {
  return (i.degradation ?? 0) >= 1 || i.breaker === 'open' || i.breaker === 'half-open' || i.up === false || (i.blockedStages ?? 0) > 0 || !!i.fault;
}

export function emptySummary(): Summary {
  return { instances: 0, sampled: 0, minWeight: null, maxWeight: null, degraded: 0, worstLevel: null, openBreakers: 0, halfOpenBreakers: 0, down: 0, backpressured: 0, faulted: 0, unhealthy: 0, bands: [0, 0, 0, 0, 0] };
}

export function summarize(instances: readonly TopologyInstance[]): Summary {
  const s = emptySummary();
  for (const i of instances) {
    s.instances++;
    const w = i.effectiveWeight;
    if (w !== null) {
      s.sampled++;
      s.minWeight = s.minWeight === null ? w : Math.min(s.minWeight, w);
      s.maxWeight = s.maxWeight === null ? w : Math.max(s.maxWeight, w);
      s.bands[Math.min(4, Math.max(0, Math.floor(w / 20)))]! += 1;
    }
    if (i.degradation !== null) s.worstLevel = s.worstLevel === null ? i.degradation : Math.max(s.worstLevel, i.degradation);
    if ((i.degradation ?? 0) >= 1) s.degraded++;
    if (i.breaker === 'open') s.openBreakers++;
    if (i.breaker === 'half-open') s.halfOpenBreakers++;
    if (i.up === false) s.down++;
    if ((i.blockedStages ?? 0) > 0) s.backpressured++;
    if (i.fault) s.faulted++;
    if (isUnhealthy(i)) s.unhealthy++;
  }
  return s;
}

export function mergeSummaries(parts: readonly Summary[]): Summary {
  const s = emptySummary();
  const min = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
  const max = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));
  for (const p of parts) {
    s.instances += p.instances;
    s.sampled += p.sampled;
    s.minWeight = min(s.minWeight, p.minWeight);
    s.maxWeight = max(s.maxWeight, p.maxWeight);
    s.degraded += p.degraded;
    s.worstLevel = max(s.worstLevel, p.worstLevel);
    s.openBreakers += p.openBreakers;
    s.halfOpenBreakers += p.halfOpenBreakers;
    s.down += p.down;
    s.backpressured += p.backpressured;
    s.faulted += p.faulted;
    s.unhealthy += p.unhealthy;
    for (let b = 0; b < 5; b++) s.bands[b]! += p.bands[b]!;
  }
  return s;
}

const names = new Intl.Collator('en', { numeric: true });
/** Names in natural order: numeric parts compare as numbers (v1-2 before v1-10), which SQL's ORDER BY name does not do. */
export const byNaturalName = (a: { name: string }, b: { name: string }) => names.compare(a.name, b.name);

/** The whole fleet with aggregates at every level, in the snapshot's (name) order; instances in natural name order. */
export function buildPlacement(map: TopologyMap): PlacementRegion[] {
  return map.regions.map((r) => {
    const zones = r.zones.map((z): PlacementZone => {
      const clusters = z.clusters.map(
        (c): PlacementCluster => ({ kind: 'cluster', key: `cluster:${c.id}`, id: c.id, name: c.name, path: [r.name, z.name, c.name], summary: summarize(c.instances), instances: [...c.instances].sort(byNaturalName) }),
      );
      return { kind: 'zone', key: `zone:${z.id}`, id: z.id, name: z.name, path: [r.name, z.name], summary: mergeSummaries(clusters.map((c) => c.summary)), clusters };
    });
    return { kind: 'region', key: `region:${r.id}`, id: r.id, name: r.name, path: [r.name], summary: mergeSummaries(zones.map((z) => z.summary)), zones };
  });
}

/** The fleet's total, for the status line. */
export const fleetSummary = (regions: readonly PlacementRegion[]) => mergeSummaries(regions.map((r) => r.summary));

/**
 * A weight range in words: "weight 12–96", "weight 40" when all agree, "no telemetry yet" before
 * the first sample. Weights are shown rounded; the range is what an SRE scans for.
 */
export function weightRange(s: Summary): string {
  if (s.minWeight === null || s.maxWeight === null) return 'no telemetry yet';
  const lo = Math.round(s.minWeight);
  const hi = Math.round(s.maxWeight);
  return lo === hi ? `weight ${lo}` : `weight ${lo}–${hi}`;
}

export const plural = (n: number, word: string, many = `${word}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? word : many}`;

/** The problems in a summary, in words, worst first; [] when all is well. */
export function problems(s: Summary): string[] {
  const out: string[] = [];
  if (s.down) out.push(`${s.down} down`);
  if (s.openBreakers) out.push(plural(s.openBreakers, 'open breaker'));
  if (s.halfOpenBreakers) out.push(`${s.halfOpenBreakers} half-open`);
  if (s.degraded) out.push(`${s.degraded} degraded${s.worstLevel ? ` (worst L${s.worstLevel})` : ''}`);
  if (s.backpressured) out.push(`${s.backpressured} backpressured`);
  if (s.faulted) out.push(`${s.faulted} with an injected fault`);
  return out;
}

/** One line that says what is inside a group (also its accessible name's tail). */
export function describeSummary(s: Summary): string {
  const p = problems(s);
  return [plural(s.instances, 'instance'), weightRange(s), ...(p.length ? p : s.sampled ? ['all healthy'] : [])].join(' · ');
}

export type Level =
  | { depth: 0 | 1; regions: PlacementRegion[] }
  | { depth: 2; region: PlacementRegion; zone: PlacementZone }
  | { depth: 3; region: PlacementRegion; zone: PlacementZone; cluster: PlacementCluster };

export interface Resolved {
  level: Level;
  /** The part of the path that exists (names), for breadcrumbs. */
  path: string[];
  /** A name in the URL's path that no longer exists, said in words; null when the path resolved. */
  missing: string | null;
}

/** Which level a URL `path` shows; a stale name (renamed, removed) falls back to its parent. */
export function resolvePath(regions: PlacementRegion[], path: readonly string[]): Resolved {
  const [rn, zn, cn] = path;
  if (!rn) return { level: { depth: 0, regions }, path: [], missing: null };
  const region = regions.find((r) => r.name === rn);
  if (!region) return { level: { depth: 0, regions }, path: [], missing: `No region is named “${rn}”.` };
  if (!zn) return { level: { depth: 1, regions: [region] }, path: [rn], missing: null };
  const zone = region.zones.find((z) => z.name === zn);
  if (!zone) return { level: { depth: 1, regions: [region] }, path: [rn], missing: `No zone is named “${zn}” in ${rn}.` };
  if (!cn) return { level: { depth: 2, region, zone }, path: [rn, zn], missing: null };
  const cluster = zone.clusters.find((c) => c.name === cn);
  if (!cluster) return { level: { depth: 2, region, zone }, path: [rn, zn], missing: `No cluster is named “${cn}” in ${zn}.` };
  return { level: { depth: 3, region, zone, cluster }, path: [rn, zn, cn], missing: null };
}

/** Old links (`?expand=<cluster id>,…`, the canvas era) → the path of the first cluster they name. */
export function pathForClusterIds(regions: readonly PlacementRegion[], ids: readonly string[]): string[] | null {
  for (const id of ids) for (const r of regions) for (const z of r.zones) for (const c of z.clusters) if (c.id === id) return [...c.path];
  return null;
}

// Pure layout of the topology graph (no React, no React Flow): layered columns left to right
// (region → zone → cluster → instances) with a tidy-tree vertical placement, so every subtree owns
// a vertical band of its own and no two boxes overlap. components/flow/graph-canvas.tsx renders it.
import type { ClusterAgg, TopologyCluster, TopologyInstance, TopologyMap } from '@/server/services/topology/topology-map';

export type LayoutKind = 'region' | 'zone' | 'cluster' | 'instance';

export interface LayoutNode {
  /** Unique graph id: `<kind>:<database id>`. */
  id: string;
  kind: LayoutKind;
  /** The database id (a cluster's id is what `?expand=` carries). */
  refId: string;
  x: number;
  y: number;
  width: number;
  height: number;
  label: string;
  /** Second line: counts for groups, service/version for an instance. */
  detail: string;
  ariaLabel: string;
  /** Effective weight 0..100 (groups: the average), null without telemetry. */
  weight: number | null;
  /** 0..3 (groups: the worst), null without telemetry. */
  degradation: number | null;
  /** An instance's breaker; for groups 'open' when any breaker inside is open. */
  breaker: string | null;
  /** Clusters only: whether its instances are shown. */
  expanded?: boolean;
  /** Clusters only: activating it shows/hides its instances (false when the fleet is small enough to show all). */
  toggleable?: boolean;
  href?: string;
}

export interface LayoutEdge {
  id: string;
  source: string;
  target: string;
}

export interface LayoutOptions {
  /** Up to this many instances in the whole fleet, every cluster shows its instances. */
  autoExpandLimit?: number;
  /** Instances of one cluster per column before wrapping; default about √(2n), so big clusters stay roughly square. */
  rowsPerColumn?: number;
}

export const BOX = {
  group: { width: 200, height: 60 },
  instance: { width: 230, height: 48 },
  gapY: 12,
  gapX: 16,
  /** x of each layer's column. */
  column: { region: 0, zone: 260, cluster: 520, instance: 800 },
} as const;

export function weightColor(w: number | null | undefined): string {
  if (w === null || w === undefined || Number.isNaN(w)) return 'hsl(220, 10%, 30%)';
  const t = Math.max(0, Math.min(100, w)) / 100;
  // Hue 0 (red) → 120 (green); dark enough that white text stays readable (contrast ≥ 4.5:1).
  return `hsl(${Math.round(t * 120)}, 65%, ${Math.round(30 - t * 6)}%)`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const round = (n: number) => Math.round(n);

function mergeAgg(aggs: readonly ClusterAgg[]): ClusterAgg {
  let count = 0;
  let weighted = 0;
  let sampled = 0;
  let min: number | null = null;
  let maxDeg: number | null = null;
  let openBreakers = 0;
  let down = 0;
  for (const a of aggs) {
    count += a.count;
    if (a.avgWeight !== null) {
      // avgWeight is over sampled instances; weigh by count (close enough for a colour).
      weighted += a.avgWeight * a.count;
      sampled += a.count;
    }
    if (a.minWeight !== null) min = min === null ? a.minWeight : Math.min(min, a.minWeight);
    if (a.maxDegradation !== null) maxDeg = maxDeg === null ? a.maxDegradation : Math.max(maxDeg, a.maxDegradation);
    openBreakers += a.openBreakers;
    down += a.down;
  }
  return { count, avgWeight: sampled ? weighted / sampled : null, minWeight: min, maxDegradation: maxDeg, openBreakers, down };
}

function instanceAria(i: TopologyInstance): string {
  const parts = [`Instance ${i.name}`];
  if (i.effectiveWeight === null) parts.push('no telemetry yet');
  else parts.push(`weight ${round(i.effectiveWeight)}`, `L${i.degradation ?? 0}`, `breaker ${i.breaker ?? 'closed'}`);
  if (i.up === false) parts.push('down');
  if (i.adminState !== 'ready') parts.push(i.adminState);
  return parts.join(', ');
}

function clusterAria(c: TopologyCluster): string {
  const parts = [`Cluster ${c.name}`, plural(c.agg.count, 'instance')];
  if (c.agg.minWeight !== null) parts.push(`min weight ${round(c.agg.minWeight)}`);
  if (c.agg.openBreakers > 0) parts.push(`${c.agg.openBreakers} breakers open`);
  if (c.agg.down > 0) parts.push(`${c.agg.down} down`);
  return parts.join(', ');
}

function groupBreaker(a: ClusterAgg): string | null {
  return a.openBreakers > 0 ? 'open' : null;
}

export function totalInstances(map: TopologyMap): number {
  let n = 0;
  for (const r of map.regions) for (const z of r.zones) for (const c of z.clusters) n += c.instances.length;
  return n;
}

export function layoutTopology(map: TopologyMap, expanded: ReadonlySet<string>, opts: LayoutOptions = {}): { nodes: LayoutNode[]; edges: LayoutEdge[] } {
  const autoExpand = totalInstances(map) <= (opts.autoExpandLimit ?? 300);
  const nodes: LayoutNode[] = [];
  const edges: LayoutEdge[] = [];
  const { gapY, gapX, column } = BOX;
  const g = BOX.group;
  const inst = BOX.instance;
  const edge = (source: string, target: string) => edges.push({ id: `${source}->${target}`, source, target });

  /** Places a group box centred on its children's band [top, childBottom); returns the band's end. */
  const placeGroup = (node: LayoutNode, top: number, childBottom: number | null): number => {
    if (childBottom === null) {
      node.y = top;
      nodes.push(node);
      return top + g.height + gapY;
    }
    const span = childBottom - gapY - top;
    node.y = top + Math.max(0, (span - g.height) / 2);
    nodes.push(node);
    return Math.max(childBottom, node.y + g.height + gapY);
  };

  const placeCluster = (c: TopologyCluster, top: number): number => {
    const id = `cluster:${c.id}`;
    const open = autoExpand || expanded.has(c.id);
    const node: LayoutNode = {
      id,
      kind: 'cluster',
      refId: c.id,
      x: column.cluster,
      y: 0,
      ...g,
      label: c.name,
      detail: `${plural(c.agg.count, 'instance')}${c.agg.minWeight !== null ? ` · min ${round(c.agg.minWeight)}` : ''}`,
      ariaLabel: clusterAria(c),
      weight: c.agg.avgWeight,
      degradation: c.agg.maxDegradation,
      breaker: groupBreaker(c.agg),
      expanded: open,
      toggleable: !autoExpand && c.instances.length > 0,
    };
    if (!open || c.instances.length === 0) return placeGroup(node, top, null);
    // Instances fill a grid: down a column of `rows`, then the next column to the right.
    const n = c.instances.length;
    const rows = Math.min(n, Math.max(1, opts.rowsPerColumn ?? Math.max(4, Math.ceil(Math.sqrt(2 * n)))));
    c.instances.forEach((i, k) => {
      const iid = `instance:${i.id}`;
      nodes.push({
        id: iid,
        kind: 'instance',
        refId: i.id,
        x: column.instance + Math.floor(k / rows) * (inst.width + gapX),
        y: top + (k % rows) * (inst.height + gapY),
        ...inst,
        label: i.name,
        detail: `${i.service} ${i.appVersion}${i.adminState !== 'ready' ? ` · ${i.adminState}` : ''}`,
        ariaLabel: instanceAria(i),
        weight: i.effectiveWeight,
        degradation: i.degradation,
        breaker: i.breaker,
        href: `/instances/${encodeURIComponent(i.name)}`,
      });
      edge(id, iid);
    });
    return placeGroup(node, top, top + rows * (inst.height + gapY));
  };

  let top = 0;
  for (const r of map.regions) {
    const rid = `region:${r.id}`;
    const rTop = top;
    const rAgg = mergeAgg(r.zones.flatMap((z) => z.clusters.map((c) => c.agg)));
    let rChildBottom: number | null = null;
    for (const z of r.zones) {
      const zid = `zone:${z.id}`;
      const zTop = top;
      const zAgg = mergeAgg(z.clusters.map((c) => c.agg));
      let zChildBottom: number | null = null;
      for (const c of z.clusters) {
        top = placeCluster(c, top);
        zChildBottom = top;
        edge(zid, `cluster:${c.id}`);
      }
      top = placeGroup(
        {
          id: zid,
          kind: 'zone',
          refId: z.id,
          x: column.zone,
          y: 0,
          ...g,
          label: z.name,
          detail: `${plural(z.clusters.length, 'cluster')} · ${plural(zAgg.count, 'instance')}`,
          ariaLabel: `Zone ${z.name}, ${plural(z.clusters.length, 'cluster')}, ${plural(zAgg.count, 'instance')}`,
          weight: zAgg.avgWeight,
          degradation: zAgg.maxDegradation,
          breaker: groupBreaker(zAgg),
        },
        zTop,
        zChildBottom,
      );
      rChildBottom = top;
      edge(rid, zid);
    }
    top = placeGroup(
      {
        id: rid,
        kind: 'region',
        refId: r.id,
        x: column.region,
        y: 0,
        ...g,
        label: r.name,
        detail: `${plural(r.zones.length, 'zone')} · ${plural(rAgg.count, 'instance')}`,
        ariaLabel: `Region ${r.name}, ${plural(r.zones.length, 'zone')}, ${plural(rAgg.count, 'instance')}`,
        weight: rAgg.avgWeight,
        degradation: rAgg.maxDegradation,
        breaker: groupBreaker(rAgg),
      },
      rTop,
      rChildBottom,
    );
  }
  return { nodes, edges };
}

/** `?expand=` → the set of expanded cluster ids (comma-separated, blanks ignored). */
export function parseExpand(value: string | null | undefined): Set<string> {
  return new Set((value ?? '').split(',').map((s) => s.trim()).filter(Boolean));
}

/** The `?expand=` value after toggling one cluster; '' when nothing stays expanded. */
export function toggleExpand(value: string | null | undefined, clusterId: string): string {
  const set = parseExpand(value);
  if (set.has(clusterId)) set.delete(clusterId);
  else set.add(clusterId);
  return [...set].join(',');
}

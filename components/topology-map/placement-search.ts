// Search and the "only unhealthy" filter of the placement view, pure. A search finds regions,
// zones, clusters and instances (by name, service, version or label) and names the best hit, which
// the view expands to, highlights and scrolls to; everything else is dimmed.
import type { TopologyInstance } from '@/server/services/topology/topology-map';
import { instanceKey, isUnhealthy, plural, type Level, type PlacementCluster, type PlacementKind, type PlacementRegion, type PlacementZone, type Summary } from './placement-model';

export interface SearchHit {
  /** `<kind>:<db id>`, the `focus` form of view-state.ts. */
  key: string;
  kind: PlacementKind;
  name: string;
  /** The drill-down path that shows the hit (an instance: its cluster's path). */
  path: string[];
  /** 0 exact name, 1 name prefix, 2 in the name, 3 in another field (service, version, label). */
  rank: number;
}

export interface SearchResult {
  /** Best first; at most `limit`. */
  hits: SearchHit[];
  total: number;
  /** Keys of every hit (not only the first `limit`). */
  matched: Set<string>;
  /** Keys of the groups that contain a hit: shown undimmed, as the way to it. */
  within: Set<string>;
}

const KIND_ORDER: Record<PlacementKind, number> = { region: 0, zone: 1, cluster: 2, instance: 3 };

function nameRank(name: string, terms: readonly string[]): number | null {
  const n = name.toLowerCase();
  const whole = terms.join(' ');
  if (n === whole) return 0;
  if (n.startsWith(whole)) return 1;
  return terms.every((t) => n.includes(t)) ? 2 : null;
}

function labelText(i: TopologyInstance): string {
  const labels = (i as { labels?: Record<string, string> | null }).labels;
  return labels ? Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(' ') : '';
}

/**
 * Every term must appear in the node's own fields or its ancestors' names ("order-api euw-a" finds
 * order-api's instances in zone euw-a), and at least one in the node's own fields, so a cluster
 * hit does not also list each of its instances.
 */
export function searchPlacement(regions: readonly PlacementRegion[], q: string, limit = 20): SearchResult | null {
  const terms = q.toLowerCase().split(/\s+/).filter(Boolean);
  if (!terms.length) return null;
  const all: Array<SearchHit & { order: number }> = [];
  const within = new Set<string>();
  let order = 0;
  const consider = (key: string, kind: PlacementKind, name: string, own: string, ancestors: string, path: string[], parents: string[]) => {
    order++;
    const ownText = own.toLowerCase();
    const context = `${ownText} ${ancestors}`;
    if (!terms.every((t) => context.includes(t)) || !terms.some((t) => ownText.includes(t))) return;
    const rank = nameRank(name, terms) ?? 3;
    all.push({ key, kind, name, path, rank, order });
    for (const p of parents) within.add(p);
  };
  for (const r of regions) {
    const rText = r.name.toLowerCase();
    consider(r.key, 'region', r.name, r.name, '', [...r.path], []);
    for (const z of r.zones) {
      const zText = `${rText} ${z.name.toLowerCase()}`;
      consider(z.key, 'zone', z.name, z.name, rText, [...z.path], [r.key]);
      for (const c of z.clusters) {
        const cText = `${zText} ${c.name.toLowerCase()}`;
        consider(c.key, 'cluster', c.name, c.name, zText, [...c.path], [r.key, z.key]);
        for (const i of c.instances) {
          consider(instanceKey(i), 'instance', i.name, `${i.name} ${i.service} ${i.service}:${i.appVersion} ${i.appVersion} ${labelText(i)}`, cText, [...c.path], [r.key, z.key, c.key]);
        }
      }
    }
  }
  all.sort((a, b) => a.rank - b.rank || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.order - b.order);
  return {
    hits: all.slice(0, limit).map(({ order: _o, ...h }) => h),
    total: all.length,
    matched: new Set(all.map((h) => h.key)),
    within,
  };
}

export interface Hidden {
  regions: number;
  zones: number;
  clusters: number;
  instances: number;
}

const keepCluster = (c: PlacementCluster) => c.summary.unhealthy > 0;
const keepZone = (z: PlacementZone) => z.summary.unhealthy > 0;

/**
 * The level with only what is unhealthy (groups holding an unhealthy instance; in a cluster, the
 * unhealthy instances), and how much was hidden, so the view can say so. Unfiltered: as is.
 */
export function filterLevel(level: Level, unhealthyOnly: boolean): { level: Level; hidden: Hidden } {
  const hidden: Hidden = { regions: 0, zones: 0, clusters: 0, instances: 0 };
  if (!unhealthyOnly) return { level, hidden };
  const zoneOf = (z: PlacementZone): PlacementZone => {
    const clusters = z.clusters.filter(keepCluster);
    hidden.clusters += z.clusters.length - clusters.length;
    return { ...z, clusters };
  };
  switch (level.depth) {
    case 0:
    case 1: {
      // A hidden group's contents count as hidden too, so shown + hidden is always the whole.
      const regions: PlacementRegion[] = [];
      for (const r of level.regions) {
        if (r.summary.unhealthy > 0) {
          regions.push(r);
          continue;
        }
        hidden.regions++;
        hidden.zones += r.zones.length;
        for (const z of r.zones) hidden.clusters += z.clusters.length;
      }
      return {
        level: {
          depth: level.depth,
          regions: regions.map((r) => {
            const zones = r.zones.filter(keepZone);
            for (const z of r.zones) {
              if (keepZone(z)) continue;
              hidden.zones++;
              hidden.clusters += z.clusters.length;
            }
            return { ...r, zones: zones.map(zoneOf) };
          }),
        },
        hidden,
      };
    }
    case 2:
      return { level: { ...level, zone: zoneOf(level.zone) }, hidden };
    case 3: {
      const instances = level.cluster.instances.filter(isUnhealthy);
      hidden.instances = level.cluster.instances.length - instances.length;
      return { level: { ...level, cluster: { ...level.cluster, instances } }, hidden };
    }
  }
}

/** A level in words: "cluster euw-a-1", "zone eu-west-a", "region eu-west", "the fleet". */
export function scopeName(level: Level): string {
  switch (level.depth) {
    case 3:
      return `cluster ${level.cluster.name}`;
    case 2:
      return `zone ${level.zone.name}`;
    case 1:
      return level.regions.length === 1 ? `region ${level.regions[0]!.name}` : 'the fleet';
    case 0:
      return 'the fleet';
  }
}

/** "82 instances hidden in cluster euw-a-1: all healthy."; null when nothing was hidden. */
export function hiddenText(h: Hidden, scope: string): string | null {
  const parts = [h.regions ? plural(h.regions, 'region') : '', h.zones ? plural(h.zones, 'zone') : '', h.clusters ? plural(h.clusters, 'cluster') : '', h.instances ? plural(h.instances, 'instance') : ''].filter(Boolean);
  if (!parts.length) return null;
  return `${parts.join(', ')} hidden${scope === 'the fleet' ? '' : ` in ${scope}`}: all healthy.`;
}

export interface UnhealthyScope {
  scope: string;
  /** Nothing at this level is unhealthy. */
  nothing: boolean;
  /** Unhealthy instances outside this level. */
  elsewhere: number;
  title: string;
  body: string;
}

/**
 * What "only unhealthy" says about the level it filters (unfiltered, as drilled): its scope by name
 * and what is unhealthy outside it, so an empty cluster is never read as a healthy fleet.
 */
export function unhealthyScope(level: Level, fleet: Summary): UnhealthyScope {
  const scope = scopeName(level);
  const here = level.depth === 3 ? level.cluster.summary.unhealthy : level.depth === 2 ? level.zone.summary.unhealthy : level.regions.reduce((n, r) => n + r.summary.unhealthy, 0);
  const elsewhere = Math.max(0, fleet.unhealthy - here);
  const more = elsewhere ? ` Elsewhere in the fleet: ${plural(elsewhere, 'unhealthy instance')}.` : '';
  return {
    scope,
    nothing: here === 0,
    elsewhere,
    title: `Nothing unhealthy in ${scope}`,
    body: `No instance in ${scope} is degraded, down, behind an open or half-open breaker, backpressured or under an injected fault.${more}`,
  };
}

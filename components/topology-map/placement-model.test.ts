import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { TopologyInstance } from '@/server/services/topology/topology-map';
import { ClusterLevel, FleetLevel, ZoneLevel, type Marks } from './placement-levels';
import { syntheticMap } from './placement-fixtures';
import { buildPlacement, byNaturalName, describeSummary, fleetSummary, isUnhealthy, pathForClusterIds, resolvePath, summarize, weightRange } from './placement-model';
import { filterLevel } from './placement-search';

const inst = (over: Partial<TopologyInstance>): TopologyInstance => ({
  id: 'x',
  name: 'x',
  service: 's',
  appVersion: 'v1',
  adminState: 'ready',
  effectiveWeight: 50,
  targetWeight: 50,
  degradation: 0,
  breaker: 'closed',
  up: true,
  ...over,
});

describe('summarize', () => {
  it('says what is inside: weight range, degraded (L≥1), breakers, down, unhealthy, weight bands', () => {
    const s = summarize([
      inst({ effectiveWeight: 12.4 }),
      inst({ effectiveWeight: 96.6, degradation: 2 }),
      inst({ effectiveWeight: 50, breaker: 'open' }),
      inst({ effectiveWeight: 61, breaker: 'half-open', up: false }),
      inst({ effectiveWeight: null, degradation: null, breaker: null, up: null }),
    ]);
    expect(s).toMatchObject({ instances: 5, sampled: 4, minWeight: 12.4, maxWeight: 96.6, degraded: 1, worstLevel: 2, openBreakers: 1, halfOpenBreakers: 1, down: 1, unhealthy: 3, backpressured: 0, faulted: 0 });
    expect(s.bands).toEqual([1, 0, 1, 1, 1]);
    expect(weightRange(s)).toBe('weight 12–97');
    expect(describeSummary(s)).toBe('5 instances · weight 12–97 · 1 down · 1 open breaker · 1 half-open · 1 degraded (worst L2)');
  });

  it('backpressure and injected faults count as unhealthy and are said', () => {
    const s = summarize([inst({ blockedStages: 2 }), inst({ fault: { kind: 'delay', run: 'latency #1' } }), inst({ blockedStages: 0, fault: null })]);
    expect(s).toMatchObject({ backpressured: 1, faulted: 1, unhealthy: 2 });
    expect(describeSummary(s)).toBe('3 instances · weight 50 · 1 backpressured · 1 with an injected fault');
  });

  it('before the first tick there is no range, and no claim of health', () => {
    const s = summarize([inst({ effectiveWeight: null, degradation: null, breaker: null, up: null })]);
    expect(describeSummary(s)).toBe('1 instance · no telemetry yet');
    expect(isUnhealthy(inst({ effectiveWeight: null, degradation: null, breaker: null, up: null }))).toBe(false);
    expect(describeSummary(summarize([inst({})]))).toBe('1 instance · weight 50 · all healthy');
  });
});

describe('buildPlacement', () => {
  it('orders the instances of a cluster by name naturally (v1-2 before v1-10)', () => {
    const map = syntheticMap({ regions: 1, zones: 1, clusters: 1, perCluster: 1 });
    const names = ['svc-v1-10', 'svc-v1-1', 'svc-v1-19', 'svc-v1-2', 'svc-v2-1', 'svc-v1-3'];
    map.regions[0]!.zones[0]!.clusters[0]!.instances = names.map((name) => inst({ id: name, name }));
    const [c] = buildPlacement(map)[0]!.zones[0]!.clusters;
    expect(c!.instances.map((i) => i.name)).toEqual(['svc-v1-1', 'svc-v1-2', 'svc-v1-3', 'svc-v1-10', 'svc-v1-19', 'svc-v2-1']);
    expect(['a-10', 'a-9', 'b-1'].map((name) => ({ name })).sort(byNaturalName).map((x) => x.name)).toEqual(['a-9', 'a-10', 'b-1']);
  });
  it('adds each level up from its children', () => {
    const map = syntheticMap({ regions: 2, zones: 3, clusters: 2, perCluster: 7, health: (k) => (k % 10 === 0 ? { degradation: 1 } : k % 13 === 0 ? { up: false } : {}) });
    const regions = buildPlacement(map);
    const all = map.regions.flatMap((r) => r.zones.flatMap((z) => z.clusters.flatMap((c) => c.instances)));
    const total = fleetSummary(regions);
    expect(total).toEqual(summarize(all));
    for (const r of regions) {
      expect(r.summary.instances).toBe(r.zones.reduce((n, z) => n + z.summary.instances, 0));
      for (const z of r.zones) expect(z.summary.degraded).toBe(z.clusters.reduce((n, c) => n + c.summary.degraded, 0));
    }
    expect(regions[1]!.zones[2]!.clusters[1]!.path).toEqual(['region-01', 'zone-01-02', 'c-01-02-01']);
    expect(regions[1]!.zones[2]!.clusters[1]!.key).toBe('cluster:r1z2c1');
  });
});

describe('resolvePath', () => {
  const regions = buildPlacement(syntheticMap({ regions: 2, zones: 2, clusters: 2, perCluster: 1 }));
  it('names the level a path shows', () => {
    expect(resolvePath(regions, []).level.depth).toBe(0);
    const one = resolvePath(regions, ['region-01']);
    expect(one.level.depth === 1 && one.level.regions.map((r) => r.name)).toEqual(['region-01']);
    const zone = resolvePath(regions, ['region-01', 'zone-01-00']);
    expect(zone.level.depth === 2 && zone.level.zone.name).toBe('zone-01-00');
    const c = resolvePath(regions, ['region-01', 'zone-01-00', 'c-01-00-01']);
    expect(c).toMatchObject({ path: ['region-01', 'zone-01-00', 'c-01-00-01'], missing: null });
    expect(c.level.depth === 3 && c.level.cluster.name).toBe('c-01-00-01');
  });
  it('falls back to the deepest part that exists and says what is missing', () => {
    expect(resolvePath(regions, ['nowhere'])).toMatchObject({ path: [], missing: 'No region is named “nowhere”.' });
    expect(resolvePath(regions, ['region-00', 'zone-01-00'])).toMatchObject({ path: ['region-00'], missing: 'No zone is named “zone-01-00” in region-00.' });
    expect(resolvePath(regions, ['region-00', 'zone-00-01', 'gone'])).toMatchObject({ path: ['region-00', 'zone-00-01'], missing: 'No cluster is named “gone” in zone-00-01.' });
  });
  it('turns an old ?expand= cluster id into its path', () => {
    expect(pathForClusterIds(regions, ['nope', 'r1z0c1'])).toEqual(['region-01', 'zone-01-00', 'c-01-00-01']);
    expect(pathForClusterIds(regions, ['nope'])).toBeNull();
  });
});

/** What the browser would draw for a level: the nodes that carry a key (groups, cards, tiles). */
function drawn(node: ReturnType<typeof createElement>): { keyed: number; tiles: number; html: string } {
  const html = renderToStaticMarkup(node);
  return { keyed: (html.match(/data-key="/g) ?? []).length, tiles: (html.match(/data-key="instance:/g) ?? []).length, html };
}

describe('at 10,000 instances', () => {
  const map = syntheticMap({ regions: 5, zones: 2, clusters: 5, perCluster: 200, health: (k) => (k % 97 === 0 ? { breaker: 'open' } : {}) });
  const regions = buildPlacement(map);
  const marks: Marks = { focus: null, search: null, go: () => {} };

  it('the first paint draws the groups, not the instances: a few hundred nodes at most', () => {
    expect(fleetSummary(regions).instances).toBe(10_000);
    const top = resolvePath(regions, []).level;
    if (!('regions' in top)) throw new Error('expected the fleet level');
    const first = drawn(createElement(FleetLevel, { regions: top.regions, marks }));
    expect(first.tiles).toBe(0);
    expect(first.keyed).toBe(5 + 10 + 50);
    expect(first.html).toContain('Region region-04, 2,000 instances');
    expect(first.html).toMatch(/Cluster c-00-00-00, 200 instances · weight \d+–\d+/);
  });

  it('a zone draws its clusters with at most three named instances each; a cluster draws its own tiles only', () => {
    const zone = resolvePath(regions, ['region-02', 'zone-02-01']).level;
    if (zone.depth !== 2) throw new Error('expected a zone');
    const z = drawn(createElement(ZoneLevel, { zone: zone.zone, marks }));
    expect(z.tiles).toBe(0);
    expect((z.html.match(/\/instances\//g) ?? []).length).toBe(5 * 3);
    const cluster = resolvePath(regions, ['region-02', 'zone-02-01', 'c-02-01-04']).level;
    if (cluster.depth !== 3) throw new Error('expected a cluster');
    expect(drawn(createElement(ClusterLevel, { cluster: cluster.cluster, marks })).tiles).toBe(200);
  });

  it('"only unhealthy" keeps the clusters with an open breaker and counts the rest as hidden', () => {
    const { level, hidden } = filterLevel(resolvePath(regions, []).level, true);
    if (!('regions' in level)) throw new Error('expected the fleet level');
    const shown = level.regions.flatMap((r) => r.zones.flatMap((z) => z.clusters));
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.every((c) => c.summary.openBreakers > 0)).toBe(true);
    expect(shown.length + hidden.clusters).toBe(50);
  });

  it('the same structure draws the same markup whatever the figures (nothing moves between ticks)', () => {
    const other = buildPlacement(syntheticMap({ regions: 5, zones: 2, clusters: 5, perCluster: 200, health: (k) => ({ effectiveWeight: (k * 7) % 100 }) }));
    const order = (rs: typeof regions) => rs.flatMap((r) => [r.key, ...r.zones.flatMap((z) => [z.key, ...z.clusters.map((c) => c.key)])]);
    expect(order(other)).toEqual(order(regions));
    const keys = (html: string) => [...html.matchAll(/data-key="([^"]+)"/g)].map((m) => m[1]);
    const top = (rs: typeof regions) => {
      const l = resolvePath(rs, []).level;
      if (!('regions' in l)) throw new Error('expected the fleet level');
      return keys(drawn(createElement(FleetLevel, { regions: l.regions, marks })).html);
    };
    expect(top(other)).toEqual(top(regions));
  });
});

import { describe, expect, it } from 'vitest';
import { syntheticMap } from './placement-fixtures';
import { buildPlacement, fleetSummary, resolvePath } from './placement-model';
import { filterLevel, hiddenText, searchPlacement, unhealthyScope } from './placement-search';

const map = syntheticMap({ regions: 2, zones: 2, clusters: 2, perCluster: 4, health: (k) => (k === 3 ? { degradation: 2 } : k === 9 ? { up: false } : {}) });
const regions = buildPlacement(map);

describe('searchPlacement', () => {
  it('finds an instance by its full name first, with the path that shows it', () => {
    const r = searchPlacement(regions, 'order-api-c-01-00-01-v1-02')!;
    expect(r.total).toBe(1);
    expect(r.hits[0]).toMatchObject({ kind: 'instance', name: 'order-api-c-01-00-01-v1-02', path: ['region-01', 'zone-01-00', 'c-01-00-01'], rank: 0 });
    expect(r.matched.has(r.hits[0]!.key)).toBe(true);
    // The way to the hit stays lit; a sibling cluster does not.
    expect([...r.within].sort()).toEqual(['cluster:r1z0c1', 'region:r1', 'zone:r1z0']);
  });

  it('a cluster name finds the cluster, not each of its instances; groups rank before instances', () => {
    const r = searchPlacement(regions, 'C-00-01-01')!;
    // Instances in name order within the cluster (the placement model sorts them naturally).
    expect(r.hits.map((h) => `${h.kind}:${h.name}`)).toEqual(['cluster:c-00-01-01', 'instance:order-api-c-00-01-01-v1-02', 'instance:order-api-c-00-01-01-v1-04', 'instance:payment-svc-c-00-01-01-v1-01', 'instance:payment-svc-c-00-01-01-v1-03']);
    expect(r.hits[0]!.rank).toBe(0);
  });

  it('terms narrow by service, version and place: "order-api v2 zone-01-01"', () => {
    const r = searchPlacement(regions, '  order-api   zone-01-01 ')!;
    expect(r.hits.every((h) => h.kind === 'instance' && h.name.startsWith('order-api-c-01-01'))).toBe(true);
    expect(r.total).toBe(4);
    const v2 = searchPlacement(regions, 'v2')!;
    expect(v2.total).toBe(8);
    expect(v2.hits.every((h) => h.kind === 'instance' && h.rank === 3)).toBe(true);
  });

  it('a label matches as key=value', () => {
    const labelled = buildPlacement(syntheticMap({ regions: 1, zones: 1, clusters: 1, perCluster: 3, health: (k) => (k === 2 ? { labels: { team: 'payments' } } : {}) }));
    expect(searchPlacement(labelled, 'team=payments')!.hits.map((h) => h.name)).toEqual(['order-api-c-00-00-00-v1-02']);
  });

  it('nothing and blank', () => {
    expect(searchPlacement(regions, 'nothing-like-this')).toMatchObject({ total: 0, hits: [] });
    expect(searchPlacement(regions, '   ')).toBeNull();
  });

  it('caps the hits it lists but counts them all', () => {
    const r = searchPlacement(regions, 'svc', 5)!;
    expect(r.hits).toHaveLength(5);
    expect(r.total).toBe(16);
    expect(r.matched.size).toBe(16);
  });
});

describe('filterLevel', () => {
  it('keeps the groups with an unhealthy instance and counts what it hid, contents included', () => {
    const { level, hidden } = filterLevel(resolvePath(regions, []).level, true);
    if (!('regions' in level)) throw new Error('fleet level expected');
    // Instance 3 (degraded) is in c-00-00-00, instance 9 (down) in c-00-01-00; region-01 is healthy.
    expect(level.regions.map((r) => r.zones.map((z) => `${z.name}:${z.clusters.map((c) => c.name).join(',')}`))).toEqual([['zone-00-00:c-00-00-00', 'zone-00-01:c-00-01-00']]);
    expect(hidden).toEqual({ regions: 1, zones: 2, clusters: 6, instances: 0 });
  });

  it('in a cluster keeps the unhealthy instances', () => {
    const { level, hidden } = filterLevel(resolvePath(regions, ['region-00', 'zone-00-00', 'c-00-00-00']).level, true);
    expect(level.depth === 3 && level.cluster.instances.map((i) => i.id)).toEqual(['i3']);
    expect(hidden.instances).toBe(3);
  });

  it('unfiltered is the level itself', () => {
    const l = resolvePath(regions, []).level;
    expect(filterLevel(l, false).level).toBe(l);
  });
});

describe('what "only unhealthy" says about its scope', () => {
  const fleet = fleetSummary(regions);

  // The scope is read from the level as drilled (unfiltered): a healthy region filtered away still has a name.
  it('names the cluster it looked in, and what is unhealthy elsewhere (issue 14: "Nothing unhealthy here" inside a cluster of a sick fleet)', () => {
    const level = resolvePath(regions, ['region-00', 'zone-00-00', 'c-00-00-01']).level;
    const { hidden } = filterLevel(level, true);
    expect(unhealthyScope(level, fleet)).toEqual({
      scope: 'cluster c-00-00-01',
      nothing: true,
      elsewhere: 2,
      title: 'Nothing unhealthy in cluster c-00-00-01',
      body: 'No instance in cluster c-00-00-01 is degraded, down, behind an open or half-open breaker, backpressured or under an injected fault. Elsewhere in the fleet: 2 unhealthy instances.',
    });
    expect(hiddenText(hidden, 'cluster c-00-00-01')).toBe('4 instances hidden in cluster c-00-00-01: all healthy.');
  });

  it('a zone and a region are named too; a scope with something unhealthy is not "nothing"', () => {
    const zone = resolvePath(regions, ['region-01', 'zone-01-00']).level;
    expect(unhealthyScope(zone, fleet)).toMatchObject({ scope: 'zone zone-01-00', nothing: true, title: 'Nothing unhealthy in zone zone-01-00', elsewhere: 2 });
    const region = resolvePath(regions, ['region-01']).level;
    expect(unhealthyScope(region, fleet)).toMatchObject({ scope: 'region region-01', nothing: true });
    const sick = resolvePath(regions, ['region-00', 'zone-00-00', 'c-00-00-00']).level;
    expect(unhealthyScope(sick, fleet)).toMatchObject({ scope: 'cluster c-00-00-00', nothing: false, elsewhere: 1 });
  });

  it('the whole fleet healthy: nothing elsewhere either', () => {
    const healthy = buildPlacement(syntheticMap({ regions: 1, zones: 1, clusters: 1, perCluster: 2 }));
    const level = resolvePath(healthy, []).level;
    const { hidden } = filterLevel(level, true);
    expect(unhealthyScope(level, fleetSummary(healthy))).toEqual({
      scope: 'the fleet',
      nothing: true,
      elsewhere: 0,
      title: 'Nothing unhealthy in the fleet',
      body: 'No instance in the fleet is degraded, down, behind an open or half-open breaker, backpressured or under an injected fault.',
    });
    expect(hiddenText(hidden, 'the fleet')).toBe('1 region, 1 zone, 1 cluster hidden: all healthy.');
  });
});

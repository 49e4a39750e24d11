import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { experimentSpecSchema, type ExperimentSpec, type ExperimentSpecInput } from './spec';
import { allowedCount } from './blast-radius';
import { describeTargets, hashSeed, selectTargets, shareCount, type TargetCandidate } from './selection';

/** A fleet: `n` instances of `service`, spread over zones a/b and clusters c1/c2. */
function fleet(service: string, n: number, extra: Partial<TargetCandidate> = {}): TargetCandidate[] {
  return Array.from({ length: n }, (_, k) => ({
    id: `${service}-${k}`,
    name: `${service}-${String(k).padStart(2, '0')}`,
    service,
    version: k % 4 === 0 ? 'v2' : 'v1',
    region: 'eu',
    zone: k % 2 === 0 ? 'eu-a' : 'eu-b',
    cluster: k % 3 === 0 ? 'c1' : 'c2',
    labels: { layer: service === 'edge' ? 'access' : 'data', ...(k === 0 ? { tier: 'gold' } : {}) },
    adminState: 'ready',
    ...extra,
  }));
}

function spec(over: Partial<ExperimentSpecInput> = {}): ExperimentSpec {
  return experimentSpecSchema.parse({ fault: { kind: 'kill' }, targets: { services: ['pay'] }, durationS: 60, ...over });
}

const FLEET = [...fleet('pay', 20), ...fleet('edge', 4)];

describe('selectTargets — matching', () => {
  it('matches every non-empty list and all labels; empty lists match anything', () => {
    const all = selectTargets({ spec: spec({ targets: {} }), instances: FLEET, globalMaxPct: 100, seed: 's' });
    expect(all.matched).toHaveLength(24);
    const zoneA = selectTargets({ spec: spec({ targets: { services: ['pay'], zones: ['eu-a'] } }), instances: FLEET, globalMaxPct: 100, seed: 's' });
    expect(zoneA.matched.map((i) => i.zone)).toEqual(new Array(10).fill('eu-a'));
    const v2c1 = selectTargets({ spec: spec({ targets: { services: ['pay'], versions: ['v2'], clusters: ['c1'] } }), instances: FLEET, globalMaxPct: 100, seed: 's' });
    // k % 4 == 0 and k % 3 == 0 below 20: 0 and 12.
    expect(v2c1.matched.map((i) => i.id)).toEqual(['pay-0', 'pay-12']);
    const gold = selectTargets({ spec: spec({ targets: { labels: { tier: 'gold', layer: 'data' } } }), instances: FLEET, globalMaxPct: 100, seed: 's' });
    expect(gold.matched.map((i) => i.id)).toEqual(['pay-0']);
    const region = selectTargets({ spec: spec({ targets: { regions: ['us'] } }), instances: FLEET, globalMaxPct: 100, seed: 's' });
    expect(region.matched).toEqual([]);
  });

  it('refuses in words when nothing matches, naming the targets', () => {
    const p = selectTargets({ spec: spec({ targets: { services: ['nope'], labels: { tier: 'gold' } } }), instances: FLEET, globalMaxPct: 100, seed: 's' });
    expect(p.refusals).toEqual(['No instance matches service nope; label tier=gold: change the targets']);
    expect(p.selected).toEqual([]);
    expect(selectTargets({ spec: spec(), instances: [], globalMaxPct: 100, seed: 's' }).refusals[0]).toContain('(the fleet has no instances)');
    expect(describeTargets(spec({ targets: {} }).targets)).toBe('any instance');
  });

  it('warns about a listed service with no match, and leaves draining / maintained instances out', () => {
    const f = [...fleet('pay', 4), ...fleet('edge', 2, { adminState: 'maintenance' })];
    const p = selectTargets({ spec: spec({ targets: { services: ['pay', 'edge', 'gone'] } }), instances: f, globalMaxPct: 100, seed: 's' });
    expect(p.matched).toHaveLength(6);
    expect(p.selected.map((i) => i.service)).toEqual(['pay', 'pay', 'pay', 'pay']);
    expect(p.warnings).toContain('gone: no instance of this service matches the other targets');
    expect(p.warnings.some((w) => w.startsWith('2 matching instances are draining or in maintenance and left out: edge-00 (maintenance)'))).toBe(true);
    const none = selectTargets({ spec: spec({ targets: { services: ['edge'] } }), instances: f, globalMaxPct: 100, seed: 's' });
    expect(none.refusals).toEqual(['Every instance matching service edge is draining or in maintenance: return one to service or change the targets']);
  });
});

describe('selectTargets — selection modes', () => {
  const run = (selection: ExperimentSpecInput['selection'], seed = 'seed', services = ['pay']) =>
    selectTargets({ spec: spec({ selection, targets: { services }, blastRadius: { maxServicePct: 100 } }), instances: FLEET, globalMaxPct: 100, seed });

  it('all, one, count, percent pick that many', () => {
    expect(run({ mode: 'all' }).selected).toHaveLength(20);
    expect(run({ mode: 'one' }).selected).toHaveLength(1);
    expect(run({ mode: 'count', count: 7 }).selected).toHaveLength(7);
    expect(run({ mode: 'percent', pct: 30 }).selected).toHaveLength(6);
    // 30 % of 3 is 0.9: at least one instance.
    expect(selectTargets({ spec: spec({ selection: { mode: 'percent', pct: 30 } }), instances: fleet('pay', 3), globalMaxPct: 100, seed: 's' }).selected).toHaveLength(1);
    // Per service: 25 % of 20 pay and of 4 edge.
    const both = run({ mode: 'percent', pct: 25 }, 'x', ['pay', 'edge']);
    expect([both.selected.filter((i) => i.service === 'pay').length, both.selected.filter((i) => i.service === 'edge').length]).toEqual([5, 1]);
  });

  it('refuses a count larger than the matches instead of trimming', () => {
    const p = run({ mode: 'count', count: 25 });
    expect(p.refusals).toEqual(['The selection asks for 25 instances but only 20 match: lower the count to 20 or widen the targets']);
    expect(p.selected).toEqual([]);
    const drained = FLEET.map((i) => (i.id === 'pay-3' ? { ...i, adminState: 'drain' as const } : i));
    const q = selectTargets({ spec: spec({ selection: { mode: 'count', count: 20 }, blastRadius: { maxServicePct: 100 } }), instances: drained, globalMaxPct: 100, seed: 's' });
    expect(q.refusals).toEqual(['The selection asks for 20 instances but only 19 of the 20 matching instances are in service: lower the count to 19 or widen the targets']);
  });

  it('is deterministic for a seed, independent of input order, and differs across seeds', () => {
    const a = run({ mode: 'count', count: 5 }, 'run-1');
    const b = selectTargets({ spec: spec({ selection: { mode: 'count', count: 5 }, blastRadius: { maxServicePct: 100 } }), instances: [...FLEET].reverse(), globalMaxPct: 100, seed: 'run-1' });
    expect(b.selected.map((i) => i.id)).toEqual(a.selected.map((i) => i.id));
    const draws = new Set(['run-1', 'run-2', 'run-3', 'run-4', 'run-5'].map((s) => run({ mode: 'count', count: 5 }, s).selected.map((i) => i.id).join()));
    expect(draws.size).toBeGreaterThan(1);
    expect(hashSeed('a')).not.toBe(hashSeed('b'));
  });

  it('random-up-to draws from one up to the share, and says the preview is one possible draw', () => {
    const sizes = new Set<number>();
    for (let s = 0; s < 40; s++) {
      const p = run({ mode: 'random-up-to', pct: 25 }, `s${s}`);
      expect(p.selected.length).toBeGreaterThanOrEqual(1);
      expect(p.selected.length).toBeLessThanOrEqual(5);
      expect(p.warnings.some((w) => w.startsWith('random: this is one possible draw'))).toBe(true);
      sizes.add(p.selected.length);
    }
    expect(sizes.size).toBeGreaterThan(2);
    expect(run({ mode: 'all' }).warnings).toEqual([]);
    expect(run({ mode: 'all' }).summary).toBe('all 20 matching instances');
  });

  it('property: the selection is a subset of the ready matches, without repeats, sized by the mode', () => {
    const modeArb = fc.oneof(
      fc.constant({ mode: 'all' as const }),
      fc.constant({ mode: 'one' as const }),
      fc.integer({ min: 1, max: 30 }).map((count) => ({ mode: 'count' as const, count })),
      fc.integer({ min: 1, max: 100 }).map((pct) => ({ mode: 'percent' as const, pct })),
      fc.integer({ min: 1, max: 100 }).map((pct) => ({ mode: 'random-up-to' as const, pct })),
    );
    fc.assert(
      fc.property(modeArb, fc.integer({ min: 1, max: 25 }), fc.string({ maxLength: 8 }), (selection, n, seed) => {
        const f = fleet('pay', n).map((i, k) => (k % 5 === 4 ? { ...i, adminState: 'drain' as const } : i));
        const p = selectTargets({ spec: spec({ selection, blastRadius: { maxServicePct: 100 } }), instances: f, globalMaxPct: 100, seed });
        const ready = f.filter((i) => i.adminState === 'ready');
        const ids = p.selected.map((i) => i.id);
        expect(new Set(ids).size).toBe(ids.length);
        for (const i of p.selected) expect(ready.map((r) => r.id)).toContain(i.id);
        const expected = { all: ready.length, one: 1, count: selection.mode === 'count' && selection.count <= ready.length ? selection.count : 0, percent: shareCount(ready.length, 'pct' in selection ? selection.pct : 0) }[selection.mode as 'all'];
        if (selection.mode === 'random-up-to') expect(ids.length).toBeLessThanOrEqual(shareCount(ready.length, selection.pct));
        else expect(ids.length).toBe(expected);
        // The same seed gives the same draw.
        expect(selectTargets({ spec: spec({ selection, blastRadius: { maxServicePct: 100 } }), instances: f, globalMaxPct: 100, seed }).selected.map((i) => i.id)).toEqual(ids);
      }),
      { numRuns: 300 },
    );
  });
});

describe('selectTargets — blast radius', () => {
  it('counts every instance of a targeted service, matched or not, and refuses over the admin maximum in words', () => {
    const p = selectTargets({
      spec: spec({ targets: { services: ['pay'], zones: ['eu-a'] }, selection: { mode: 'count', count: 3 }, blastRadius: { maxServicePct: 50 } }),
      instances: FLEET,
      globalMaxPct: 10,
      seed: 's',
    });
    expect(p.capPct).toBe(10);
    expect(p.perService).toEqual([{ service: 'pay', key: 'pay', total: 20, selected: 3, pct: 15, capPct: 10, allowed: 2 }]);
    expect(p.refusals[0]).toBe("service pay: 3 of 20 instances (15 %) — over the blast-radius cap of 10 % (the admin's maximum) by 1 instance; select at most 2, or narrow the targets");
    // The admin's maximum bounds the zone too: 3 of eu-a's 10 pay instances.
    expect(p.refusals).toContain("zone eu-a: 3 of 10 instances (30 %) — over the blast-radius cap of 10 % (the admin's maximum) by 2 instances; select at most 1, or narrow the targets");
    // Refused, not trimmed: the preview still shows the three it would have hit.
    expect(p.selected).toHaveLength(3);
  });

  it("names the experiment's own cap and offers to raise it when the admin allows more", () => {
    const p = selectTargets({ spec: spec({ selection: { mode: 'count', count: 6 }, blastRadius: { maxServicePct: 20 } }), instances: FLEET, globalMaxPct: 50, seed: 's' });
    expect(p.capPct).toBe(20);
    expect(p.refusals).toEqual(["service pay: 6 of 20 instances (30 %) — over the blast-radius cap of 20 % (this experiment's cap) by 2 instances; select at most 4, narrow the targets, or raise the experiment's cap to 30 %"]);
    expect(selectTargets({ spec: spec({ selection: { mode: 'count', count: 4 }, blastRadius: { maxServicePct: 20 } }), instances: FLEET, globalMaxPct: 50, seed: 's' }).refusals).toEqual([]);
  });

  it('says when even one instance is over the cap', () => {
    const p = selectTargets({ spec: spec({ targets: { services: ['edge'] }, selection: { mode: 'one' }, blastRadius: { maxServicePct: 20 } }), instances: FLEET, globalMaxPct: 100, seed: 's' });
    expect(p.refusals[0]).toContain('service edge: 1 of 4 instances (25 %) — over the blast-radius cap of 20 %');
    expect(p.refusals[0]).toContain('even one instance is 25 %');
  });

  it('applies zone and cluster caps to the targeted services only, when set', () => {
    // 10 pay instances in eu-a; all-mode on eu-a hits 10 of eu-a's 10 pay + 2 edge = 12 there.
    const base = { targets: { services: ['pay'], zones: ['eu-a'] }, selection: { mode: 'all' as const } };
    const open = selectTargets({ spec: spec({ ...base, blastRadius: { maxServicePct: 100 } }), instances: FLEET, globalMaxPct: 100, seed: 's' });
    expect(open.refusals).toEqual([]);
    expect(open.perZone).toEqual([{ zone: 'eu-a', key: 'eu-a', total: 10, selected: 10, pct: 100, capPct: 100, allowed: 10 }]);
    const capped = selectTargets({ spec: spec({ ...base, blastRadius: { maxServicePct: 100, maxZonePct: 60, maxClusterPct: 80 } }), instances: FLEET, globalMaxPct: 100, seed: 's' });
    expect(capped.refusals).toEqual([
      "zone eu-a: 10 of 10 instances (100 %) — over the blast-radius cap of 60 % (this experiment's zone cap) by 4 instances; select at most 6, narrow the targets, or raise the zone cap to 100 %",
    ]);
    // Clusters: pay eu-a instances are k even: c1 has k in {0, 6, 12, 18} of c1's 7 pay instances.
    expect(capped.perCluster.map((r) => [r.cluster, r.selected, r.total])).toEqual([
      ['c1', 4, 7],
      ['c2', 6, 13],
    ]);
    const tight = selectTargets({ spec: spec({ ...base, blastRadius: { maxServicePct: 100, maxClusterPct: 50 } }), instances: FLEET, globalMaxPct: 100, seed: 's' });
    expect(tight.refusals).toEqual(["cluster c1: 4 of 7 instances (57.1 %) — over the blast-radius cap of 50 % (this experiment's cluster cap) by 1 instance; select at most 3, narrow the targets, or raise the cluster cap to 58 %"]);
  });

  it("bounds every zone and cluster by the admin's maximum too, saying which scope, its share and the limit", () => {
    // Three zones of two clusters, one edge instance in each cluster (the demo's edge-gateway shape).
    const f = nested([[1, 1], [1, 1], [1, 1]]);
    const zoneA = (blastRadius: ExperimentSpecInput['blastRadius'], globalMaxPct: number) =>
      selectTargets({ spec: spec({ targets: { services: ['edge'], zones: ['z0'] }, selection: { mode: 'all' }, blastRadius }), instances: f, globalMaxPct, seed: 's' });
    // 2 of 6 (33 %) is within the service caps; 2 of zone z0's 2 is not within the admin's 50 %.
    const admin = zoneA({ maxServicePct: 50 }, 50);
    expect(admin.caps).toEqual({ service: { pct: 50, by: 'experiment' }, zone: { pct: 50, by: 'admin' }, cluster: { pct: 50, by: 'admin' } });
    expect(admin.refusals).toEqual(["zone z0: 2 of 2 instances (100 %) — over the blast-radius cap of 50 % (the admin's maximum) by 1 instance; select at most 1, or narrow the targets"]);
    expect(admin.perZone).toEqual([{ zone: 'z0', key: 'z0', total: 2, selected: 2, pct: 100, capPct: 50, allowed: 1 }]);
    // A cluster holding one instance may lose it (a cap cannot split one instance); said, not refused.
    expect(admin.perCluster.map((r) => [r.cluster, r.selected, r.total, r.allowed])).toEqual([
      ['z0-c0', 1, 1, 1],
      ['z0-c1', 1, 1, 1],
    ]);
    expect(admin.warnings).toEqual(['Above the zone or cluster cap only by the one instance a cap always allows there (one instance cannot be spread thinner): cluster z0-c0 1 of 1 (100 %), cluster z0-c1 1 of 1 (100 %)']);
    // The experiment's own zone cap above the admin's maximum changes nothing; raising it is not offered.
    expect(zoneA({ maxServicePct: 50, maxZonePct: 80 }, 50).refusals).toEqual(admin.refusals);
    // Its own cap below the maximum is named as the experiment's, and raising it is offered only up to the maximum.
    const own = zoneA({ maxServicePct: 50, maxZonePct: 40 }, 100);
    expect(own.caps.zone).toEqual({ pct: 40, by: 'experiment' });
    expect(own.refusals).toEqual(["zone z0: 2 of 2 instances (100 %) — over the blast-radius cap of 40 % (this experiment's zone cap) by 1 instance; select at most 1, narrow the targets, or raise the zone cap to 100 %"]);
    expect(zoneA({ maxServicePct: 50, maxZonePct: 40 }, 60).refusals[0]).toMatch(/\(this experiment's zone cap\) by 1 instance; select at most 1, or narrow the targets$/);
    // An admin who allows whole zones lets it start.
    expect(zoneA({ maxServicePct: 50 }, 100).refusals).toEqual([]);
    // A cluster with room for more than one instance is bounded like a zone.
    const big = selectTargets({ spec: spec({ targets: { services: ['edge'], clusters: ['z0-c0'] }, selection: { mode: 'count', count: 3 }, blastRadius: { maxServicePct: 100 } }), instances: nested([[4, 4], [4, 4]]), globalMaxPct: 50, seed: 's' });
    expect(big.refusals).toEqual(["cluster z0-c0: 3 of 4 instances (75 %) — over the blast-radius cap of 50 % (the admin's maximum) by 1 instance; select at most 2, or narrow the targets"]);
  });

  it('draws within the zone and cluster caps when it can, whatever the seed', () => {
    // Half of six edge instances, one per cluster and two per zone: one per zone on every draw.
    for (let s = 0; s < 50; s++) {
      const p = selectTargets({ spec: spec({ targets: { services: ['edge'] }, selection: { mode: 'percent', pct: 50 }, blastRadius: { maxServicePct: 50 } }), instances: nested([[1, 1], [1, 1], [1, 1]]), globalMaxPct: 50, seed: `run-${s}` });
      expect(p.refusals).toEqual([]);
      expect(p.perZone.map((r) => r.selected)).toEqual([1, 1, 1]);
    }
    // When no cap binds, different seeds still draw different instances (the steering does not fix the draw).
    const draws = new Set(Array.from({ length: 10 }, (_, s) => selectTargets({ spec: spec({ targets: { services: ['edge'] }, selection: { mode: 'one' } }), instances: nested([[1, 1], [1, 1], [1, 1]]), globalMaxPct: 100, seed: `s${s}` }).selected[0]!.id));
    expect(draws.size).toBeGreaterThan(1);
  });

  it("property: no refusal iff the count fits the service cap and the zones' and clusters' room; the admin's maximum bounds every scope", () => {
    const shape = fc.array(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 });
    const ownCap = fc.option(fc.integer({ min: 1, max: 100 }), { nil: null });
    fc.assert(
      fc.property(shape, fc.integer({ min: 1, max: 48 }), fc.integer({ min: 1, max: 100 }), ownCap, ownCap, fc.string({ maxLength: 6 }), (zones, count, globalMax, maxZonePct, maxClusterPct, seed) => {
        const f = nested(zones);
        const n = f.length;
        const p = selectTargets({ spec: spec({ targets: { services: ['edge'] }, selection: { mode: 'count', count }, blastRadius: { maxServicePct: 100, maxZonePct, maxClusterPct } }), instances: f, globalMaxPct: globalMax, seed });
        const zoneCap = Math.min(maxZonePct ?? 100, globalMax);
        const clusterCap = Math.min(maxClusterPct ?? 100, globalMax);
        // Zones hold clusters: the most any draw can take is each zone's room, filled from its clusters' room.
        const room = zones.reduce((sum, cs) => sum + Math.min(allowedCount('zone', cs.reduce((a, b) => a + b, 0), zoneCap), cs.reduce((a, c) => a + Math.min(c, allowedCount('cluster', c, clusterCap)), 0)), 0);
        const fits = count <= n && count * 100 <= globalMax * n && count <= room;
        expect(p.refusals.length === 0).toBe(fits);
        if (p.refusals.length > 0) return;
        // Accepted: no service share above the admin's maximum, no zone or cluster above it but for its one instance.
        for (const r of p.perService) expect(r.selected * 100).toBeLessThanOrEqual(globalMax * r.total);
        for (const r of [...p.perZone, ...p.perCluster]) expect(r.selected).toBeLessThanOrEqual(Math.max(1, Math.floor((r.total * globalMax) / 100 + 1e-9)));
      }),
      { numRuns: 400 },
    );
  });
});

/** One `edge` instance per unit: zones[z][c] instances in cluster z{z}-c{c} of zone z{z}. */
function nested(zones: number[][]): TargetCandidate[] {
  return zones.flatMap((clusters, z) =>
    clusters.flatMap((n, c) =>
      Array.from({ length: n }, (_, k) => ({ id: `e-${z}-${c}-${k}`, name: `edge-z${z}-c${c}-${k}`, service: 'edge', version: 'v1', region: 'eu', zone: `z${z}`, cluster: `z${z}-c${c}`, labels: {}, adminState: 'ready' as const })),
    ),
  );
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apply, applyFeedMessage, diff, type Json, type TopologyFeedMessage } from './topology-delta';

// Ids from small pools, so two random maps share many regions, zones, clusters and instances
// (changed, moved, reordered) and differ in some (added, removed).
const pick = (prefix: string, n: number) => fc.integer({ min: 0, max: n - 1 }).map((i) => `${prefix}${i}`);
// JSON has no -0 (the wire turns it into 0), hence the + 0.
const num = fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => x + 0);
const scalar = fc.oneof(fc.constant(null), fc.boolean(), fc.integer({ min: -5, max: 5 }), num, fc.constantFrom('open', 'closed', 'v1', 'v2', ''));
/** Fields the delta does not know by name: the placement engineer may add some. */
const extraFields = fc.dictionary(fc.constantFrom('zeta', 'labels', 'canary', 'pressure'), fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.record({ a: scalar })), { maxKeys: 2 });

const instance = fc
  .tuple(
    pick('i', 40),
    fc.record({ name: fc.constantFrom('a', 'b', 'c'), service: fc.constantFrom('api', 'db'), effectiveWeight: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 100 })), degradation: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 3 })), breaker: fc.oneof(fc.constant(null), fc.constantFrom('open', 'closed')), up: fc.oneof(fc.constant(null), fc.boolean()) }),
    extraFields,
  )
  .map(([id, fields, extra]) => ({ id, ...fields, ...extra }));
const byId = <T extends { id: string }>(arb: fc.Arbitrary<T>, max: number) => fc.uniqueArray(arb, { selector: (x) => x.id, maxLength: max });
const cluster = fc.record({ id: pick('c', 8), name: fc.constantFrom('c-a', 'c-b'), instances: byId(instance, 6), agg: fc.record({ count: fc.nat(10), avgWeight: fc.oneof(fc.constant(null), num), openBreakers: fc.nat(3) }) });
const zone = fc.record({ id: pick('z', 5), name: fc.constantFrom('z-a', 'z-b'), clusters: byId(cluster, 3) });
const region = fc.record({ id: pick('r', 3), name: fc.constantFrom('eu', 'us'), zones: byId(zone, 3) });
const topologyMap = fc.record({ tickId: fc.oneof(fc.constant(null), fc.bigInt({ min: 1n, max: 999n }).map(String)), at: fc.oneof(fc.constant(null), fc.constant('2026-12-02T07:00:00.000Z')), regions: byId(region, 3) });

/** A JSON round trip: what the wire would carry (and it drops nothing the maps hold). */
const wire = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe('topology delta', () => {
  it('apply(base, diff(base, next)) equals next for random maps (instances, clusters, zones, regions added, removed, changed, reordered)', () => {
    fc.assert(
      fc.property(topologyMap, topologyMap, (base, next) => {
        const patch = diff(base, next);
        const after = apply(wire(base) as Json, wire(patch));
        expect(after).toEqual(next);
        // Nothing is sent only when nothing changed (key order aside).
        if (patch === null) expect(base).toEqual(next);
      }),
      { numRuns: 400 },
    );
  });

  it('never modifies the base, and keeps the identity of what did not change', () => {
    fc.assert(
      fc.property(topologyMap, topologyMap, (base, next) => {
        const frozen = JSON.stringify(base);
        const after = apply(base as Json, diff(base as Json, next as Json)) as typeof base;
        expect(JSON.stringify(base)).toBe(frozen);
        for (const r of after.regions) {
          const old = base.regions.find((b) => b.id === r.id);
          if (old && JSON.stringify(old) === JSON.stringify(r)) expect(r).toBe(old);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('carries only what changed: one instance field, by the instance id, whatever the field is called', () => {
    const instances = Array.from({ length: 500 }, (_, i) => ({ id: `i${i}`, name: `n${i}`, effectiveWeight: 50, newField: 'x' }));
    const base = { tickId: '1', regions: [{ id: 'r', zones: [{ id: 'z', clusters: [{ id: 'c', instances }] }] }] };
    const next = wire(base);
    next.tickId = '2';
    next.regions[0]!.zones[0]!.clusters[0]!.instances[7]!.newField = 'y';
    const patch = diff(base, next);
    // A few hundred bytes against the ~25 KB of the whole map.
    expect(JSON.stringify(patch).length).toBeLessThan(JSON.stringify(next).length / 50);
    expect(JSON.stringify(patch)).toContain('"i7"');
    expect(apply(base, patch)).toEqual(next);
  });
});

type M = { tickId: string | null; regions: Json[] };
const map = (tickId: string, weight: number): M => ({ tickId, regions: [{ id: 'r', zones: [{ id: 'z', clusters: [{ id: 'c', instances: [{ id: 'i', w: weight }] }] }] }] });
const delta = (from: M, to: M): TopologyFeedMessage<M> => ({ kind: 'delta', baseTickId: from.tickId!, tickId: to.tickId!, patch: diff(from, to) });

describe('the client step (applyFeedMessage)', () => {
  it('applies a delta onto the base it names; after a missed tick it resyncs, and the refetched snapshot plus later deltas give the right state', () => {
    const ticks = [map('1', 10), map('2', 20), map('3', 30), map('4', 40)];
    let held: M = ticks[0]!;
    const step = (m: TopologyFeedMessage<M>) => applyFeedMessage(held, m);

    const r2 = step(delta(ticks[0]!, ticks[1]!));
    expect(r2).toEqual(ticks[1]);
    held = r2 as M;
    // Tick 3's delta is lost: tick 4's names base 3, which the client does not hold.
    expect(step(delta(ticks[2]!, ticks[3]!))).toBe('resync');
    // The resync: the snapshot query answers with tick 3 (the server was a tick behind), then tick 4 arrives again as a delta on 3.
    held = ticks[2]!;
    const r4 = step(delta(ticks[2]!, ticks[3]!));
    expect(r4).toEqual(ticks[3]);
    held = r4 as M;
    // An old delta after a resync that went further changes nothing.
    expect(step(delta(ticks[1]!, ticks[2]!))).toBe(held);
  });

  it('takes a snapshot over anything older, and resyncs on a patch that does not fit', () => {
    expect(applyFeedMessage(map('1', 1), { kind: 'snapshot', tickId: '5', map: map('5', 5) })).toEqual(map('5', 5));
    expect(applyFeedMessage(undefined, { kind: 'snapshot', tickId: '5', map: map('5', 5) })).toEqual(map('5', 5));
    expect(applyFeedMessage(undefined, delta(map('1', 1), map('2', 2)))).toBe('resync');
    const foreign: TopologyFeedMessage<M> = { kind: 'delta', baseTickId: '1', tickId: '2', patch: { o: { s: [['regions', { k: { c: [['nope', { v: 1 }]] } }]] } } };
    expect(applyFeedMessage(map('1', 1), foreign)).toBe('resync');
  });
});

import { describe, expect, it } from 'vitest';
import type { ServiceRouting, StrategyPolicy } from './model';
import { defaultStrategyPolicy } from './policy-defaults';
import { seededRandom } from './seeded-random';
import { headerRuleFractions, splitTraffic, type SplitInput, type SplitInstance } from './traffic-split';

const all: StrategyPolicy['order'] = defaultStrategyPolicy.order;
const without = (name: string): StrategyPolicy['order'] => all.map((s) => (s.name === name ? { ...s, enabled: false } : s));
const inst = (id: string, appVersion: string, weight: number, zone = 'z1'): SplitInstance => ({ id, appVersion, zone, weight });
const routing = (versionWeights: Record<string, number>, headerRules: ServiceRouting['headerRules'] = []): ServiceRouting => ({ versionWeights, headerRules });
const split = (over: Partial<SplitInput> & Pick<SplitInput, 'instances' | 'routing'>) => splitTraffic({ strategies: all, ...over });
const shares = (r: ReturnType<typeof splitTraffic>) => Object.fromEntries([...r.shares].map(([k, v]) => [k, Math.round(v * 1e9) / 1e9]));
const canaryRule = { header: 'X-Abtest-Group', equals: 'v2-canary', version: 'v2' };

describe('splitTraffic — versions and weights (SPEC §3.6)', () => {
  it('splits unmatched traffic 80 / 20 between versions, then by instance weight', () => {
    const r = split({ routing: routing({ v1: 80, v2: 20 }), instances: [inst('a', 'v1', 50), inst('b', 'v1', 50), inst('c', 'v2', 70)] });
    expect(shares(r)).toEqual({ a: 0.4, b: 0.4, c: 0.2 });
    expect(r.byVersion.v1).toBeCloseTo(0.8, 12);
    expect(r.byVersion.v2).toBeCloseTo(0.2, 12);
    expect(r.unserved).toBe(0);
  });

  it('within a version, shares follow the load-aware weights', () => {
    const r = split({ routing: routing({ v1: 1 }), instances: [inst('a', 'v1', 30), inst('b', 'v1', 90)] });
    expect(shares(r)).toEqual({ a: 0.25, b: 0.75 });
  });

  it('with `weighted` disabled, instances of a version share equally', () => {
    const r = split({ strategies: without('weighted'), routing: routing({ v1: 1 }), instances: [inst('a', 'v1', 30), inst('b', 'v1', 90)] });
    expect(shares(r)).toEqual({ a: 0.5, b: 0.5 });
  });

  it('an instance with weight 0 receives nothing, even with `weighted` disabled', () => {
    const instances = [inst('a', 'v1', 0), inst('b', 'v1', 40), inst('c', 'v1', 60)];
    expect(shares(split({ routing: routing({ v1: 1 }), instances }))).toEqual({ a: 0, b: 0.4, c: 0.6 });
    expect(shares(split({ strategies: without('weighted'), routing: routing({ v1: 1 }), instances }))).toEqual({ a: 0, b: 0.5, c: 0.5 });
  });

  it('a version whose instances are all at weight 0 leaves its share unserved', () => {
    const r = split({ routing: routing({ v1: 50, v2: 50 }), instances: [inst('a', 'v1', 80), inst('c', 'v2', 0)] });
    expect(shares(r)).toEqual({ a: 0.5, c: 0 });
    expect(r.unserved).toBeCloseTo(0.5, 12);
    expect(r.byVersion).toEqual({ v1: 0.5 });
  });

  it('a version without any instance, or no version weight at all, is unserved', () => {
    expect(split({ routing: routing({ v1: 70, v3: 30 }), instances: [inst('a', 'v1', 10)] }).unserved).toBeCloseTo(0.3, 12);
    const none = split({ routing: routing({ v1: 0 }), instances: [inst('a', 'v1', 10)] });
    expect(none.unserved).toBe(1);
    expect(shares(none)).toEqual({ a: 0 });
  });
});

describe('splitTraffic — header rules (strategy `canary`)', () => {
  it('pins matching requests to the rule version, even one with no version weight', () => {
    const r = split({
      routing: routing({ v1: 100 }, [canaryRule]),
      headerMix: { 'X-Abtest-Group=v2-canary': 0.1 },
      instances: [inst('a', 'v1', 50), inst('c', 'v2', 50)],
    });
    expect(shares(r)).toEqual({ a: 0.9, c: 0.1 });
  });

  it('adds pinned traffic to the version split of the rest', () => {
    const r = split({
      routing: routing({ v1: 50, v2: 50 }, [canaryRule]),
      headerMix: { 'X-Abtest-Group=v2-canary': 0.2 },
      instances: [inst('a', 'v1', 50), inst('c', 'v2', 50)],
    });
    expect(shares(r)).toEqual({ a: 0.4, c: 0.6 });
  });

  it('is ignored when `canary` is disabled', () => {
    const r = split({
      strategies: without('canary'),
      routing: routing({ v1: 100 }, [canaryRule]),
      headerMix: { 'X-Abtest-Group=v2-canary': 0.1 },
      instances: [inst('a', 'v1', 50), inst('c', 'v2', 50)],
    });
    expect(shares(r)).toEqual({ a: 1, c: 0 });
  });

  it('earlier rules win; fractions never exceed the traffic left', () => {
    const r = split({
      routing: routing({ v1: 100 }, [canaryRule, { header: 'X-Device-Type', equals: 'ios', version: 'v3' }]),
      headerMix: { 'X-Abtest-Group=v2-canary': 0.7, 'X-Device-Type=ios': 0.6 },
      instances: [inst('a', 'v1', 50), inst('c', 'v2', 50), inst('d', 'v3', 50)],
    });
    expect(shares(r)).toEqual({ a: 0, c: 0.7, d: 0.3 });
  });

  it('a rule without matching traffic pins nothing', () => {
    const r = split({ routing: routing({ v1: 100 }, [canaryRule]), instances: [inst('a', 'v1', 50), inst('c', 'v2', 50)] });
    expect(shares(r)).toEqual({ a: 1, c: 0 });
  });

  it('pinned traffic to a version without a serving instance is unserved', () => {
    const r = split({ routing: routing({ v1: 100 }, [canaryRule]), headerMix: { 'X-Abtest-Group=v2-canary': 0.25 }, instances: [inst('a', 'v1', 50), inst('c', 'v2', 0)] });
    expect(r.unserved).toBeCloseTo(0.25, 12);
  });
});

describe('splitTraffic — prefix and regex header rules over the header catalogue', () => {
  const mix = {
    'X-Abtest-Group=v1-stable': 0.05,
    'X-Abtest-Group=v2-canary': 0.03,
    'X-Abtest-Group=v2-beta': 0.02,
    'X-Device-Type=ios': 0.35,
    'X-Device-Type=android': 0.4,
    'X-Device-Type=web': 0.25,
    ...Object.fromEntries(Array.from({ length: 10 }, (_, d) => [`X-User-Id=user-100${d}`, 0.1])),
  };
  const two = [inst('a', 'v1', 50), inst('c', 'v2', 50)];
  const canaryShare = (rules: ServiceRouting['headerRules']) => split({ routing: routing({ v1: 100 }, rules), headerMix: mix, instances: two }).byVersion.v2 ?? 0;

  it('a prefix rule takes every value it begins', () => {
    expect(canaryShare([{ header: 'X-Abtest-Group', equals: 'v2-', match: 'prefix', version: 'v2' }])).toBeCloseTo(0.05, 12);
    expect(canaryShare([{ header: 'X-Abtest-Group', equals: 'v', match: 'prefix', version: 'v2' }])).toBeCloseTo(0.1, 12);
    expect(canaryShare([{ header: 'X-Abtest-Group', equals: 'v3', match: 'prefix', version: 'v2' }])).toBe(0);
  });

  it('a regex rule takes every value it finds (unanchored, like HAProxy), a bad pattern none', () => {
    expect(canaryShare([{ header: 'X-Device-Type', equals: '^(ios|android)$', match: 'regex', version: 'v2' }])).toBeCloseTo(0.75, 12);
    expect(canaryShare([{ header: 'X-User-Id', equals: '[0-4]$', match: 'regex', version: 'v2' }])).toBeCloseTo(0.5, 12);
    expect(canaryShare([{ header: 'X-Abtest-Group', equals: 'canary', match: 'regex', version: 'v2' }])).toBeCloseTo(0.03, 12);
    expect(canaryShare([{ header: 'X-Abtest-Group', equals: '(', match: 'regex', version: 'v2' }])).toBe(0);
  });

  it('exact stays exact (no prefix match), and header names are case-insensitive', () => {
    expect(canaryShare([{ header: 'X-Abtest-Group', equals: 'v2', version: 'v2' }])).toBe(0);
    expect(canaryShare([{ header: 'x-abtest-group', equals: 'v2-canary', match: 'exact', version: 'v2' }])).toBeCloseTo(0.03, 12);
  });

  it('a value an earlier rule took is not counted again by a later rule on the same header', () => {
    const r = split({
      routing: routing({ v1: 100 }, [
        { header: 'X-Abtest-Group', equals: 'v2-canary', version: 'v2' },
        { header: 'X-Abtest-Group', equals: 'v2', match: 'prefix', version: 'v3' },
      ]),
      headerMix: mix,
      instances: [...two, inst('d', 'v3', 50)],
    });
    expect(r.byVersion.v2).toBeCloseTo(0.03, 12);
    expect(r.byVersion.v3).toBeCloseTo(0.02, 12);
    expect(r.byVersion.v1).toBeCloseTo(0.95, 12);
  });
});

describe('splitTraffic — precomputed header-rule fractions', () => {
  const mix = { 'X-Abtest-Group=v2-canary': 0.03, 'X-Abtest-Group=v2-beta': 0.02, 'X-Device-Type=ios': 0.35, 'X-Device-Type=android': 0.4, 'X-User-Id=user-1003': 0.5, 'X-User-Id=user-1007': 0.5 };
  const instances = [inst('a', 'v1', 50, 'z1'), inst('b', 'v2', 50, 'z2'), inst('c', 'v3', 30, 'z1')];
  const rules: ServiceRouting['headerRules'][] = [
    [],
    [canaryRule],
    [
      { header: 'X-Abtest-Group', equals: 'v2-canary', version: 'v2' },
      { header: 'x-abtest-group', equals: 'v2', match: 'prefix', version: 'v3' },
      { header: 'X-Device-Type', equals: '^(ios|android)$', match: 'regex', version: 'v2' },
      { header: 'X-User-Id', equals: '[0-4]$', match: 'regex', version: 'v3' },
      { header: 'X-User-Id', equals: '(', match: 'regex', version: 'v2' },
    ],
  ];

  it('passing headerRuleFractions gives exactly the split computed without it', () => {
    for (const headerRules of rules) {
      for (const versionWeights of [{ v1: 90, v2: 10 }, { v1: 100 }, {}] as Array<Record<string, number>>) {
        for (const callerZones of [undefined, { z1: 0.7, z2: 0.3 }]) {
          const input = { routing: routing(versionWeights, headerRules), instances, strategies: all, headerMix: mix, ...(callerZones ? { callerZones } : {}) };
          const matchedFractions = headerRuleFractions(headerRules, mix);
          expect(splitTraffic({ ...input, matchedFractions })).toEqual(splitTraffic(input));
        }
      }
    }
    // Each rule's own fraction, after earlier rules took their values (v2-canary counted once).
    expect(headerRuleFractions(rules[2]!, mix)).toEqual([0.03, 0.02, 0.75, 0.5, 0]);
  });
});

describe('splitTraffic — zone-aware', () => {
  const instances = [inst('a', 'v1', 50, 'z1'), inst('b', 'v1', 50, 'z1'), inst('c', 'v1', 50, 'z2')];

  it('keeps each caller zone in its own zone', () => {
    const r = split({ routing: routing({ v1: 1 }), instances, callerZones: { z1: 0.75, z2: 0.25 } });
    expect(shares(r)).toEqual({ a: 0.375, b: 0.375, c: 0.25 });
  });

  it('normalises caller fractions', () => {
    const r = split({ routing: routing({ v1: 1 }), instances, callerZones: { z1: 3, z2: 1 } });
    expect(shares(r)).toEqual({ a: 0.375, b: 0.375, c: 0.25 });
  });

  it('a caller zone without a serving instance spills over the whole version by weight', () => {
    const r = split({ routing: routing({ v1: 1 }), instances: [inst('a', 'v1', 50, 'z1'), inst('c', 'v1', 0, 'z2'), inst('d', 'v1', 150, 'z3')], callerZones: { z2: 1 } });
    expect(shares(r)).toEqual({ a: 0.25, c: 0, d: 0.75 });
  });

  it('without caller zones, or with `zone-aware` disabled, zones do not matter', () => {
    const expected = { a: 1 / 3, b: 1 / 3, c: 1 / 3 };
    const round = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Math.round(v * 1e9) / 1e9]));
    expect(shares(split({ routing: routing({ v1: 1 }), instances }))).toEqual(round(expected));
    expect(shares(split({ strategies: without('zone-aware'), routing: routing({ v1: 1 }), instances, callerZones: { z1: 1 } }))).toEqual(round(expected));
  });

  it('combines with versions and weights', () => {
    const r = split({
      routing: routing({ v1: 50, v2: 50 }),
      instances: [inst('a', 'v1', 20, 'z1'), inst('b', 'v1', 60, 'z1'), inst('c', 'v2', 50, 'z1'), inst('d', 'v2', 50, 'z2')],
      callerZones: { z1: 0.5, z2: 0.5 },
    });
    // v1 lives in z1 only: z2 callers spill over to it. v2: each zone keeps its own.
    expect(shares(r)).toEqual({ a: 0.125, b: 0.375, c: 0.25, d: 0.25 });
  });
});

describe('splitTraffic — properties (seeded)', () => {
  it('shares are ≥ 0, cover every instance, and add up to 1 − unserved; zero weights get nothing', () => {
    const rnd = seededRandom(123);
    for (let run = 0; run < 300; run++) {
      const versions = ['v1', 'v2', 'v3'].slice(0, rnd.int(1, 3));
      const zones = ['z1', 'z2', 'z3'];
      const instances = Array.from({ length: rnd.int(0, 12) }, (_, i) => inst(`i${i}`, rnd.pick(versions), rnd.chance(0.2) ? 0 : rnd.int(1, 100), rnd.pick(zones)));
      const versionWeights = Object.fromEntries(versions.map((v) => [v, rnd.chance(0.2) ? 0 : rnd.int(1, 100)]));
      const strategies = all.map((s) => ({ ...s, enabled: rnd.chance(0.7) }));
      const r = splitTraffic({
        routing: routing(versionWeights, [canaryRule]),
        instances,
        strategies,
        headerMix: rnd.chance(0.5) ? { 'X-Abtest-Group=v2-canary': rnd.next() } : undefined,
        callerZones: rnd.chance(0.5) ? { z1: rnd.next(), z2: rnd.next() } : undefined,
      });
      expect(r.shares.size).toBe(instances.length);
      let total = 0;
      for (const i of instances) {
        const s = r.shares.get(i.id)!;
        expect(s).toBeGreaterThanOrEqual(0);
        if (i.weight === 0) expect(s).toBe(0);
        total += s;
      }
      expect(r.unserved).toBeGreaterThanOrEqual(0);
      expect(total + r.unserved).toBeCloseTo(1, 9);
      expect(Object.values(r.byVersion).reduce((a, b) => a + b, 0)).toBeCloseTo(total, 9);
    }
  });
});

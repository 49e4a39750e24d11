import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketOf, emptyBuckets, LATENCY_BUCKET_COUNT, mergeBuckets, quantilesOf } from '../latency-buckets';
import { evaluateConditions, firstFired, fmtAvailability, ticksInWindow, type ConditionSnapshot, type ConditionTick } from './conditions';
import type { Condition } from './spec';

const T0 = Date.UTC(2026, 11, 2, 1, 0, 0);

/** A tick at `s` seconds with `requests` all answered at `ms` (or no histogram). */
function tick(s: number, requests: number, errors: number, ms: number | null = 20): ConditionTick {
  const buckets = ms === null ? [] : emptyBuckets();
  if (ms !== null) buckets[bucketOf(ms)] = requests;
  return { at: T0 + s * 1000, requests, errors, buckets };
}
const NONE: ConditionSnapshot = { instances: [] };
const healthy: ConditionSnapshot = { instances: [{ name: 'a', level: 0, breakerOpen: false }] };

describe('evaluateConditions — availability', () => {
  const c: Condition = { kind: 'availability-below', pct: 95, windowS: 30 };

  it('computes availability over the window only and fires below the threshold', () => {
    // 30 s window ending at 60: ticks at 31..60 count; the bad tick at 30 is outside.
    const ticks = [tick(30, 100, 100), ...Array.from({ length: 30 }, (_, k) => tick(31 + k, 100, k < 3 ? 70 : 0))];
    const [r] = evaluateConditions([c], ticks, T0 + 60_000, healthy);
    expect(r!.value).toBeCloseTo((1 - 210 / 3000) * 100, 6);
    expect(r).toMatchObject({ fired: true, threshold: 95, unit: '%', index: 0, words: 'availability 93 % over 30 s < 95 %' });
    const later = evaluateConditions([c], ticks, T0 + 70_000, healthy)[0]!;
    expect(later.fired).toBe(false);
    expect(later.words).toBe('availability 100 % over 30 s ≥ 95 %');
  });

  it('no requests: no value, not fired, and words that say no traffic', () => {
    const [r] = evaluateConditions([c], [tick(50, 0, 0)], T0 + 60_000, healthy);
    expect(r).toMatchObject({ fired: false, value: null, words: 'availability: no traffic in the last 30 s (not judged; threshold 95 %)' });
  });

  it('never prints a comparison that reads false', () => {
    expect(fmtAvailability(99.949, 99.95)).toBe('99.94');
    expect(fmtAvailability(99.95, 99.95)).toBe('99.95');
    expect(fmtAvailability(94.96, 95)).toBe('94.9');
    expect(fmtAvailability(95.56, 95.55)).toBe('95.56');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 100, max: 10_000 }), (requests, errors, t) => {
        const threshold = t / 100;
        const r = evaluateConditions([{ kind: 'availability-below', pct: threshold, windowS: 10 }], [tick(1, requests, Math.min(errors, requests))], T0 + 1000, healthy)[0]!;
        const shown = Number(/availability ([\d.]+) %/.exec(r.words)![1]);
        expect(r.fired ? shown < threshold : shown >= threshold).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('evaluateConditions — P99', () => {
  const c: Condition = { kind: 'p99-above', ms: 500, windowS: 10 };

  it('takes P99 from the histograms merged over the window', () => {
    // 10 ticks: 99 % of requests at 20 ms, 1 % at 800 ms → P99 on the edge; 2 % slow → P99 slow.
    const fast = Array.from({ length: 10 }, (_, k) => tick(1 + k, 98, 0, 20));
    const slow = Array.from({ length: 10 }, (_, k) => tick(1 + k, 2, 0, 800));
    const [r] = evaluateConditions([c], [...fast, ...slow], T0 + 10_000, healthy);
    expect(r!.fired).toBe(true);
    expect(r!.value).toBeGreaterThan(700);
    expect(r!.value).toBeLessThanOrEqual(1000);
    expect(r!.words).toMatch(/^P99 \d+ ms over 10 s > 500 ms$/);
    const ok = evaluateConditions([c], fast, T0 + 10_000, healthy)[0]!;
    expect(ok).toMatchObject({ fired: false, unit: 'ms', threshold: 500 });
    expect(ok.words).toMatch(/^P99 \d+ ms over 10 s ≤ 500 ms$/);
  });

  it('says "≥" when P99 is in the overflow bucket, and no value without a histogram', () => {
    const r = evaluateConditions([c], [tick(5, 100, 0, 60_000)], T0 + 10_000, healthy)[0]!;
    expect(r.words).toBe('P99 ≥ 10000 ms over 10 s > 500 ms');
    const none = evaluateConditions([c], [tick(5, 100, 0, null)], T0 + 10_000, healthy)[0]!;
    expect(none).toMatchObject({ fired: false, value: null, words: 'P99: no latency data in the last 10 s (not judged; threshold 500 ms)' });
  });
});

describe('evaluateConditions — breakers and degradation', () => {
  const snap: ConditionSnapshot = {
    instances: [
      { name: 'a', level: 0, breakerOpen: true },
      { name: 'b', level: 2, breakerOpen: true },
      { name: 'c', level: 3, breakerOpen: false },
      { name: 'd', level: 1, breakerOpen: false },
    ],
  };

  it('counts open breakers (more than N fires) and instances at L2+ (N or more fires), naming them', () => {
    const rs = evaluateConditions(
      [
        { kind: 'breakers-open-above', count: 1 },
        { kind: 'breakers-open-above', count: 2 },
        { kind: 'degraded-at-least', count: 2 },
        { kind: 'degraded-at-least', count: 3 },
      ],
      [],
      T0,
      snap,
    );
    expect(rs.map((r) => [r.fired, r.value])).toEqual([
      [true, 2],
      [false, 2],
      [true, 2],
      [false, 2],
    ]);
    expect(rs[0]!.words).toBe('2 breakers open (a, b) > 1');
    expect(rs[2]!.words).toBe('2 instances at L2+ (b, c) ≥ 2');
    expect(rs[3]!.words).toBe('2 instances at L2+ (b, c) < 3');
    expect(rs.map((r) => r.index)).toEqual([0, 1, 2, 3]);
  });

  it('no instance reported: not judged', () => {
    const [a, b] = evaluateConditions([{ kind: 'breakers-open-above', count: 0 }, { kind: 'degraded-at-least', count: 1 }], [], T0, NONE);
    expect([a!.value, a!.fired, b!.value, b!.fired]).toEqual([null, false, null, false]);
  });

  it('firstFired answers the first in list order, or null', () => {
    const rs = evaluateConditions([{ kind: 'degraded-at-least', count: 9 }, { kind: 'breakers-open-above', count: 0 }, { kind: 'degraded-at-least', count: 1 }], [], T0, snap);
    expect(firstFired(rs)!.index).toBe(1);
    expect(firstFired(rs.slice(0, 1))).toBeNull();
  });
});

describe('latency bucket helpers', () => {
  it('mergeBuckets adds bucket by bucket and treats [] as no data; quantilesOf gives null on empty', () => {
    const a = emptyBuckets();
    a[0] = 3;
    const b = emptyBuckets();
    b[0] = 1;
    b[5] = 2;
    const m = mergeBuckets([a, [], b]);
    expect(m).toHaveLength(LATENCY_BUCKET_COUNT);
    expect([m[0], m[5], m.reduce((x, y) => x + y, 0)]).toEqual([4, 2, 6]);
    expect(quantilesOf(mergeBuckets([]))).toEqual({ p50: null, p90: null, p99: null });
    const q = quantilesOf(m);
    expect(q.p50! <= q.p90! && q.p90! <= q.p99!).toBe(true);
  });

  it('ticksInWindow is (now − window, now]', () => {
    expect(ticksInWindow([tick(0, 1, 0), tick(1, 1, 0), tick(10, 1, 0), tick(11, 1, 0)], T0 + 10_000, 10).map((t) => t.at - T0)).toEqual([1000, 10_000]);
  });
});

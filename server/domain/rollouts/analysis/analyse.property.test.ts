// Properties of the sequential tests over arbitrary count streams (fast-check, seeded).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LATENCY_BUCKET_COUNT } from '../../latency-buckets';
import { analyse } from './analyse';
import { MixtureTest } from './sequential';
import type { AnalysisTick } from './types';

const tickArb = fc.record({
  nc: fc.integer({ min: 0, max: 500 }),
  ec: fc.integer({ min: 0, max: 60 }),
  ns: fc.integer({ min: 0, max: 5000 }),
  es: fc.integer({ min: 0, max: 200 }),
});
type RawTick = { nc: number; ec: number; ns: number; es: number };
const toTicks = (raw: RawTick[]): AnalysisTick[] =>
  raw.map((r, i) => ({ at: i * 1000, canary: { requests: r.nc, errors: Math.min(r.ec, r.nc) }, stable: { requests: r.ns, errors: Math.min(r.es, r.ns) } }));
const FC = { seed: 11, numRuns: 150 };

describe('error rate: monotone in the canary errors', () => {
  it('one more canary error never lowers the regression evidence nor raises the within-margin evidence', () => {
    fc.assert(
      fc.property(fc.array(tickArb, { minLength: 1, maxLength: 40 }), fc.nat(), fc.double({ min: 1, max: 3, noNaN: true }), (raw, pick, k) => {
        const at = pick % raw.length;
        const a = new MixtureTest();
        const b = new MixtureTest();
        raw.forEach((r, i) => {
          const ec = Math.min(r.ec, r.nc);
          const es = Math.min(r.es, r.ns);
          a.observe(ec, ec + es, r.nc, r.ns, k);
          const more = i === at && ec < r.nc ? 1 : 0;
          b.observe(ec + more, ec + more + es, r.nc, r.ns, k);
        });
        expect(b.regressionLogE()).toBeGreaterThanOrEqual(a.regressionLogE() - 1e-9);
        expect(b.withinLogE()).toBeLessThanOrEqual(a.withinLogE() + 1e-9);
      }),
      FC,
    );
  });

  it('more canary errors never make a fail later (or undo it) at the same looks', () => {
    let failing = 0;
    fc.assert(
      fc.property(fc.array(tickArb, { minLength: 1, maxLength: 60 }), fc.nat(), fc.integer({ min: 1, max: 20 }), (raw, pick, extra) => {
        const metrics = [{ metric: 'error-rate' as const, maxIncreasePct: 20 }];
        const base = toTicks(raw);
        const worse = toTicks(raw);
        const t = worse[pick % worse.length]!;
        t.canary.errors = Math.min(t.canary.requests, t.canary.errors + extra);
        const input = { metrics, alpha: 0.05, startedAt: 0, endsAt: null, now: raw.length * 1000 };
        const a = analyse({ ...input, ticks: base });
        const b = analyse({ ...input, ticks: worse });
        if (a.verdict === 'fail') {
          failing++;
          expect(b.verdict).toBe('fail');
          expect(b.decidedAt!).toBeLessThanOrEqual(a.decidedAt!);
        }
      }),
      FC,
    );
    // Not vacuous: the generated streams do fail often enough for the comparison to mean something.
    expect(failing).toBeGreaterThan(10);
  });

  it('the e-values and every chart value are finite and the band holds the observed canary value', () => {
    fc.assert(
      fc.property(fc.array(tickArb, { minLength: 0, maxLength: 50 }), fc.constantFrom(0.001, 0.01, 0.05), (raw, alpha) => {
        const r = analyse({ metrics: [{ metric: 'error-rate', maxIncreasePct: 50 }], alpha, startedAt: 0, endsAt: 30_000, now: 60_000, ticks: toTicks(raw) });
        for (const m of r.metrics) {
          expect(Number.isFinite(m.regressionEvidence!)).toBe(true);
          for (const p of m.series) {
            if (p.canary === null) continue;
            expect(p.low! - 1e-9).toBeLessThanOrEqual(p.canary);
            expect(p.high! + 1e-9).toBeGreaterThanOrEqual(p.canary);
          }
        }
      }),
      FC,
    );
  });
});

const total = (h: readonly number[]) => h.reduce((s, x) => s + x, 0);

/** The stream's ticks; with `slower`, every canary request of tick `pick` moved to the overflow bucket. */
function streamTicks(raw: Array<{ c: number[]; s: number[] }>, pick: number, slower: boolean): AnalysisTick[] {
  return raw.map((r, i) => {
    const c = [...r.c];
    if (slower && i === pick % raw.length) {
      const n = total(c);
      c.fill(0);
      c[LATENCY_BUCKET_COUNT - 1] = n;
    }
    return { at: i * 1000, canary: { requests: total(c), errors: 0, buckets: c }, stable: { requests: total(r.s), errors: 0, buckets: r.s } };
  });
}

/** Whether the stream fails; if it does, the slower one must fail too, and no later. */
function failsNoLaterWhenSlower(raw: Array<{ c: number[]; s: number[] }>, pick: number, quantile: 90 | 95): boolean {
  const input = { metrics: [{ metric: 'latency' as const, quantile, maxIncreasePct: 20 }], alpha: 0.05, startedAt: 0, endsAt: null, now: raw.length * 1000 };
  const a = analyse({ ...input, ticks: streamTicks(raw, pick, false) });
  if (a.verdict !== 'fail') return false;
  const b = analyse({ ...input, ticks: streamTicks(raw, pick, true) });
  expect(b.verdict).toBe('fail');
  expect(b.decidedAt!).toBeLessThanOrEqual(a.decidedAt!);
  return true;
}

describe('latency: monotone in slow canary requests', () => {
  const histArb = (max: number) => fc.array(fc.integer({ min: 0, max }), { minLength: LATENCY_BUCKET_COUNT, maxLength: LATENCY_BUCKET_COUNT });
  it('moving canary requests into slower buckets never makes a fail later', () => {
    let failing = 0;
    fc.assert(
      fc.property(fc.array(fc.record({ c: histArb(40), s: histArb(400) }), { minLength: 2, maxLength: 30 }), fc.nat(), (raw, pick) => {
        if (failsNoLaterWhenSlower(raw, pick, 90)) failing++;
      }),
      FC,
    );
    // Not vacuous: the generated streams do fail often enough for the comparison to mean something.
    expect(failing).toBeGreaterThan(10);
  });

  // A stable with nothing beyond its p95 bucket brings in the second regression e-process (its
  // comparison with a lower bound, sequential.ts): that one must be monotone too.
  it('with a tight stable (buckets 15–60 ms only), moving canary requests into slower buckets never makes a fail later', () => {
    let failing = 0;
    const hist = (max: number, lo: number, hi: number) =>
      fc.array(fc.integer({ min: 0, max }), { minLength: hi - lo + 1, maxLength: hi - lo + 1 }).map((a) => Array.from({ length: LATENCY_BUCKET_COUNT }, (_, b) => (b >= lo && b <= hi ? a[b - lo]! : 0)));
    fc.assert(
      fc.property(fc.array(fc.record({ c: hist(30, 2, 9), s: hist(60, 3, 5) }), { minLength: 20, maxLength: 80 }), fc.nat(), (raw, pick) => {
        if (failsNoLaterWhenSlower(raw, pick, 95)) failing++;
      }),
      { seed: 3, numRuns: 400 },
    );
    expect(failing).toBeGreaterThan(10);
  });
});

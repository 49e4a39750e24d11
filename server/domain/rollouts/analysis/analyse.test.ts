import { describe, expect, it } from 'vitest';
import { LATENCY_BUCKET_COUNT } from '../../latency-buckets';
import type { AnalysisMetric } from '../spec';
import { MAX_SERIES_POINTS, analyse } from './analyse';
import { simulateTicks, type SimulateParams } from './simulate';
import type { AnalysisInput, AnalysisTick } from './types';

const ERRORS: AnalysisMetric = { metric: 'error-rate', maxIncreasePct: 50 };
const P95: AnalysisMetric = { metric: 'latency', quantile: 95, maxIncreasePct: 20 };
/** order-api of the demo fleet at its peak (9,000 req/s, SPEC demo) with 5 % on the canary. */
const DEMO: Omit<SimulateParams, 'seed' | 'ticks'> = { requestsPerTick: 9000, canaryShare: 0.05, errorRate: 0.003, p95Ms: 120 };

function run(metrics: AnalysisMetric[], sim: Omit<SimulateParams, 'seed'>, seed: number, budgetS: number | null, alpha = 0.01) {
  const ticks = simulateTicks({ ...sim, seed });
  const now = (sim.ticks - 1) * 1000;
  return analyse({ metrics, alpha, startedAt: 0, endsAt: budgetS === null ? null : budgetS * 1000, now: budgetS === null ? now : Math.max(now, budgetS * 1000), ticks });
}

describe('power against the stated regressions (demo volumes, 5 % canary, α = 0.01)', () => {
  it('errors ×2 against a +50 % margin: fail within 3 min in at least 18 of 20 seeded runs', () => {
    const times: number[] = [];
    for (let s = 0; s < 20; s++) {
      const r = run([ERRORS], { ...DEMO, ticks: 180, canaryErrorFactor: 2, histograms: false }, 100 + s, null);
      if (r.verdict === 'fail') times.push(r.decidedAt!);
    }
    expect(times.length).toBeGreaterThanOrEqual(18);
  });

  it('p95 +30 % against a +20 % margin: fail within 30 s in at least 18 of 20 seeded runs', () => {
    let detected = 0;
    for (let s = 0; s < 20; s++) {
      const r = run([P95], { ...DEMO, ticks: 30, canaryLatencyFactor: 1.3 }, 200 + s, null);
      if (r.verdict === 'fail' && r.metrics[0]!.verdict === 'fail') detected++;
    }
    expect(detected).toBeGreaterThanOrEqual(18);
  });
});

describe('verdicts', () => {
  it('a better canary passes when the budget ends — not before', () => {
    const sim = { ...DEMO, ticks: 121, canaryErrorFactor: 0.5, canaryLatencyFactor: 0.8 };
    const ticks = simulateTicks({ ...sim, seed: 7 });
    const base: AnalysisInput = { metrics: [ERRORS, P95], alpha: 0.01, startedAt: 0, endsAt: 120_000, now: 60_000, ticks };
    const early = analyse(base);
    expect(early.verdict).toBe('running');
    // Within-margin evidence is already there per metric, but the budget is the operator's.
    expect(early.metrics.every((m) => m.verdict === 'pass' && m.withinMarginAt !== null)).toBe(true);
    const done = analyse({ ...base, now: 120_000 });
    expect(done.verdict).toBe('pass');
    expect(done.decidedAt).toBe(120_000);
    expect(done.summary).toBe('pass after 2 min: error rate, p95 latency within their margins');
  });

  it('a budget too short for the traffic is inconclusive', () => {
    const r = run([ERRORS, P95], { requestsPerTick: 40, canaryShare: 0.05, errorRate: 0.003, p95Ms: 120, ticks: 11 }, 3, 10);
    expect(r.verdict).toBe('inconclusive');
    expect(r.decidedAt).toBeNull();
    expect(r.metrics.map((m) => m.verdict)).toEqual(['inconclusive', 'inconclusive']);
    expect(r.summary).toBe('inconclusive after 10 s: no evidence either way for error rate, p95 latency');
  });

  it('a background analysis (no end) never passes: it fails or keeps running', () => {
    const good = run([ERRORS], { ...DEMO, ticks: 300, canaryErrorFactor: 0.5, histograms: false }, 4, null);
    expect(good.verdict).toBe('running');
    expect(good.metrics[0]!.verdict).toBe('running');
    const bad = run([ERRORS], { ...DEMO, ticks: 300, canaryErrorFactor: 3, histograms: false }, 4, null);
    expect(bad.verdict).toBe('fail');
  });

  it('stops at the first failing look and freezes the numbers there', () => {
    const r = run([ERRORS, P95], { ...DEMO, ticks: 300, canaryErrorFactor: 3, histograms: false }, 5, 300);
    expect(r.verdict).toBe('fail');
    const failed = r.metrics[0]!;
    expect(failed.decidedAt).toBe(r.decidedAt);
    expect(failed.series.at(-1)!.at).toBe(r.decidedAt);
    // The undecided metric says the analysis stopped, not that the budget ran out.
    expect(r.metrics[1]!.verdict).toBe('inconclusive');
    expect(r.metrics[1]!.explanation).toMatch(/undecided when the analysis stopped after/);
  });

  it('is deterministic', () => {
    const a = run([ERRORS, P95], { ...DEMO, ticks: 120 }, 9, 120);
    const b = run([ERRORS, P95], { ...DEMO, ticks: 120 }, 9, 120);
    expect(b).toEqual(a);
  });
});

describe('explanations', () => {
  // Evidence shaped like the example: a clearly bad canary after 2 min 10 s.
  const tick = (at: number, nc: number, ec: number, ns: number, es: number): AnalysisTick => ({ at, canary: { requests: nc, errors: ec }, stable: { requests: ns, errors: es } });

  it('says the values, the counts with separators, the margin, the confidence and the time', () => {
    const ticks = Array.from({ length: 131 }, (_, i) => tick(i * 1000, i === 130 ? 1240 - 130 * 9 : 9, 0, i === 130 ? 9810 - 130 * 71 : 71, 0));
    // All the errors arrive in the last tick: 51 of 1,240 canary, 29 of 9,810 stable.
    ticks[130]!.canary.errors = 51;
    ticks[130]!.stable.errors = 29;
    const r = analyse({ metrics: [ERRORS], alpha: 0.01, startedAt: 0, endsAt: 300_000, now: 130_000, ticks });
    expect(r.verdict).toBe('fail');
    expect(r.metrics[0]!.explanation).toBe('canary errors 4.1 % vs stable 0.3 %, 1,240 vs 9,810 requests; regression beyond +50 % at 99 % confidence after 2 min 10 s');
    expect(r.summary).toBe(`fail: error rate — ${r.metrics[0]!.explanation}`);
  });

  // The p95s are cumulative over the step, so after a sudden slowdown the canary's can still read
  // low while the tail the test judges is already heavier: the explanation says that tail.
  it('a latency fail names the bound the tail test compared at and each side\'s share beyond it', () => {
    const h = (parts: Record<number, number>) => Array.from({ length: LATENCY_BUCKET_COUNT }, (_, b) => parts[b] ?? 0);
    const ticks = Array.from({ length: 180 }, (_, i): AnalysisTick => ({
      at: i * 1000,
      canary: { requests: 20, errors: 0, buckets: i < 60 ? h({ 3: 17, 4: 2, 5: 1 }) : h({ 3: 9, 4: 2, 5: 1, 8: 8 }) },
      stable: { requests: 20, errors: 0, buckets: h({ 3: 15, 4: 3, 5: 1, 6: 1 }) },
    }));
    const r = analyse({ metrics: [P95], alpha: 0.01, startedAt: 0, endsAt: 600_000, now: 179_000, ticks });
    expect(r.verdict).toBe('fail');
    expect(r.metrics[0]!.tail).toEqual({ boundMs: 60, canaryPct: 10, stablePct: 5 });
    expect(r.metrics[0]!.explanation).toBe('canary p95 168 ms vs stable 60 ms, 1,600 vs 1,600 requests, 10 % vs 5 % slower than 60 ms; regression beyond +20 % at 99 % confidence after 1 min 19 s');

    const errors = analyse({ metrics: [ERRORS], alpha: 0.01, startedAt: 0, endsAt: 600_000, now: 179_000, ticks });
    expect(errors.metrics[0]!.tail).toBeNull();
  });

  it('before any canary traffic', () => {
    const ticks = [tick(0, 0, 0, 900, 3), tick(1000, 0, 0, 900, 2)];
    const r = analyse({ metrics: [ERRORS], alpha: 0.05, startedAt: 0, endsAt: 120_000, now: 1000, ticks });
    expect(r.verdict).toBe('running');
    expect(r.summary).toBe('running, 1 s of 2 min: no canary traffic yet');
    expect(r.metrics[0]!.explanation).toBe('no canary requests yet (0 vs 1,800 requests); no regression beyond +50 % so far at 95 % confidence, 1 s of 2 min');
    expect(r.metrics[0]!.series.every((p) => p.canary === null && p.low === null)).toBe(true);
  });

  it('a platform without histograms: latency has no evidence and never invents one', () => {
    const ticks = simulateTicks({ ...DEMO, ticks: 61, canaryLatencyFactor: 3, histograms: false, seed: 1 });
    const r = analyse({ metrics: [P95], alpha: 0.01, startedAt: 0, endsAt: 60_000, now: 60_000, ticks });
    expect(r.verdict).toBe('inconclusive');
    expect(r.metrics[0]!.canaryValue).toBeNull();
    expect(r.metrics[0]!.explanation).toMatch(/^no latency histograms from the platform \(a mean response time is never read as a percentile\); no evidence either way/);
  });

  // The lab's case (a CI run of lab/rollout-latency): stable answers in 20 ± 2 ms, so its p95
  // (~32 ms) lies in the 25–40 ms bucket and no stable request ever exceeds 40 ms. The analysis
  // used to take that empty tail as "nothing to compare with" and stayed blind to a canary at
  // 290 ms for 6 minutes.
  it('a tight stable with nothing beyond its p95 bucket still catches a canary 9× slower, and an A/A canary is not failed', () => {
    const tight = (n: number) => Array.from({ length: LATENCY_BUCKET_COUNT }, (_, b) => (b === 3 ? Math.round(n * 0.9) : b === 4 ? n - Math.round(n * 0.9) : 0));
    const slow = (n: number) => Array.from({ length: LATENCY_BUCKET_COUNT }, (_, b) => (b === 9 ? n : 0));
    const tickAt = (i: number, canarySlow: boolean): AnalysisTick => ({
      at: i * 1000,
      canary: { requests: 20, errors: 0, buckets: canarySlow ? slow(20) : tight(20) },
      stable: { requests: 7, errors: 0, buckets: tight(7) },
    });
    const healthy = 45;
    const ticks = Array.from({ length: healthy + 360 }, (_, i) => tickAt(i, i >= healthy));
    const r = analyse({ metrics: [P95], alpha: 0.01, startedAt: 0, endsAt: 600_000, now: ticks.at(-1)!.at, ticks });
    expect(r.verdict).toBe('fail');
    expect(r.decidedAt! - healthy * 1000).toBeLessThanOrEqual(120_000);
    expect(r.metrics[0]!.explanation).toMatch(/regression beyond \+20 % at 99 % confidence/);

    const same = Array.from({ length: 600 }, (_, i) => tickAt(i, false));
    const aa = analyse({ metrics: [P95], alpha: 0.01, startedAt: 0, endsAt: 600_000, now: 599_000, ticks: same });
    expect(aa.verdict).not.toBe('fail');
  });

  // Prometheus scrapes each target on its own phase: with ticks shorter than the scrape interval,
  // the canary's new counts can land in every other tick and stable's in the ticks between — for
  // a whole run. No tick then has both; the analysis pools ticks until it has.
  it('canary and stable counts that never arrive in the same tick are pooled: a canary 10× slower fails, an A/A one does not', () => {
    const hist = (n: number, bucket: number) => Array.from({ length: LATENCY_BUCKET_COUNT }, (_, b) => (b === bucket ? n : b === bucket + 1 ? Math.round(n / 10) : 0));
    const none = { requests: 0, errors: 0, buckets: hist(0, 3) };
    const ticks = (canaryBucket: number) =>
      Array.from({ length: 240 }, (_, i): AnalysisTick => ({
        at: i * 500,
        canary: i % 2 === 0 ? { requests: 33, errors: 0, buckets: hist(30, i >= 60 ? canaryBucket : 3) } : none,
        stable: i % 2 === 1 ? { requests: 33, errors: 0, buckets: hist(30, 3) } : none,
      }));
    const slow = analyse({ metrics: [P95], alpha: 0.01, startedAt: 0, endsAt: 600_000, now: 119_500, ticks: ticks(9) });
    expect(slow.verdict).toBe('fail');
    const aa = analyse({ metrics: [P95], alpha: 0.01, startedAt: 0, endsAt: 600_000, now: 119_500, ticks: ticks(3) });
    expect(aa.verdict).toBe('running');
  });

  it('a canary without stable traffic in its zones is never judged', () => {
    const ticks = Array.from({ length: 60 }, (_, i) => tick(i * 1000, 500, 50, 0, 0));
    const r = analyse({ metrics: [ERRORS], alpha: 0.01, startedAt: 0, endsAt: null, now: 59_000, ticks });
    expect(r.verdict).toBe('running');
    expect(r.metrics[0]!.explanation).toMatch(/^no stable requests in the compared zones to compare with \(30,000 vs 0 requests\)/);
  });
});

describe('inputs at the edges', () => {
  it('huge counts stay finite and decide', () => {
    const ticks = Array.from({ length: 10 }, (_, i): AnalysisTick => ({
      at: i * 1000,
      canary: { requests: 1e12, errors: 2e10, buckets: Array.from({ length: LATENCY_BUCKET_COUNT }, (_, b) => (b === 8 ? 1e12 : 0)) },
      stable: { requests: 1e13, errors: 1e11, buckets: Array.from({ length: LATENCY_BUCKET_COUNT }, (_, b) => (b === 6 ? 9e12 : b === 9 ? 1e12 : 0)) },
    }));
    const r = analyse({ metrics: [ERRORS, P95], alpha: 0.001, startedAt: 0, endsAt: 20_000, now: 9000, ticks });
    expect(r.verdict).toBe('fail');
    expect(JSON.stringify(r)).not.toMatch(/NaN|null,"high":Infinity/);
    expect(r.metrics[0]!.explanation).toMatch(/1,000,000,000,000 vs 10,000,000,000,000 requests/);
  });

  it('NaN, negative and impossible counts are read as nothing, never as evidence', () => {
    const bad: AnalysisTick[] = Array.from({ length: 100 }, (_, i) => ({
      at: i * 1000,
      canary: { requests: i % 2 ? Number.NaN : 50, errors: i % 3 ? -5 : 500, buckets: [Number.NaN, -1, 3] },
      stable: { requests: 1000, errors: Number.POSITIVE_INFINITY, buckets: new Array<number>(LATENCY_BUCKET_COUNT).fill(Number.NaN) },
    }));
    const r = analyse({ metrics: [ERRORS, P95], alpha: 0.01, startedAt: 0, endsAt: null, now: 99_000, ticks: bad });
    const text = JSON.stringify(r);
    expect(text).not.toMatch(/NaN/);
    expect(r.metrics.every((m) => Number.isFinite(m.regressionEvidence!) && Number.isFinite(m.withinMarginEvidence!))).toBe(true);
  });

  it('thins long series to at most 300 points, keeps the first and the last look, and the band holds the observed value', () => {
    const r = run([ERRORS, P95], { ...DEMO, ticks: 1200 }, 11, 1200, 0.05);
    for (const m of r.metrics) {
      expect(m.series.length).toBe(MAX_SERIES_POINTS);
      expect(m.series[0]!.at).toBe(0);
      expect(m.series.at(-1)!.at).toBe(1_199_000);
      for (const p of m.series) {
        if (p.canary === null || p.low === null) continue;
        expect(p.low).toBeLessThanOrEqual(p.canary);
        if (p.high !== null) expect(p.high).toBeGreaterThanOrEqual(p.canary);
      }
    }
  });

  it('ignores ticks before the start, after the budget and after now; sorts the rest', () => {
    const ticks = simulateTicks({ ...DEMO, ticks: 200, seed: 12, startAt: -50_000 });
    const shuffled = [...ticks].reverse();
    const a = analyse({ metrics: [ERRORS], alpha: 0.01, startedAt: 0, endsAt: 100_000, now: 149_000, ticks: shuffled });
    const b = analyse({ metrics: [ERRORS], alpha: 0.01, startedAt: 0, endsAt: 100_000, now: 100_000, ticks: ticks.filter((t) => t.at >= 0 && t.at <= 100_000) });
    expect(a.metrics[0]!.canaryRequests).toBe(b.metrics[0]!.canaryRequests);
    expect(a.verdict).toBe(b.verdict);
  });
});

// The promise of SPEC §6.1: over many seeded A/A runs, each looked at every tick, the share of runs
// that ever say "fail" stays ≤ α — and a Kayenta-style Mann-Whitney repeated every minute on the
// same data does not. Seeds are fixed, so the figures are the same on every run; the bounds are
// still statistical: a correct test passes them with probability ≥ 99.9 %, a test that does not hold
// α (e.g. a fixed-horizon z-test at every look: ~30 % false fails) cannot.
import { describe, expect, it } from 'vitest';
import { LATENCY_BUCKET_COUNT, bucketOf } from '../../latency-buckets';
import { seededRandom } from '../../seeded-random';
import type { AnalysisMetric } from '../spec';
import { analyse } from './analyse';
import { mannWhitneyFixedHorizon } from './mann-whitney';
import { simulateTicks, type SimulateParams } from './simulate';

const ALPHA = 0.05;
/** One-sided 99.9 % normal quantile: the allowance for sampling noise over `runs` runs. */
const Z999 = 3.09;
const upperBound = (runs: number) => ALPHA + Z999 * Math.sqrt((ALPHA * (1 - ALPHA)) / runs);

function falseFails(metrics: AnalysisMetric[], runs: number, sim: Omit<SimulateParams, 'seed'>, firstSeed: number) {
  let sequential = 0;
  let mannWhitney = 0;
  const until = (sim.ticks - 1) * 1000;
  for (let s = 0; s < runs; s++) {
    const ticks = simulateTicks({ ...sim, seed: firstSeed + s });
    // Background mode: no end, no pass — every tick is a look that can only fail or go on.
    if (analyse({ metrics, alpha: ALPHA, startedAt: 0, endsAt: null, now: until, ticks }).verdict === 'fail') sequential++;
    if (mannWhitneyFixedHorizon({ metrics, alpha: ALPHA, startedAt: 0, until: until + 1000, ticks }).verdict === 'fail') mannWhitney++;
  }
  return { sequential: sequential / runs, mannWhitney: mannWhitney / runs };
}

// Hundreds of seeded runs each: a few seconds on an idle machine, more on a loaded one.
const SLOW = 60_000;

describe('false detections with a look every tick', () => {
  // Margin 0 ("is the canary worse at all"): the A/A itself is the null boundary, and with an equal
  // split the per-tick values are exchangeable, so each single Mann-Whitney look holds α exactly —
  // what exceeds α is the repetition alone.
  it('A/A error rate (margin 0, equal split): sequential ≤ α; Mann-Whitney every minute exceeds α on the same data', () => {
    const runs = 300;
    const rates = falseFails([{ metric: 'error-rate', maxIncreasePct: 0 }], runs, { ticks: 600, requestsPerTick: 9000, canaryShare: 0.5, errorRate: 0.01, p95Ms: 120, histograms: false }, 10_000);
    expect(rates.sequential).toBeLessThanOrEqual(upperBound(runs));
    // The repeated fixed-horizon test: above α beyond its own 99 % sampling allowance.
    expect(rates.mannWhitney).toBeGreaterThan(ALPHA + 2.33 * Math.sqrt((ALPHA * (1 - ALPHA)) / runs));
    expect(rates.mannWhitney).toBeGreaterThan(rates.sequential);
  }, SLOW);

  it('A/A error rate and p95 at 5 % canary traffic: sequential ≤ α', () => {
    const runs = 150;
    const metrics: AnalysisMetric[] = [
      { metric: 'error-rate', maxIncreasePct: 1 },
      { metric: 'latency', quantile: 95, maxIncreasePct: 1 },
    ];
    const rates = falseFails(metrics, runs, { ticks: 300, requestsPerTick: 3000, canaryShare: 0.05, errorRate: 0.01, p95Ms: 120 }, 20_000);
    expect(rates.sequential).toBeLessThanOrEqual(upperBound(runs));
  }, SLOW);

  // The hardest nulls: the canary exactly at the margin.
  it('errors ×1.5 against a +50 % margin: sequential ≤ α', () => {
    const runs = 150;
    const rates = falseFails([{ metric: 'error-rate', maxIncreasePct: 50 }], runs, { ticks: 300, requestsPerTick: 3000, canaryShare: 0.1, errorRate: 0.01, canaryErrorFactor: 1.5, p95Ms: 120, histograms: false }, 30_000);
    expect(rates.sequential).toBeLessThanOrEqual(upperBound(runs));
  }, SLOW);

  // The margin is read through stable's histogram (locally lognormal inside a bucket): checked on a
  // lognormal and on a heavier, power-law (log-logistic) tail.
  it.each(['lognormal', 'loglogistic'] as const)('latencies ×1.2 against a p95 margin of +20 percent, %s tail: sequential ≤ α', (family) => {
    const runs = 120;
    const rates = falseFails([{ metric: 'latency', quantile: 95, maxIncreasePct: 20 }], runs, { ticks: 300, requestsPerTick: 3000, canaryShare: 0.1, errorRate: 0.01, canaryLatencyFactor: 1.2, p95Ms: 100, family }, 40_000);
    expect(rates.sequential).toBeLessThanOrEqual(upperBound(runs));
  }, SLOW);

  // A stable whose latency is capped inside its p95's bucket (nothing ever beyond the bound the
  // tail test compares at): uniform on 26–58 ms, p95 56 ms in the 40–60 ms bucket, margin +50 %,
  // the canary exactly 1.5× slower. Taking stable's empty tail as one request's worth failed this
  // canary in every run; the comparison with stable's tail beyond a lower bound is exact here.
  it.each([1, 1.5])('a stable capped inside its p95 bucket, canary ×%s against a p95 margin of +50 percent: sequential ≤ α', (factor) => {
    const runs = 100;
    let fails = 0;
    for (let s = 0; s < runs; s++) {
      const r = seededRandom(50_000 + s);
      const hist = (f: number) => {
        const b = new Array<number>(LATENCY_BUCKET_COUNT).fill(0);
        for (let i = 0; i < 200; i++) b[bucketOf(f * (26 + 32 * r.next()))]!++;
        return b;
      };
      const ticks = Array.from({ length: 300 }, (_, i) => ({ at: i * 1000, canary: { requests: 200, errors: 0, buckets: hist(factor) }, stable: { requests: 200, errors: 0, buckets: hist(1) } }));
      const metrics: AnalysisMetric[] = [{ metric: 'latency', quantile: 95, maxIncreasePct: 50 }];
      if (analyse({ metrics, alpha: ALPHA, startedAt: 0, endsAt: null, now: 299_000, ticks }).verdict === 'fail') fails++;
    }
    expect(fails / runs).toBeLessThanOrEqual(upperBound(runs));
  }, SLOW);
});

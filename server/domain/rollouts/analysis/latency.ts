// Latency quantile q with margin m, from histogram bucket counts only (SPEC §6.1: a mean is never
// read as a percentile; no histogram → no evidence, never an invented one).
//
// The test, per observation t (sequential.ts has the machinery). An observation is a group of
// ticks: ticks are pooled until both versions have requests, because scrapes land on their own
// phases and one version's counts can arrive in the ticks between the other's.
// 1. From stable's histogram of the ticks BEFORE the observation only, b_t = the smallest bucket bound ≥ stable's
//    estimated q-quantile, and k_t = τs(b_t / (1+m)) / τs(b_t), where τs(x) is stable's share of
//    requests slower than x (linear inside a bucket). b_t and k_t are fixed before the observation's
//    counts are seen (predictable), so the product of the observations' ratios stays a supermartingale.
//    While stable has (almost) no request beyond b_t, the canary's tail beyond b_t is also compared
//    with stable's beyond a lower bound, with no ratio to estimate (latencyThreshold says why).
// 2. "Events" are requests slower than b_t (a bucket bound, so they are counted exactly, never
//    interpolated). Conditional on the observation's slow requests, the canary's share is binomial with
//    ρ = τc(b_t) / τs(b_t), and the null is ρ ≤ k_t: "the canary's tail beyond b_t is no heavier
//    than stable's would be if stable were (1+m)× slower". Fail = regression beyond the margin.
// Validity: exact (up to the conditioning argument in sequential.ts) for the tail-ratio null at
// every b_t. In an A/A comparison ρ = 1 ≤ k_t always (k_t ≥ 1 by monotonicity), so false fails stay
// ≤ α whatever the buckets. The approximation is only in reading "q-quantile +m %" as "the tail at
// b_t of a (1+m)× slower stable": it assumes the slowdown near the quantile is a rescaling and uses
// stable's histogram, locally lognormal inside a bucket (tailShare), for τs(b_t/(1+m)). Counting
// only at bucket bounds loses detail, never validity.
// Why not "canary requests slower than the (1+m)·quantile bound ~ Binomial(n, ≤ 1−q)": with ×1.5
// buckets the bound rounds up to 1.0–1.5 × (1+m) × quantile, so a +30 % p95 regression against a
// +20 % margin is undetectable for most stable p95 values, and noise in the stable quantile
// estimate (it is not a known constant) can make that one-sample null false even in A/A.
import { LATENCY_BUCKET_COUNT, LATENCY_BUCKETS_MS, addBuckets, bucketOf, emptyBuckets, quantileOf } from '../../latency-buckets';
import { logBetaBinomialE, normalCdf, normalQuantile } from './math';
import { MixtureTest } from './sequential';
import { count, type MetricTracker } from './tracker';
import type { AnalysisTick, MetricPoint, TailShares } from './types';

/** Stable requests with a latency expected beyond the quantile before a threshold is trusted. */
const MIN_STABLE_TAIL = 10;

function histogram(b: readonly number[] | undefined): readonly number[] | null {
  if (!b || !Array.isArray(b) || b.length !== LATENCY_BUCKET_COUNT) return null;
  const h: readonly unknown[] = b;
  // Copy only when something needs cleaning (the common case allocates nothing).
  for (const v of h) if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0)) return h.map(count);
  return h as readonly number[];
}

const sum = (xs: readonly number[], from = 0) => {
  let s = 0;
  for (let i = from; i < xs.length; i++) s += xs[i]!;
  return s;
};

/**
 * Share of a histogram slower than `ms`. Inside a bucket the latency is taken as locally lognormal:
 * the probit of the CDF is interpolated linearly in log latency between the bucket's bounds (exact
 * for a lognormal; linear interpolation of the CDF itself overstates the tail of a right-skewed
 * bucket by ~30 %, which would hide a +30 % p95 regression behind a +20 % margin).
 */
function tailShare(h: readonly number[], total: number, ms: number): number {
  const i = bucketOf(ms);
  const above = sum(h, i + 1) / total;
  if (i >= LATENCY_BUCKETS_MS.length) return above;
  const inside = h[i]! / total;
  const lo = i === 0 ? 0 : LATENCY_BUCKETS_MS[i - 1]!;
  const hi = LATENCY_BUCKETS_MS[i]!;
  const fLo = 1 - above - inside;
  const fHi = 1 - above;
  if (lo <= 0 || fLo <= 0 || fHi >= 1 || inside <= 0) return above + (inside * (hi - ms)) / (hi - lo);
  const zLo = normalQuantile(fLo);
  const zHi = normalQuantile(fHi);
  const z = zLo + ((zHi - zLo) * Math.log(ms / lo)) / Math.log(hi / lo);
  return Math.min(above + inside, Math.max(above, 1 - normalCdf(z)));
}

export interface LatencyThreshold {
  /** Index of the compared bound b (events: requests slower than it). */
  bucket: number;
  /** Null tail ratio at b; null when stable has no request beyond b (no ratio to estimate). */
  k: number | null;
  /**
   * Set when stable has fewer than MIN_STABLE_TAIL requests beyond b so far: the bucket index (−1:
   * all requests) of the highest bound ≤ b / (1+m), whose stable tail the canary's tail beyond b
   * is also compared with, against a null ratio of 1 (see below).
   */
  cross: number | null;
}

/** The predictable threshold of one tick; null = no test. */
export function latencyThreshold(stablePrev: readonly number[], quantile: number, marginPct: number): LatencyThreshold | null {
  const total = sum(stablePrev);
  const q = quantile / 100;
  if (total * (1 - q) < MIN_STABLE_TAIL) return null;
  const est = quantileOf(stablePrev, q);
  if (est === null) return null;
  const bucket = bucketOf(est);
  if (bucket >= LATENCY_BUCKETS_MS.length) return null; // the quantile is in the overflow: no bound above it
  const bound = LATENCY_BUCKETS_MS[bucket]!;
  // A tight stable (every request inside its quantile's bucket) has no request beyond the bound,
  // and then no ratio k at b can be estimated: the canary's tail beyond b is compared with
  // stable's beyond the highest bound lo ≤ b/(1+m) instead — which stable does populate, its
  // quantile lying above lo — against ρ ≤ 1, using no estimate at all: if the canary is at most
  // (1+m)× slower than stable, τc(b) ≤ τs(b/(1+m)) ≤ τs(lo). Exact for A/A and at the margin
  // however tight stable is, and conservative (it fails once the canary's tail beyond b is
  // heavier than stable's beyond lo). Without it the test was blind for as long as stable stayed
  // tight (a canary at 290 ms against a stable p95 of 32 ms ran 6 minutes without evidence).
  // Dropped: taking stable's empty tail as one request's worth. k then grew with stable's history
  // (k ≈ τs(b/(1+m)) × its requests so far), so detection slowed with the healthy time (40 % of
  // the canary's requests at 135–200 ms against a stable p95 of 50 ms went unnoticed for minutes
  // after 150 healthy seconds), and its evidence against a canary exactly at the margin grew like
  // log t, failing a stable capped at 58 ms against a canary 1.5× slower (margin +50 %) in every
  // seeded run at 200 requests/s. With a few requests beyond b (< MIN_STABLE_TAIL) both run; the
  // cross comparison's e-process also mixes over when it starts betting (sequential.ts), so a
  // healthy period costs it little. Its blind spot: slow canary requests no more than stable's share beyond lo (10 % at
  // 135–200 ms against a stable with 10 % at 40–60 ms); the dropped floor caught those only when
  // the healthy part was short (after 203 s when the canary degraded 10 s in, not in 10 minutes
  // when 30 s in).
  const beyond = sum(stablePrev, bucket + 1);
  const k = beyond > 0 ? Math.max(1, tailShare(stablePrev, total, bound / (1 + marginPct / 100)) / (beyond / total)) : null;
  let cross: number | null = null;
  if (beyond < MIN_STABLE_TAIL) {
    const limit = bound / (1 + marginPct / 100);
    cross = -1;
    for (let j = 0; j < bucket && LATENCY_BUCKETS_MS[j]! <= limit; j++) cross = j;
  }
  return { bucket, k, cross };
}

export function latencyTracker(quantile: number, marginPct: number): MetricTracker {
  const q = quantile / 100;
  const test = new MixtureTest();
  const canary = emptyBuckets();
  const stable = emptyBuckets();
  let canaryHistograms = 0;
  let stableHistograms = 0;
  const looks: Array<{ at: number; canary: number[]; stable: number[] }> = [];
  // Ticks pooled until both versions have requests. Prometheus scrapes each target on its own
  // phase: with ticks shorter than the scrape interval, the canary's new counts and stable's often
  // land in different ticks, and a tick with one side only says nothing (the lab saw whole runs
  // without a single tick with both). A group is tested as one observation against the threshold
  // fixed when it began, from stable's history before it, so the threshold stays predictable; where
  // it ends depends on request counts only, never on how they split into buckets.
  let lastBucket: number | null = null;
  let group: { th: LatencyThreshold | null; canary: number[]; stable: number[] } | null = null;
  return {
    test,
    observe(tick: AnalysisTick) {
      const c = histogram(tick.canary.buckets);
      const s = histogram(tick.stable.buckets);
      if (c || s) {
        group ??= { th: latencyThreshold(stable, quantile, marginPct), canary: emptyBuckets(), stable: emptyBuckets() };
        if (c) addBuckets(group.canary, c);
        if (s) addBuckets(group.stable, s);
        const nc = sum(group.canary);
        const ns = sum(group.stable);
        if (nc > 0 && ns > 0) {
          if (group.th) {
            const x = sum(group.canary, group.th.bucket + 1);
            const y = sum(group.stable, group.th.bucket + 1);
            const lo = group.th.cross;
            const cross = lo === null ? undefined : { x, total: x + sum(group.stable, lo + 1), k: 1 };
            // No ratio at b: a total of 0 makes the first observation say nothing.
            test.observe(x, group.th.k === null ? 0 : x + y, nc, ns, group.th.k ?? 1, cross);
            lastBucket = group.th.bucket;
          }
          group = null;
        }
      }
      // Histories grow after the test: this tick's stable counts only set later thresholds.
      if (c) {
        canaryHistograms++;
        addBuckets(canary, c);
      }
      if (s) {
        stableHistograms++;
        addBuckets(stable, s);
      }
    },
    record(at: number) {
      looks.push({ at, canary: [...canary], stable: [...stable] });
    },
    get recorded() {
      return looks.length;
    },
    point(i: number, alpha: number): MetricPoint {
      const l = looks[i]!;
      const n = sum(l.canary);
      const stableValue = quantileOf(l.stable, q);
      if (n <= 0) return { at: l.at, canary: null, stable: stableValue, low: null, high: null };
      // Band of the canary quantile at bucket resolution: at each bound, an anytime-valid test of
      // "P(latency ≤ bound) = q" (α split over the bounds, so all hold at once). Rejected with the
      // observed share above q → the quantile is ≤ that bound; below q → it is above the bound.
      const bar = Math.log(LATENCY_BUCKETS_MS.length / alpha);
      let low = 0;
      let high: number | null = null;
      let below = 0;
      for (let b = 0; b < LATENCY_BUCKETS_MS.length; b++) {
        below += l.canary[b]!;
        const share = below / n;
        if (share === q || logBetaBinomialE(below, n, q) < bar) continue;
        if (share < q) low = LATENCY_BUCKETS_MS[b]!;
        else if (high === null) high = LATENCY_BUCKETS_MS[b]!;
      }
      return { at: l.at, canary: quantileOf(l.canary, q), stable: stableValue, low, high };
    },
    canaryRequests: () => sum(canary),
    stableRequests: () => sum(stable),
    canaryValue: () => quantileOf(canary, q),
    stableValue: () => quantileOf(stable, q),
    tail(): TailShares | null {
      const nc = sum(canary);
      const ns = sum(stable);
      if (lastBucket === null || nc <= 0 || ns <= 0) return null;
      return { boundMs: LATENCY_BUCKETS_MS[lastBucket]!, canaryPct: (100 * sum(canary, lastBucket + 1)) / nc, stablePct: (100 * sum(stable, lastBucket + 1)) / ns };
    },
    missingEvidence() {
      if (canaryHistograms === 0 && stableHistograms === 0) return 'no latency histograms from the platform (a mean response time is never read as a percentile)';
      if (canaryHistograms === 0) return 'no latency histogram for the canary yet';
      if (stableHistograms === 0) return 'no latency histogram for stable in the compared zones';
      if (sum(canary) <= 0) return 'no canary requests yet';
      if (sum(stable) <= 0) return 'no stable requests in the compared zones to compare with';
      return null;
    },
  };
}

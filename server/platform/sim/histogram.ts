// The simulator's latency histogram per instance and tick (SPEC §6.1: evidence is bucket counts).
// It is built from the same quantiles the simulator reports (p50, p95, p99), so that a quantile
// read back from the buckets lands in the bucket of the reported one: the latency distribution is
// taken as piecewise linear through (min, 0), (p50, 0.5), (p95, 0.95), (p99, 0.99), (max, 1), with
// min and max placed where a shifted exponential (the model's sojourn time) would put them, and the
// completed requests are drawn into the buckets as a multinomial sample of that distribution.
import { LATENCY_BUCKETS_MS, LATENCY_BUCKET_COUNT, bucketOf } from '../../domain/latency-buckets';
import { normal, uniform } from './random';

const LN2_OVER_LN10 = Math.LN2 / Math.LN10;
/** A shifted exponential's tail beyond p99 has mean (p99 − p95) / ln 5; uniform over twice that. */
const TAIL_SPAN = 2 / Math.log(5);

const qs = [0, 0.5, 0.95, 0.99, 1] as const;

/** Latencies (ms) at the quantiles 0, 0.5, 0.95, 0.99 and 1 of the distribution with these quantiles. */
function anchors(p50: number, p95: number, p99: number, capMs: number): number[] {
  const min = Math.max(0, p50 - (p95 - p50) * LN2_OVER_LN10);
  const max = Math.min(capMs, p99 + (p99 - p95) * TAIL_SPAN);
  return [min, p50, p95, p99, Math.max(p99, max)];
}

const MIX_Q = [0.5, 0.95, 0.99] as const;

/**
 * p50, p95, p99 (into `out`) of a mixture: `share` of the requests from distribution `b`, the rest
 * from `a` (each given by its p50, p95, p99 at indexes 0–2), found by bisection on the mixed
 * distribution function. Used for a cohort-scoped delay, where a few requests are much slower.
 */
export function mixtureQuantiles(a: ArrayLike<number>, b: ArrayLike<number>, share: number, capMs: number, out: Float64Array): void {
  const xa = anchors(a[0]!, a[1]!, a[2]!, capMs);
  const xb = anchors(b[0]!, b[1]!, b[2]!, capMs);
  for (let j = 0; j < 3; j++) {
    const q = MIX_Q[j]!;
    let lo = Math.min(xa[0]!, xb[0]!);
    let hi = Math.max(xa[4]!, xb[4]!);
    for (let it = 0; it < 40 && hi - lo > 0.01; it++) {
      const mid = (lo + hi) / 2;
      if ((1 - share) * cdf(mid, xa, qs) + share * cdf(mid, xb, qs) < q) lo = mid;
      else hi = mid;
    }
    out[j] = hi;
  }
}

/** Fraction of requests at or below `x` ms under the piecewise-linear distribution of the anchors. */
function cdf(x: number, xs: readonly number[], qs: readonly number[]): number {
  if (x < xs[0]!) return 0;
  for (let k = 0; k < xs.length - 1; k++) {
    const hi = xs[k + 1]!;
    if (x >= hi) continue;
    const lo = xs[k]!;
    return qs[k]! + ((qs[k + 1]! - qs[k]!) * (x - lo)) / (hi - lo);
  }
  return 1;
}

/**
 * Expected fraction of requests per bucket (LATENCY_BUCKETS_MS + overflow) for a distribution with
 * these quantiles, none above `capMs` (the client timeout: latencies are capped there).
 */
export function bucketFractions(p50: number, p95: number, p99: number, capMs: number): number[] {
  const xs = anchors(p50, p95, p99, capMs);
  const out = new Array<number>(LATENCY_BUCKET_COUNT);
  let prev = 0;
  for (let b = 0; b < LATENCY_BUCKETS_MS.length; b++) {
    const f = cdf(LATENCY_BUCKETS_MS[b]!, xs, qs);
    out[b] = f - prev;
    prev = f;
  }
  out[LATENCY_BUCKETS_MS.length] = 1 - prev;
  return out;
}

/** A binomial count (n trials, probability p): Poisson / normal approximations where they hold. */
function binomial(state: Uint32Array, i: number, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  const mean = n * p;
  if (n < 30) {
    let k = 0;
    for (let t = 0; t < n; t++) if (uniform(state, i) < p) k++;
    return k;
  }
  if (mean < 15 || n - mean < 15) {
    // Poisson on the rarer side.
    const rare = mean < n - mean ? mean : n - mean;
    const limit = Math.exp(-rare);
    let k = 0;
    let u = uniform(state, i);
    while (u > limit && k < n) {
      k++;
      u *= uniform(state, i);
    }
    return mean < n - mean ? k : n - k;
  }
  const k = Math.round(mean + Math.sqrt(mean * (1 - p)) * normal(state, i));
  return k < 0 ? 0 : k > n ? n : k;
}

/**
 * Bucket counts of one instance's tick: `answered` requests drawn from the distribution of the
 * quantiles, plus `timeouts` requests at the timeout (they waited until the client gave up).
 */
export function sampleHistogram(state: Uint32Array, i: number, answered: number, timeouts: number, p50: number, p95: number, p99: number, timeoutMs: number): number[] {
  const counts = new Array<number>(LATENCY_BUCKET_COUNT).fill(0);
  if (answered > 0) {
    const f = bucketFractions(p50, p95, p99, timeoutMs);
    // Multinomial as a chain of binomials over the remaining probability mass.
    let left = answered;
    let mass = 1;
    for (let b = 0; b < LATENCY_BUCKET_COUNT && left > 0; b++) {
      const fb = f[b]!;
      if (fb <= 0) continue;
      const k = b === LATENCY_BUCKET_COUNT - 1 || fb >= mass ? left : binomial(state, i, left, fb / mass);
      counts[b] = k;
      left -= k;
      mass -= fb;
    }
    // Rounding of the mass can leave a few requests: they belong to the last bucket with mass.
    if (left > 0) counts[lastNonZero(f)]! += left;
  }
  if (timeouts > 0) counts[bucketOf(timeoutMs)]! += timeouts;
  return counts;
}

function lastNonZero(f: readonly number[]): number {
  for (let b = f.length - 1; b >= 0; b--) if (f[b]! > 0) return b;
  return f.length - 1;
}

/**
 * Bucket counts of a tick in which `share` of the answered requests (a cohort) follow distribution
 * `b` and the rest `a` (p50, p95, p99 at indexes 0–2): two samples merged, so the histogram keeps
 * the slow cohort's own mode instead of smearing it over the quantiles of the mixture.
 */
export function sampleMixedHistogram(state: Uint32Array, i: number, answered: number, timeouts: number, a: ArrayLike<number>, b: ArrayLike<number>, share: number, timeoutMs: number): number[] {
  const slow = binomial(state, i, answered, share);
  const counts = sampleHistogram(state, i, answered - slow, timeouts, a[0]!, a[1]!, a[2]!, timeoutMs);
  const more = sampleHistogram(state, i, slow, 0, b[0]!, b[1]!, b[2]!, timeoutMs);
  for (let k = 0; k < counts.length; k++) counts[k]! += more[k]!;
  return counts;
}

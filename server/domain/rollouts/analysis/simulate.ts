// Seeded A/A and A/B ticks for the analysis tests and the bench: per tick, Poisson requests for
// the canary (a share of the traffic) and for stable, binomial errors, and a latency histogram
// from a lognormal with a given p95 — the counts the telemetry loop records (types.ts).
import { LATENCY_BUCKETS_MS, LATENCY_BUCKET_COUNT } from '../../latency-buckets';
import { seededRandom, type SeededRandom } from '../../seeded-random';
import { normalCdf } from './math';
import type { AnalysisTick, VersionCounts } from './types';

export interface SimulateParams {
  seed: number;
  ticks: number;
  tickMs?: number;
  /** Epoch ms of the first tick. */
  startAt?: number;
  /** Requests per tick of both versions together (mean). */
  requestsPerTick: number;
  /** Canary's share of the requests (0..1), e.g. 0.05. */
  canaryShare: number;
  /** Stable's error probability per request. */
  errorRate: number;
  /** Canary error probability = errorRate × this (A/A: 1; "errors ×2": 2). */
  canaryErrorFactor?: number;
  /** Stable's p95 in ms. */
  p95Ms: number;
  /** Lognormal shape (σ of log latency). */
  sigma?: number;
  /** Latency family: lognormal (default) or log-logistic (a heavier, power-law tail; shape 1/σ·0.55). */
  family?: 'lognormal' | 'loglogistic';
  /** Canary latencies = stable's × this (A/A: 1; "p95 +30 %": 1.3). */
  canaryLatencyFactor?: number;
  /** Omit histograms (a platform without them). */
  histograms?: boolean;
  /** Ticks (from 0) after which the canary gets traffic; before, it has none. */
  canaryFromTick?: number;
}

const Z95 = 1.6448536269514722;

function normal(r: SeededRandom): number {
  const u = 1 - r.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.next());
}

/** Poisson(mean): inversion for small means, a rounded normal beyond (error far below the tests' margins). */
export function poisson(r: SeededRandom, mean: number): number {
  if (mean <= 0) return 0;
  if (mean < 40) {
    const l = Math.exp(-mean);
    let k = 0;
    let p = r.next();
    while (p > l) {
      k++;
      p *= r.next();
    }
    return k;
  }
  return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(r)));
}

/** Binomial(n, p): Poisson for rare events, a rounded normal when both sides are plentiful. */
export function binomial(r: SeededRandom, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - binomial(r, n, 1 - p);
  const mean = n * p;
  if (mean < 40 && p < 0.05) return Math.min(n, poisson(r, mean));
  if (mean * (1 - p) < 30) {
    let k = 0;
    for (let i = 0; i < n; i++) if (r.next() < p) k++;
    return k;
  }
  return Math.min(n, Math.max(0, Math.round(mean + Math.sqrt(mean * (1 - p)) * normal(r))));
}

/** Bucket probabilities of a lognormal (or log-logistic) with the given p95 and σ, scaled by `factor`. */
export function bucketProbabilities(p95Ms: number, sigma: number, factor = 1, family: 'lognormal' | 'loglogistic' = 'lognormal'): number[] {
  const mu = Math.log(p95Ms * factor) - Z95 * sigma;
  // Log-logistic with the same p95: log-odds linear in log latency, slope 1/s (s ≈ 0.55 σ matches the body).
  const s = 0.55 * sigma;
  const llMu = Math.log(p95Ms * factor) - s * Math.log(19);
  const cdf = LATENCY_BUCKETS_MS.map((b) => (family === 'lognormal' ? normalCdf((Math.log(b) - mu) / sigma) : 1 / (1 + Math.exp(-(Math.log(b) - llMu) / s))));
  return Array.from({ length: LATENCY_BUCKET_COUNT }, (_, i) => (i < cdf.length ? cdf[i]! : 1) - (i === 0 ? 0 : cdf[i - 1]!));
}

/** Multinomial(n, probs) as a chain of conditional binomials. */
function multinomial(r: SeededRandom, n: number, probs: readonly number[]): number[] {
  const out = new Array<number>(probs.length).fill(0);
  let left = n;
  let mass = 1;
  for (let i = 0; i < probs.length && left > 0; i++) {
    const p = i === probs.length - 1 ? 1 : Math.min(1, Math.max(0, probs[i]! / mass));
    const k = binomial(r, left, p);
    out[i] = k;
    left -= k;
    mass -= probs[i]!;
    if (mass <= 1e-15) break;
  }
  return out;
}

export function simulateTicks(p: SimulateParams): AnalysisTick[] {
  const r = seededRandom(p.seed);
  const tickMs = p.tickMs ?? 1000;
  const start = p.startAt ?? 0;
  const sigma = p.sigma ?? 0.5;
  const stableProbs = bucketProbabilities(p.p95Ms, sigma, 1, p.family);
  const canaryProbs = bucketProbabilities(p.p95Ms, sigma, p.canaryLatencyFactor ?? 1, p.family);
  const canaryErr = Math.min(1, p.errorRate * (p.canaryErrorFactor ?? 1));
  const out: AnalysisTick[] = [];
  const version = (n: number, err: number, probs: number[]): VersionCounts => {
    const counts: VersionCounts = { requests: n, errors: binomial(r, n, err) };
    if (p.histograms !== false) counts.buckets = multinomial(r, n, probs);
    return counts;
  };
  for (let t = 0; t < p.ticks; t++) {
    const share = t >= (p.canaryFromTick ?? 0) ? p.canaryShare : 0;
    const nc = poisson(r, p.requestsPerTick * share);
    const ns = poisson(r, p.requestsPerTick * (1 - share));
    out.push({ at: start + t * tickMs, canary: version(nc, canaryErr, canaryProbs), stable: version(ns, p.errorRate, stableProbs) });
  }
  return out;
}

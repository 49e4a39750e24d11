// One set of latency bucket bounds for every platform, so canary and stable histograms from any
// source can be added bucket by bucket (SPEC §6.1: evidence is counts, not percentiles of
// percentiles). Roughly ×1.5 apart: fine enough that a +20 % p95 margin lands one bucket away.
export const LATENCY_BUCKETS_MS = [5, 10, 15, 25, 40, 60, 90, 135, 200, 300, 450, 700, 1000, 1500, 2500, 5000, 10000] as const;
/** Entries in a latencyBuckets array: one per bound plus the overflow (+Inf). */
export const LATENCY_BUCKET_COUNT = LATENCY_BUCKETS_MS.length + 1;

/** The bucket a latency falls in (index into a latencyBuckets array). */
export function bucketOf(ms: number): number {
  for (let i = 0; i < LATENCY_BUCKETS_MS.length; i++) if (ms <= LATENCY_BUCKETS_MS[i]!) return i;
  return LATENCY_BUCKETS_MS.length;
}

export function emptyBuckets(): number[] {
  return new Array<number>(LATENCY_BUCKET_COUNT).fill(0);
}

/** Adds `b` into `a` (in place) and returns `a`. */
export function addBuckets(a: number[], b: readonly number[]): number[] {
  for (let i = 0; i < a.length && i < b.length; i++) a[i]! += b[i]!;
  return a;
}

/**
 * The q-quantile (0..1) of a histogram, interpolated linearly inside its bucket; null when empty.
 * The overflow bucket answers its lower bound (a floor, said as "≥" by callers).
 */
export function quantileOf(counts: readonly number[], q: number): number | null {
  const total = counts.reduce((s, c) => s + c, 0);
  if (total <= 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (c > 0 && seen + c >= rank) {
      const lo = i === 0 ? 0 : LATENCY_BUCKETS_MS[i - 1]!;
      const hi = LATENCY_BUCKETS_MS[i] ?? lo;
      return lo + ((hi - lo) * (rank - seen)) / c;
    }
    seen += c;
  }
  return LATENCY_BUCKETS_MS[LATENCY_BUCKETS_MS.length - 1]!;
}

/** The bucket-by-bucket sum of many histograms (any may be [] = no data); all zeros when none has any. */
export function mergeBuckets(histograms: Iterable<readonly number[]>): number[] {
  const out = emptyBuckets();
  for (const h of histograms) addBuckets(out, h);
  return out;
}

/** P50 / P90 / P99 of a histogram in ms, each null when it is empty. */
export function quantilesOf(counts: readonly number[]): { p50: number | null; p90: number | null; p99: number | null } {
  return { p50: quantileOf(counts, 0.5), p90: quantileOf(counts, 0.9), p99: quantileOf(counts, 0.99) };
}

/** Whether a quantile landed in the overflow bucket (the value is then a floor: say "≥"). */
export function isOverflow(ms: number | null): boolean {
  return ms !== null && ms >= LATENCY_BUCKETS_MS[LATENCY_BUCKETS_MS.length - 1]!;
}

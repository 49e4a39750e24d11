// Prometheus latency histograms into Switchback's buckets (SPEC §6.1). An exporter publishes
// cumulative `le` series (requests at or below each bound, in seconds, +Inf = all); the analysis
// needs per-bucket counts on LATENCY_BUCKETS_MS. With the same bounds (the lab's backends) the
// conversion is exact; with other bounds the cumulative count at each of our bounds is
// interpolated linearly inside the exporter's bucket, as histogram_quantile() does.
import { LATENCY_BUCKETS_MS, LATENCY_BUCKET_COUNT } from '../../domain/latency-buckets';

/** One cumulative series point: `le` in seconds (Infinity for +Inf) and its count. */
export interface LeCount {
  le: number;
  count: number;
}

/** Parses a Prometheus `le` label ("0.005", "+Inf"); NaN when it is not a bound. */
export function parseLe(le: string): number {
  if (le === '+Inf' || le === 'Inf' || le === 'inf') return Infinity;
  const v = Number(le);
  return le.trim() === '' ? NaN : v;
}

/** Our bounds in seconds, compared with a relative tolerance (0.005 and 5/1000 are the same bound). */
const sameBound = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) ? Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)) : a === b);

/**
 * Cumulative counts at `le` bounds → counts per LATENCY_BUCKETS_MS bucket (+ overflow), not
 * cumulative. Null without a +Inf series (not a histogram). Counts are made monotonic first
 * (scrapes of different series can disagree by a request in flight).
 */
export function bucketsFromCumulative(series: readonly LeCount[]): number[] | null {
  const sorted = series.filter((s) => !Number.isNaN(s.le) && Number.isFinite(s.count)).sort((a, b) => a.le - b.le);
  const inf = sorted.find((s) => s.le === Infinity);
  if (!inf) return null;
  // Monotonic cumulative counts, starting at (0 s, 0).
  const les: number[] = [0];
  const cum: number[] = [0];
  let running = 0;
  for (const s of sorted) {
    running = Math.max(running, s.count);
    if (sameBound(s.le, les[les.length - 1]!)) {
      cum[cum.length - 1] = running;
      continue;
    }
    les.push(s.le);
    cum.push(running);
  }
  const total = cum[cum.length - 1]!;
  const at = (boundS: number): number => {
    for (let k = 1; k < les.length; k++) {
      const hi = les[k]!;
      if (sameBound(boundS, hi)) return cum[k]!;
      if (boundS < hi) {
        if (hi === Infinity) return cum[k - 1]!; // beyond the last finite bound nothing is known: no more
        const lo = les[k - 1]!;
        return cum[k - 1]! + ((cum[k]! - cum[k - 1]!) * (boundS - lo)) / (hi - lo);
      }
    }
    return total;
  };
  const out = new Array<number>(LATENCY_BUCKET_COUNT);
  let prev = 0;
  for (let i = 0; i < LATENCY_BUCKETS_MS.length; i++) {
    const c = Math.min(total, Math.max(prev, at(LATENCY_BUCKETS_MS[i]! / 1000)));
    out[i] = c - prev;
    prev = c;
  }
  out[LATENCY_BUCKETS_MS.length] = total - prev;
  return out;
}

/**
 * Per-tick counts from two readings of the same cumulative buckets (already on our bounds). A
 * bucket that went down means the exporter restarted (its counters began again): the new
 * reading is then the count since that restart, as Prometheus' increase() assumes.
 */
export function bucketDelta(previous: readonly number[] | undefined, current: readonly number[]): number[] | undefined {
  if (!previous) return undefined;
  const reset = current.some((c, i) => c < (previous[i] ?? 0));
  return current.map((c, i) => (reset ? c : c - (previous[i] ?? 0)));
}

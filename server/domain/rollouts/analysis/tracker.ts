// What analyse() needs from one metric: feed it ticks (each a look), read its two e-values, its
// cumulative values and a chart point for any look it recorded.
import type { AnalysisTick, MetricPoint, TailShares } from './types';
import type { MixtureTest } from './sequential';

export interface MetricTracker {
  readonly test: MixtureTest;
  /** Add one tick's evidence (only ticks inside the analysis window, in time order). */
  observe(tick: AnalysisTick): void;
  /** Remember the cumulative state at this look, for a possible chart point. */
  record(at: number): void;
  /** Chart point of the i-th recorded look (its band is computed only when asked: ≤ ~300 calls). */
  point(i: number, alpha: number): MetricPoint;
  readonly recorded: number;
  canaryRequests(): number;
  stableRequests(): number;
  canaryValue(): number | null;
  stableValue(): number | null;
  /** Shares beyond the last compared bound (latency); null when none was compared yet or not a tail test. */
  tail(): TailShares | null;
  /** Why there is no evidence at all, in words (e.g. no histograms); null when there is some. */
  missingEvidence(): string | null;
}

/** A count from outside: finite, nonnegative, else 0 (NaN or a negative never reaches the math). */
export function count(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0;
}

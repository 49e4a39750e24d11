// The contract between the telemetry the loop records and the canary analysis: per tick, the
// counts of the canary and of stable in the zones the canary runs in (SPEC §6.1).
import type { AnalysisMetric } from '../spec';

/** One version's evidence for one tick (summed over the compared zones). */
export interface VersionCounts {
  requests: number;
  errors: number;
  /** Per latency bucket (LATENCY_BUCKETS_MS + overflow), not cumulative; absent = no histogram. */
  buckets?: readonly number[];
}

export interface AnalysisTick {
  /** Epoch ms of the tick. */
  at: number;
  canary: VersionCounts;
  stable: VersionCounts;
}

export type Verdict = 'running' | 'pass' | 'fail' | 'inconclusive';

/** One point of a metric's chart: the two observed values and the band of the canary value. */
export interface MetricPoint {
  at: number;
  /** Cumulative canary and stable values (error rate in %, latency in ms); null before evidence. */
  canary: number | null;
  stable: number | null;
  /** Anytime-valid confidence band of the canary value at this look (same unit), null before evidence. */
  low: number | null;
  high: number | null;
}

export interface TailShares {
  boundMs: number;
  canaryPct: number;
  stablePct: number;
}

export interface MetricResult {
  metric: AnalysisMetric;
  verdict: Verdict;
  /** Epoch ms of the look that decided (pass / fail), null while running or inconclusive. */
  decidedAt: number | null;
  /** Totals at the last look (or the deciding one). */
  canaryRequests: number;
  stableRequests: number;
  canaryValue: number | null;
  stableValue: number | null;
  /**
   * Latency only: each side's share of requests slower than the bound the tail test last compared
   * at. The test judges tails, so after a sudden slowdown this is where a regression shows first;
   * the cumulative quantiles above still carry the healthy requests from before it.
   */
  tail?: TailShares | null;
  /** The explanation in words, e.g. "canary errors 4.1 % vs stable 0.3 %, 1,240 vs 9,810 requests; regression beyond +50 % at 99 % confidence after 2 min 10 s". */
  explanation: string;
  series: MetricPoint[];
  /**
   * The two anytime-valid e-values at the last look (capped at 1e12): against "no regression beyond
   * the margin" (fail at ≥ 1/α) and against "a regression at or beyond it" (within margin at ≥ 1/α).
   */
  regressionEvidence?: number;
  withinMarginEvidence?: number;
  /**
   * Epoch ms of the look since which the within-margin evidence has stayed ≥ 1/α; null when it is
   * below 1/α at the last look (never reached, or lost since: a canary that degraded).
   */
  withinMarginAt?: number | null;
}

export interface AnalysisResult {
  /** fail if any metric failed; pass if all passed; inconclusive if the budget ended otherwise. */
  verdict: Verdict;
  decidedAt: number | null;
  metrics: MetricResult[];
  /** One line for tables and the timeline. */
  summary: string;
}

export interface AnalysisInput {
  metrics: readonly AnalysisMetric[];
  alpha: number;
  /** Epoch ms; ticks before are ignored. */
  startedAt: number;
  /** Epoch ms when the budget ends (verdict inconclusive if undecided then); null = no end (background). */
  endsAt: number | null;
  /** Epoch ms of this look. */
  now: number;
  ticks: readonly AnalysisTick[];
}

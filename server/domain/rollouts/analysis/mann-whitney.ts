// The comparison we do NOT use, kept to measure against (tests, bench): Kayenta-style — every
// interval, a one-sided Mann-Whitney U test of the per-tick canary values against the per-tick
// stable values scaled by the allowed margin (normal approximation with tie correction), each at
// level α (split over the metrics) as if it were the only look. Each look alone holds α; repeated on a growing stream the
// chance that some look rejects under the null grows with the number of looks (SPEC §6.1).
import { quantileOf } from '../../latency-buckets';
import { normalQuantile } from './math';
import type { AnalysisMetric } from '../spec';
import type { AnalysisTick } from './types';

export interface MannWhitneyLook {
  at: number;
  z: number;
  reject: boolean;
}

export interface MannWhitneyResult {
  verdict: 'fail' | 'running';
  decidedAt: number | null;
  looks: MannWhitneyLook[];
}

/** One-sided U test "x tends to be larger than y": z of the normal approximation (tie-corrected, continuity-corrected). */
export function mannWhitneyZ(x: readonly number[], y: readonly number[]): number {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) return 0;
  const all = [...x.map((v) => ({ v, g: 0 })), ...y.map((v) => ({ v, g: 1 }))].sort((a, b) => a.v - b.v);
  const n = all.length;
  let rankSumX = 0;
  let ties = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && all[j + 1]!.v === all[i]!.v) j++;
    const rank = (i + j + 2) / 2; // ranks are 1-based; tied values share the mean rank
    const t = j - i + 1;
    ties += t * t * t - t;
    for (let k = i; k <= j; k++) if (all[k]!.g === 0) rankSumX += rank;
    i = j + 1;
  }
  const u = rankSumX - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - ties / (n * (n - 1)));
  if (!(variance > 0)) return 0;
  const d = u - mean;
  return (d > 0 ? d - 0.5 : d < 0 ? d + 0.5 : 0) / Math.sqrt(variance);
}

/** Per-tick values of one metric (error rate, or the tick's own quantile); ticks without evidence are skipped. */
function perTick(metric: AnalysisMetric, ticks: readonly AnalysisTick[]): { canary: number[]; stable: number[] } {
  const canary: number[] = [];
  const stable: number[] = [];
  for (const t of ticks) {
    if (metric.metric === 'error-rate') {
      if (t.canary.requests > 0) canary.push(t.canary.errors / t.canary.requests);
      if (t.stable.requests > 0) stable.push(t.stable.errors / t.stable.requests);
    } else {
      const c = t.canary.buckets ? quantileOf(t.canary.buckets, metric.quantile / 100) : null;
      const s = t.stable.buckets ? quantileOf(t.stable.buckets, metric.quantile / 100) : null;
      if (c !== null) canary.push(c);
      if (s !== null) stable.push(s);
    }
  }
  return { canary, stable };
}

export interface MannWhitneyInput {
  metrics: readonly AnalysisMetric[];
  alpha: number;
  startedAt: number;
  /** Last look at or before this (the budget end or now). */
  until: number;
  /** Interval between looks (Kayenta: the canary analysis interval), default 60 s. */
  lookEveryMs?: number;
  ticks: readonly AnalysisTick[];
}

/** Looks every interval; "fail" at the first look where any metric's U test rejects at α. */
export function mannWhitneyFixedHorizon(input: MannWhitneyInput): MannWhitneyResult {
  const every = input.lookEveryMs ?? 60_000;
  // α split over the metrics like the sequential analysis, so one look alone holds α for the verdict.
  const zCrit = normalQuantile(1 - input.alpha / Math.max(1, input.metrics.length));
  const ticks = input.ticks.filter((t) => t.at >= input.startedAt && t.at <= input.until).sort((a, b) => a.at - b.at);
  const looks: MannWhitneyLook[] = [];
  for (let at = input.startedAt + every; at <= input.until; at += every) {
    const window = ticks.filter((t) => t.at < at);
    let z = -Infinity;
    for (const m of input.metrics) {
      const { canary, stable } = perTick(m, window);
      const scale = 1 + m.maxIncreasePct / 100;
      z = Math.max(z, mannWhitneyZ(canary, stable.map((v) => v * scale)));
    }
    const reject = z > zCrit;
    looks.push({ at, z, reject });
    if (reject) return { verdict: 'fail', decidedAt: at, looks };
  }
  return { verdict: 'running', decidedAt: null, looks };
}

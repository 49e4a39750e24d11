// The canary analysis (SPEC §6.1): every tick in the window is a look; each metric carries two
// anytime-valid e-values (sequential.ts) — against "no regression beyond the margin" and against
// "a regression at or beyond it". The analysis stops at the first look where any metric's
// regression evidence reaches (number of metrics)/α (fail: P(false fail of the analysis) ≤ α
// however often we look, since stopping early never breaks Ville's inequality). A step analysis
// passes when its budget ends and every metric's within-margin evidence is ≥ 1/α at the LAST look
// of the budget; inconclusive otherwise.
// Pass waits for the budget on purpose: the operator chose the duration to also watch slow
// regressions (warm-up, leaks) — an early "within margin" is shown per metric, not acted on.
// Why the last look and not "at any look": a canary that degrades after its within-margin
// evidence crossed would otherwise keep that result and pass. The within-margin e-process keeps
// betting on "within" (fixed alternatives, sequential.ts), so degraded ticks take its wealth away;
// reading it at the budget's end is still a level-α test, a fixed time being one of the stopping
// times Ville's inequality covers. The per-metric "within margin" shown while running is likewise
// the current one: it holds since the look it last reached 1/α, and is gone when it drops below.
// A background analysis (no end) can only fail or keep running.
// Pure and deterministic: the same input gives the same result, so every look of the reconciler
// can re-run it from the stored ticks.
import { errorRateTracker } from './error-rate';
import { explainMetric, formatDuration, metricLabel } from './explain';
import { latencyTracker } from './latency';
import { displayE } from './sequential';
import type { MetricTracker } from './tracker';
import type { AnalysisInput, AnalysisResult, AnalysisTick, MetricPoint, MetricResult, Verdict } from './types';

/** Chart points per metric at most (the first and the last look always among them). */
export const MAX_SERIES_POINTS = 300;

function thin(count: number): number[] {
  if (count <= MAX_SERIES_POINTS) return Array.from({ length: count }, (_, i) => i);
  const out: number[] = [];
  for (let j = 0; j < MAX_SERIES_POINTS; j++) out.push(Math.round((j * (count - 1)) / (MAX_SERIES_POINTS - 1)));
  return out;
}

/** α from outside, kept to a meaningful range (NaN → the spec's default). */
function sanitizeAlpha(alpha: number): number {
  if (!Number.isFinite(alpha)) return 0.01;
  return Math.min(0.5, Math.max(1e-9, alpha));
}

export function analyse(input: AnalysisInput): AnalysisResult {
  const alpha = sanitizeAlpha(input.alpha);
  // α is the analysis's: a false fail of ANY metric is a false fail of the rollout, so each metric's
  // regression test gets α / (number of metrics) (Bonferroni). A false pass needs every metric's
  // within-margin test to cross, so one metric that is truly beyond its margin already holds it
  // to α: pass needs no split.
  const failBar = Math.log(Math.max(1, input.metrics.length) / alpha);
  const passBar = Math.log(1 / alpha);
  const background = input.endsAt === null;
  const end = background ? input.now : Math.min(input.now, input.endsAt!);
  const ticks: AnalysisTick[] = input.ticks.filter((t) => Number.isFinite(t.at) && t.at >= input.startedAt && t.at <= end).sort((a, b) => a.at - b.at);
  const trackers: MetricTracker[] = input.metrics.map((m) => (m.metric === 'error-rate' ? errorRateTracker(m.maxIncreasePct) : latencyTracker(m.quantile, m.maxIncreasePct)));
  const failAt: Array<number | null> = trackers.map(() => null);
  // Per metric: the look since which its within-margin evidence has stayed ≥ 1/α (null: below now),
  // and the last look it dropped below after having been there.
  const withinSince: Array<number | null> = trackers.map(() => null);
  const withinLost: Array<{ from: number; to: number } | null> = trackers.map(() => null);

  // Chart points are kept only for the thinned looks (and the last one): no copy per tick.
  const keep = new Set(thin(ticks.length));
  let verdict: Verdict = 'running';
  let decidedAt: number | null = null;
  let lastLook: number | null = null;
  let lastRecorded = -1;
  let lastIdx = -1;
  for (let idx = 0; idx < ticks.length; idx++) {
    const tick = ticks[idx]!;
    const kept = keep.has(idx);
    for (let i = 0; i < trackers.length; i++) {
      const tr = trackers[i]!;
      tr.observe(tick);
      if (failAt[i] === null && tr.test.regressionAtLeast(failBar)) failAt[i] = tick.at;
      if (!background) {
        if (tr.test.withinAtLeast(passBar)) withinSince[i] ??= tick.at;
        else if (withinSince[i] !== null) {
          withinLost[i] = { from: withinSince[i]!, to: tick.at };
          withinSince[i] = null;
        }
      }
      if (kept) tr.record(tick.at);
    }
    if (kept) lastRecorded = idx;
    lastIdx = idx;
    lastLook = tick.at;
    if (failAt.some((f) => f !== null)) {
      verdict = 'fail';
      decidedAt = tick.at;
      break;
    }
  }
  // The deciding (or latest) look is always on the chart.
  if (lastIdx >= 0 && lastIdx !== lastRecorded) for (const tr of trackers) tr.record(ticks[lastIdx]!.at);
  const budgetOver = !background && input.now >= input.endsAt!;
  if (verdict === 'running' && budgetOver) {
    verdict = trackers.length > 0 && withinSince.every((p) => p !== null) ? 'pass' : 'inconclusive';
    decidedAt = verdict === 'pass' ? input.endsAt : null;
  }
  const over = verdict !== 'running';
  const budgetMs = background ? null : input.endsAt! - input.startedAt;

  const metrics: MetricResult[] = input.metrics.map((metric, i) => {
    const tr = trackers[i]!;
    const mv: Verdict = failAt[i] !== null ? 'fail' : withinSince[i] !== null ? 'pass' : over ? 'inconclusive' : 'running';
    const mDecided = mv === 'fail' ? failAt[i]! : mv === 'pass' ? withinSince[i]! : null;
    const lost = mv === 'fail' || mv === 'pass' ? null : withinLost[i]!;
    const elapsedAt = mDecided ?? (verdict === 'inconclusive' ? input.endsAt! : (decidedAt ?? lastLook ?? input.startedAt));
    const series: MetricPoint[] = Array.from({ length: tr.recorded }, (_, j) => tr.point(j, alpha));
    const tail = tr.tail();
    return {
      metric,
      verdict: mv,
      decidedAt: mDecided,
      canaryRequests: tr.canaryRequests(),
      stableRequests: tr.stableRequests(),
      canaryValue: tr.canaryValue(),
      stableValue: tr.stableValue(),
      tail,
      explanation: explainMetric({
        metric,
        verdict: mv,
        alpha,
        canaryRequests: tr.canaryRequests(),
        stableRequests: tr.stableRequests(),
        canaryValue: tr.canaryValue(),
        stableValue: tr.stableValue(),
        tail,
        missing: tr.missingEvidence(),
        elapsedMs: Math.max(0, (mv === 'running' ? Math.max(input.now, input.startedAt) : elapsedAt) - input.startedAt),
        budgetMs,
        stoppedByOther: verdict === 'fail' && mv === 'inconclusive',
        withinLost: lost && { fromMs: lost.from - input.startedAt, toMs: lost.to - input.startedAt },
        provisional: !over,
      }),
      series,
      regressionEvidence: displayE(tr.test.regressionLogE()),
      withinMarginEvidence: displayE(tr.test.withinLogE()),
      withinMarginAt: withinSince[i],
    };
  });
  return { verdict, decidedAt, metrics, summary: summarise(verdict, metrics, input, budgetMs) };
}

function summarise(verdict: Verdict, metrics: MetricResult[], input: AnalysisInput, budgetMs: number | null): string {
  const names = (ms: MetricResult[]) => ms.map((m) => metricLabel(m.metric)).join(', ');
  if (metrics.length === 0) return 'no metrics to analyse';
  switch (verdict) {
    case 'fail': {
      const failed = metrics.filter((m) => m.verdict === 'fail');
      return `fail: ${failed.map((m) => `${metricLabel(m.metric)} — ${m.explanation}`).join('; ')}`;
    }
    case 'pass':
      return `pass after ${formatDuration(budgetMs ?? 0)}: ${names(metrics)} within ${metrics.length > 1 ? 'their margins' : 'its margin'}`;
    case 'inconclusive':
      return `inconclusive after ${formatDuration(budgetMs ?? 0)}: no evidence either way for ${names(metrics.filter((m) => m.verdict !== 'pass'))}`;
    case 'running': {
      const elapsed = formatDuration(Math.max(0, input.now - input.startedAt));
      const span = budgetMs === null ? `${elapsed} in` : `${elapsed} of ${formatDuration(budgetMs)}`;
      const quiet = metrics.filter((m) => m.canaryRequests <= 0);
      if (quiet.length === metrics.length) return `running, ${span}: no canary traffic yet`;
      return `running, ${span}: no regression so far`;
    }
  }
}

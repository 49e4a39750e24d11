// The analysis in words: numbers with thousands separators, durations since the start, the margin
// and the confidence the verdict holds at (issue 11: "canary errors 4.1 % vs stable 0.3 %, 1,240 vs
// 9,810 requests; regression beyond +50 % at 99 % confidence after 2 min 10 s"). Written by hand,
// not with Intl, so the words are the same on every machine and locale.
import { LATENCY_BUCKETS_MS } from '../../latency-buckets';
import type { AnalysisMetric } from '../spec';
import type { TailShares, Verdict } from './types';

export function formatCount(n: number): string {
  const r = Math.round(n);
  return (r < 0 ? '-' : '') + String(Math.abs(r)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A percentage: one decimal from 0.1 %, two significant digits below. */
export function formatPct(v: number | null): string {
  if (v === null) return '–';
  if (v === 0) return '0 %';
  if (v >= 0.1) {
    const [whole, tenth] = v.toFixed(1).split('.');
    return `${formatCount(Number(whole))}${tenth === '0' ? '' : `.${tenth}`} %`;
  }
  return `${Number(v.toPrecision(2))} %`;
}

export function formatMs(v: number | null): string {
  if (v === null) return '–';
  // quantileOf answers the overflow bucket with its lower bound: a floor, said as one.
  if (v >= LATENCY_BUCKETS_MS[LATENCY_BUCKETS_MS.length - 1]!) return `≥ ${formatCount(v)} ms`;
  return v >= 100 ? `${formatCount(v)} ms` : `${Number(v.toFixed(1))} ms`;
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const m = Math.floor(s / 60);
  return `${formatCount(Math.floor(m / 60))} h${m % 60 ? ` ${m % 60} min` : ''}`;
}

/** 1 − α as a percentage: 99.9 %, 99 %, 95 %. */
export function formatConfidence(alpha: number): string {
  return `${Number(((1 - alpha) * 100).toPrecision(6))} %`;
}

export function metricLabel(m: AnalysisMetric): string {
  return m.metric === 'error-rate' ? 'error rate' : `p${m.quantile} latency`;
}

export interface ExplainFacts {
  metric: AnalysisMetric;
  verdict: Verdict;
  alpha: number;
  canaryRequests: number;
  stableRequests: number;
  canaryValue: number | null;
  stableValue: number | null;
  /** Latency: the shares beyond the bound last compared (the tail test's own evidence), or null. */
  tail?: TailShares | null;
  /** Why there is no evidence (no histograms, no canary traffic), or null. */
  missing: string | null;
  /** ms since startedAt of the deciding look (fail, pass) or of the last look. */
  elapsedMs: number;
  /** ms of the budget; null = background (no end). */
  budgetMs: number | null;
  /** The analysis stopped because another metric failed. */
  stoppedByOther: boolean;
  /** ms since startedAt: the within-margin evidence was ≥ 1/α from `fromMs` and dropped below at `toMs` (not since). */
  withinLost?: { fromMs: number; toMs: number } | null;
  /** The analysis still runs: a within-margin result may yet be lost, so it is no decision. */
  provisional?: boolean;
}

export function explainMetric(f: ExplainFacts): string {
  const margin = `+${Number(f.metric.maxIncreasePct.toPrecision(6))} %`;
  const conf = formatConfidence(f.alpha);
  const values =
    f.metric.metric === 'error-rate'
      ? `canary errors ${formatPct(f.canaryValue)} vs stable ${formatPct(f.stableValue)}`
      : `canary p${f.metric.quantile} ${formatMs(f.canaryValue)} vs stable ${formatMs(f.stableValue)}`;
  // The quantiles are cumulative over the step: right after a sudden slowdown the canary's can still
  // sit below stable's while its tail is already heavier. The tail is what the test judges, so say it.
  const tail = f.tail ? `, ${formatPct(f.tail.canaryPct)} vs ${formatPct(f.tail.stablePct)} slower than ${formatMs(f.tail.boundMs)}` : '';
  const counts = `${formatCount(f.canaryRequests)} vs ${formatCount(f.stableRequests)} requests${tail}`;
  const after = formatDuration(f.elapsedMs);
  const head = f.missing ? `${f.missing}${f.canaryRequests > 0 || f.stableRequests > 0 ? ` (${counts})` : ''}` : `${values}, ${counts}`;
  // A within-margin result that did not last is said as past, never as the verdict.
  const lost = f.withinLost ? `; was within ${margin} at ${conf} confidence from ${formatDuration(f.withinLost.fromMs)} to ${formatDuration(f.withinLost.toMs)}, no longer` : '';
  switch (f.verdict) {
    case 'fail':
      return `${head}; regression beyond ${margin} at ${conf} confidence after ${after}`;
    case 'pass':
      return f.provisional
        ? `${head}; within ${margin} at ${conf} confidence since ${after}, so far`
        : `${head}; within ${margin} at ${conf} confidence after ${after}`;
    case 'inconclusive':
      return f.stoppedByOther
        ? `${head}; undecided when the analysis stopped after ${after}${lost}`
        : `${head}; no evidence either way about ${margin} at ${conf} confidence within ${after}${lost}`;
    case 'running':
      return f.budgetMs === null
        ? `${head}; no regression beyond ${margin} so far at ${conf} confidence, ${after} in`
        : `${head}; no regression beyond ${margin} so far at ${conf} confidence, ${after} of ${formatDuration(f.budgetMs)}${lost}`;
  }
}

// What the Argo Rollouts export and import agree on: names, the analysis metric names and their
// Prometheus queries, the threshold written as a ratio of canary to stable, the annotation that
// keeps what Argo has no field for, and the analysis interval chosen for a step's seconds.
import { z } from 'zod';
import { ANNOTATION_PREFIX } from './documents';
import { APPROVAL_ON_EXPIRY, LATENCY_QUANTILES, ANALYSIS_ALPHAS, type AnalysisMetric } from '../rollouts/spec';
import { list, name, text } from '../inputs';

export const ARGO_API_VERSION = 'argoproj.io/v1alpha1';
export const ROLLOUT_ANNOTATION = `${ANNOTATION_PREFIX}rollout`;
/** The managed route the header-route steps set (Argo replaces it at each setHeaderRoute). */
export const HEADER_ROUTE_NAME = 'switchback-header-route';
/** Where the export points Argo for measurements; the cluster's own Prometheus goes here. */
export const PROMETHEUS_ADDRESS = 'http://prometheus.monitoring.svc:9090';
export const ANALYSIS_ARGS = ['service', 'canary-version', 'stable-version'] as const;
/** The background analysis has no end of its own in Argo: it measures at this interval until the rollout ends. */
export const BACKGROUND_INTERVAL_S = 60;

/** What the Rollout annotation keeps: the fields Argo has no place for. */
export const rolloutAnnotationSchema = z
  .object({
    service: name().optional(),
    stableVersion: text(64).optional(),
    alpha: z.union(ANALYSIS_ALPHAS.map((a) => z.literal(a))).optional(),
    approvals: list(
      z
        .object({
          step: z.number().int().min(0).max(49),
          quorum: z.number().int().min(1).max(10),
          expiresInS: z.number().int().min(60).max(7 * 86_400),
          onExpiry: z.enum(APPROVAL_ON_EXPIRY),
        })
        .strict(),
      50,
    ).optional(),
  })
  .strict();
export type RolloutAnnotation = z.output<typeof rolloutAnnotationSchema>;

export function metricName(m: AnalysisMetric): string {
  return m.metric === 'latency' ? `latency-p${m.quantile}` : 'error-rate';
}

/** "latency-p95" → the metric without its margin; null for a name of someone else's. */
export function metricFromName(n: string): { metric: 'error-rate' } | { metric: 'latency'; quantile: (typeof LATENCY_QUANTILES)[number] } | null {
  if (n === 'error-rate') return { metric: 'error-rate' };
  const q = /^latency-p(\d+)$/.exec(n);
  const quantile = q ? (LATENCY_QUANTILES as readonly number[]).find((x) => x === Number(q[1])) : undefined;
  return quantile === undefined ? null : { metric: 'latency', quantile: quantile as (typeof LATENCY_QUANTILES)[number] };
}

const round6 = (x: number) => Number(x.toFixed(6));
/** A margin of +50 % as the largest tolerated ratio canary / stable: 1.5. */
export const ratioOf = (maxIncreasePct: number) => round6(1 + maxIncreasePct / 100);
export const marginOf = (ratio: number) => round6((ratio - 1) * 100);

export const successCondition = (ratio: number) => `result[0] <= ${ratio}`;
export const failureCondition = (ratio: number) => `result[0] > ${ratio}`;
/** The tolerated ratio from a success condition the export wrote; null for any other expression. */
export function ratioFromCondition(cond: unknown): number | null {
  if (typeof cond !== 'string') return null;
  const m = /^\s*result\[0\]\s*<=?\s*(\d+(?:\.\d+)?)\s*$/.exec(cond);
  return m ? Number(m[1]) : null;
}

const sel = (version: string) => `service="{{args.service}}",version="{{args.${version}}}"`;
/**
 * The measurement as a Prometheus query: canary over stable, so that the threshold is the
 * spec's relative margin. The metric names are the usual HTTP server ones (a mesh or the
 * application's own exporter); the notes say they must match the cluster's.
 */
export function promQuery(m: AnalysisMetric): string {
  if (m.metric === 'error-rate') {
    const rate = (v: string) => `sum(rate(http_requests_total{${sel(v)},code=~"5.."}[1m])) / sum(rate(http_requests_total{${sel(v)}}[1m]))`;
    return `(${rate('canary-version')}) / clamp_min(${rate('stable-version')}, 0.0001)`;
  }
  const q = (v: string) => `histogram_quantile(${m.quantile / 100}, sum by (le) (rate(http_request_duration_seconds_bucket{${sel(v)}}[1m])))`;
  return `${q('canary-version')} / clamp_min(${q('stable-version')}, 0.000001)`;
}

/** The measurement interval for an analysis of `seconds`: the largest of 60/30/10/5/1 s that divides it. */
export function intervalFor(seconds: number): number {
  return [60, 30, 10, 5].find((i) => seconds % i === 0 && seconds / i >= 2) ?? 1;
}

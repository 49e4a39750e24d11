// A Prometheus metrics source: instant queries through the HTTP API at each tick, one query per
// measure for the whole fleet, series matched to instances by a label.
import { z } from 'zod';

export const DEFAULT_QUERIES = {
  /** Latency P95 in seconds from a histogram (×1000 below). */
  p95: 'histogram_quantile(0.95, sum by (le, {{label}}) (rate(http_request_duration_seconds_bucket[{{window}}])))',
  p50: 'histogram_quantile(0.50, sum by (le, {{label}}) (rate(http_request_duration_seconds_bucket[{{window}}])))',
  p99: 'histogram_quantile(0.99, sum by (le, {{label}}) (rate(http_request_duration_seconds_bucket[{{window}}])))',
  /** CPU as a percentage of one core. */
  cpu: 'sum by ({{label}}) (rate(process_cpu_seconds_total[{{window}}])) * 100',
} as const;

export type PromMeasure = keyof typeof DEFAULT_QUERIES;

/**
 * The latency histogram's cumulative counters per `le` and instance, read at every tick: the
 * source keeps the previous reading and reports the difference, so each tick's buckets hold the
 * requests completed since the last one (disjoint, exact; no rate() extrapolation).
 */
export const DEFAULT_HISTOGRAM_QUERY = 'sum by (le, {{label}}) (http_request_duration_seconds_bucket)';

const promql = z.string().max(4000, 'metrics.queries: at most 4000 characters per query');

export const prometheusConfigSchema = z
  .object({
    url: z.url({ error: 'metrics.url: expected http://host:port of Prometheus' }),
    timeoutMs: z.number().int().min(100, 'metrics.timeoutMs: at least 100 ms').max(30_000, 'metrics.timeoutMs: at most 30000 ms').default(1500),
    /** Label whose value names the Switchback instance. */
    instanceLabel: z.string().max(200, 'metrics.instanceLabel: at most 200 characters').regex(/^[a-zA-Z_]\w*$/, 'metrics.instanceLabel: expected a Prometheus label name').default('sb_instance'),
    /** Label value → Switchback instance name, where they differ (default: the value is the name). */
    labelMap: z.record(z.string().max(200, 'metrics.labelMap: keys of at most 200 characters'), z.string().max(200, 'metrics.labelMap: values of at most 200 characters')).default({}),
    /** Range of rate() windows. */
    window: z.string().max(20, 'metrics.window: expected a duration such as 30s or 1m').regex(/^\d+[smh]$/, 'metrics.window: expected a duration such as 30s or 1m').default('15s'),
    /** PromQL templates ({{label}}, {{window}}); null switches a measure off. */
    queries: z
      .object({ p95: promql.nullable(), p50: promql.nullable(), p99: promql.nullable(), cpu: promql.nullable() })
      .partial()
      .default({}),
    /** PromQL template of the cumulative latency buckets ({{label}}), by `le` and instance label; null = no histogram. */
    histogram: promql.nullable().default(DEFAULT_HISTOGRAM_QUERY),
  })
  .strict();

export type PrometheusConfig = z.output<typeof prometheusConfigSchema>;
export type PrometheusConfigInput = z.input<typeof prometheusConfigSchema>;

export function renderQuery(template: string, c: Pick<PrometheusConfig, 'instanceLabel' | 'window'>): string {
  return template.replaceAll('{{label}}', c.instanceLabel).replaceAll('{{window}}', c.window);
}

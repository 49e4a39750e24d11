// Reads instance telemetry from Prometheus. A Prometheus that is down, slow or without data never
// produces numbers: the affected inputs are left out and named in `stale`.
import type { InstanceTelemetry } from '../../domain/model';
import { DEFAULT_QUERIES, prometheusConfigSchema, renderQuery, type PromMeasure, type PrometheusConfig } from './config';
import { bucketDelta, bucketsFromCumulative, parseLe, type LeCount } from './histogram';

type Stale = NonNullable<InstanceTelemetry['stale']>[number];

interface VectorAnswer {
  status: 'success' | 'error';
  error?: string;
  data?: { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> };
}

export class PrometheusError extends Error {}

export class PrometheusSource {
  /** The last cumulative histogram per instance name (on our bounds), to report per-tick differences. */
  private lastBuckets = new Map<string, number[]>();

  constructor(
    readonly config: PrometheusConfig,
    private readonly logger?: { debug(line: string): void },
  ) {}

  private get queries(): Array<[PromMeasure, string]> {
    return (Object.keys(DEFAULT_QUERIES) as PromMeasure[])
      .map((m): [PromMeasure, string | null] => [m, this.config.queries[m] === undefined ? DEFAULT_QUERIES[m] : (this.config.queries[m] ?? null)])
      .filter((x): x is [PromMeasure, string] => x[1] !== null)
      .map(([m, q]) => [m, renderQuery(q, this.config)]);
  }

  /** One instant query, values by Switchback instance name; throws PrometheusError in words. */
  async query(promql: string, at?: Date): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const r of await this.raw(promql, at)) {
      const label = r.metric[this.config.instanceLabel];
      const v = Number(r.value[1]);
      if (label === undefined || !Number.isFinite(v)) continue; // NaN: no requests in the window
      out.set(this.config.labelMap[label] ?? label, v);
    }
    return out;
  }

  private async raw(promql: string, at?: Date): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
    const url = new URL('/api/v1/query', this.config.url);
    url.searchParams.set('query', promql);
    if (at) url.searchParams.set('time', String(at.getTime() / 1000));
    this.logger?.debug(`prometheus ${this.config.url} ← ${promql}`);
    let res: Response;
    try {
      res = await fetch(url, { signal: AbortSignal.timeout(this.config.timeoutMs) });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      const why = e.name === 'TimeoutError' ? `timed out after ${this.config.timeoutMs} ms` : e.cause?.code === 'ECONNREFUSED' ? 'connection refused (is Prometheus running?)' : e.message;
      throw new PrometheusError(`Prometheus at ${this.config.url}: ${why}`);
    }
    const body = (await res.json().catch(() => null)) as VectorAnswer | null;
    if (!res.ok || !body || body.status !== 'success' || !body.data) throw new PrometheusError(`Prometheus at ${this.config.url}: ${body?.error ?? `HTTP ${res.status}`} (query: ${promql})`);
    return body.data.result;
  }

  /**
   * The cumulative latency buckets per instance name at `at`, on LATENCY_BUCKETS_MS; null when
   * the query failed (an instance without series is simply absent).
   */
  async cumulativeBuckets(at?: Date): Promise<Map<string, number[]> | null> {
    if (this.config.histogram === null) return null;
    let rows: Awaited<ReturnType<PrometheusSource['raw']>>;
    try {
      rows = await this.raw(renderQuery(this.config.histogram, this.config), at);
    } catch (err) {
      this.logger?.debug(err instanceof Error ? err.message : String(err));
      return null;
    }
    const byName = new Map<string, LeCount[]>();
    for (const r of rows) {
      const label = r.metric[this.config.instanceLabel];
      const le = parseLe(r.metric.le ?? '');
      if (label === undefined || Number.isNaN(le)) continue;
      const name = this.config.labelMap[label] ?? label;
      const list = byName.get(name) ?? [];
      list.push({ le, count: Number(r.value[1]) });
      byName.set(name, list);
    }
    const out = new Map<string, number[]>();
    for (const [name, series] of byName) {
      const b = bucketsFromCumulative(series);
      if (b) out.set(name, b);
    }
    return out;
  }

  /** Telemetry per instance id; inputs Prometheus could not give are listed in `stale`. */
  async read(at: Date, instances: ReadonlyArray<{ id: string; name: string }>): Promise<Map<string, Partial<InstanceTelemetry>>> {
    const histogram = this.cumulativeBuckets(at);
    const results = await Promise.all(
      this.queries.map(async ([m, q]) => {
        try {
          return [m, await this.query(q, at)] as const;
        } catch (err) {
          this.logger?.debug(err instanceof Error ? err.message : String(err));
          return [m, null] as const;
        }
      }),
    );
    const out = new Map<string, Partial<InstanceTelemetry>>();
    for (const i of instances) {
      const t: Partial<InstanceTelemetry> = {};
      const stale: Stale[] = [];
      for (const [m, values] of results) {
        const v = values?.get(i.name);
        if (v === undefined) {
          stale.push(m);
          continue;
        }
        if (m === 'cpu') t.cpuPct = v;
        else if (m === 'p50') t.p50Ms = v * 1000;
        else if (m === 'p95') t.p95Ms = v * 1000;
        else t.p99Ms = v * 1000;
      }
      if (stale.length) t.stale = stale;
      out.set(i.id, t);
    }
    // Requests per latency bucket since the previous tick (none on the first reading of an instance).
    const cumulative = await histogram;
    if (cumulative) {
      for (const i of instances) {
        const now = cumulative.get(i.name);
        if (!now) continue;
        const delta = bucketDelta(this.lastBuckets.get(i.name), now);
        this.lastBuckets.set(i.name, now);
        if (delta) out.get(i.id)!.latencyBuckets = delta;
      }
    }
    return out;
  }

  /** For "test connection": is Prometheus there, and how many targets are up. */
  async check(): Promise<{ ok: boolean; message: string }> {
    try {
      const up = await this.raw('up');
      const n = up.filter((r) => r.value[1] === '1').length;
      const series = (await this.raw(`count by (${this.config.instanceLabel}) (http_request_duration_seconds_count)`)).length;
      return { ok: true, message: `Prometheus at ${this.config.url}: ${n} of ${up.length} scrape targets up, ${series} instance${series === 1 ? '' : 's'} with a latency histogram` };
    } catch (err) {
      return { ok: false, message: err instanceof Error ? err.message : String(err) };
    }
  }
}

export function createPrometheusSource(config: unknown, logger?: { debug(line: string): void }): PrometheusSource {
  const parsed = prometheusConfigSchema.safeParse(config);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => (i.message.includes(':') ? i.message : `metrics.${i.path.join('.')}: ${i.message}`)).join('; '));
  return new PrometheusSource(parsed.data, logger);
}

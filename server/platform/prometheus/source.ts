// Reads instance telemetry from Prometheus. A Prometheus that is down, slow or without data never
// produces numbers: the affected inputs are left out and named in `stale`.
import type { InstanceTelemetry } from '../../domain/model';
import { DEFAULT_QUERIES, prometheusConfigSchema, renderQuery, type PromMeasure, type PrometheusConfig } from './config';

type Stale = NonNullable<InstanceTelemetry['stale']>[number];

interface VectorAnswer {
  status: 'success' | 'error';
  error?: string;
  data?: { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> };
}

export class PrometheusError extends Error {}

export class PrometheusSource {
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

  /** Telemetry per instance id; inputs Prometheus could not give are listed in `stale`. */
  async read(at: Date, instances: ReadonlyArray<{ id: string; name: string }>): Promise<Map<string, Partial<InstanceTelemetry>>> {
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

import type { ServiceDetail, ServiceSeries, SplitPoint } from '@/server/services/telemetry/telemetry-read-service';
import type { ServiceTickPayload } from '@/server/services/telemetry/telemetry-live';
import { newer } from '@/components/instances/live-merge';

// How one tick of a service's live feed changes the cached split series and the instance table.
// Pure and unit-tested; idempotent for a repeated tick (same object back).

/** Appends the tick's requests/s per instance and per version; keeps only the last `windowMs`. */
export function mergeServiceSeries(series: ServiceSeries, p: ServiceTickPayload, windowMs: number): ServiceSeries {
  if (!newer(p.tickId, series.lastTickId)) return series;
  const cutoff = p.at - windowMs;
  const lastT = series.byInstance.length ? series.byInstance[series.byInstance.length - 1]!.t : -Infinity;
  let byInstance = series.byInstance;
  let byVersion = series.byVersion;
  if (p.samples.length && p.at > lastT) {
    const version = new Map(series.instances.map((i) => [i.id, i.appVersion]));
    const inst: Record<string, number> = {};
    const ver: Record<string, number> = {};
    for (const s of p.samples) {
      const v = version.get(s.instanceId);
      // An instance added after the page loaded is not in the legend yet; the next load has it.
      if (v === undefined) continue;
      const rps = s.rps ?? 0;
      inst[s.instanceId] = rps;
      ver[v] = (ver[v] ?? 0) + rps;
    }
    byInstance = [...byInstance, { t: p.at, v: inst }];
    byVersion = [...byVersion, { t: p.at, v: ver }];
  }
  const trim = (xs: SplitPoint[]) => {
    let i = 0;
    while (i < xs.length && xs[i]!.t < cutoff) i++;
    return i ? xs.slice(i) : xs;
  };
  return { ...series, byInstance: trim(byInstance), byVersion: trim(byVersion), lastTickId: p.tickId, from: Math.max(series.from, cutoff), to: Math.max(series.to, p.at) };
}

/** Updates each instance row with its sample of the tick (rows keep their order). */
export function mergeServiceDetail(d: ServiceDetail, p: ServiceTickPayload): ServiceDetail {
  const byId = new Map(p.samples.map((s) => [s.instanceId, s]));
  const why = new Map(p.recomputes.map((r) => [r.instanceId, r]));
  let changed = false;
  const instances = d.instances.map((row) => {
    const s = byId.get(row.id);
    if (!s || !newer(p.tickId, row.tickId)) return row;
    changed = true;
    const w = why.get(row.id);
    return {
      ...row,
      at: p.at,
      tickId: p.tickId,
      up: s.up,
      target: s.target,
      effective: s.effective,
      cpu: s.cpu,
      p95: s.p95,
      connections: s.connections,
      rps: s.rps,
      errorRate: s.errorRate,
      degradation: s.degradation,
      breaker: s.breaker,
      ...(w ? { why: w.why, cause: w.cause } : {}),
    };
  });
  return changed ? { ...d, instances, lastTickId: newer(p.tickId, d.lastTickId) ? p.tickId : d.lastTickId } : d;
}

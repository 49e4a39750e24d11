// What a run's controller measures: the per-tick sums of VersionSample rows (requests, errors,
// latency buckets) of a set of services, the latest TelemetrySample snapshot of their instances
// (open breakers, instances at L2+), and the per-layer inputs of the report. Layers are the
// services' `layer` label (access | service | data); a service without one is its own layer.
import type { DbOrTx } from '../../db/client';
import type { ConditionSnapshot, ConditionTick } from '../../domain/experiments/conditions';
import type { ReportLayerInput } from '../../domain/experiments/report';
import { latestTickSample } from '../telemetry/telemetry-sql';

/** Per-`at` sums of the services' VersionSample rows in [from, to]. */
export async function serviceTicks(db: DbOrTx, serviceNames: readonly string[], from: Date, to: Date): Promise<ConditionTick[]> {
  const rows = await db.versionSample.findMany({
    where: { at: { gte: from, lte: to }, serviceId: { in: await serviceIds(db, serviceNames) } },
    select: { at: true, requests: true, errors: true, buckets: true },
    orderBy: { at: 'asc' },
  });
  return sumByAt(rows);
}

async function serviceIds(db: DbOrTx, names: readonly string[]): Promise<string[]> {
  const rows = await db.service.findMany({ where: { name: { in: [...names] } }, select: { id: true } });
  return rows.map((r) => r.id);
}

function sumByAt(rows: ReadonlyArray<{ at: Date; requests: number; errors: number; buckets: number[] }>): ConditionTick[] {
  const by = new Map<number, { at: number; requests: number; errors: number; buckets: number[] }>();
  for (const r of rows) {
    const at = r.at.getTime();
    let t = by.get(at);
    if (!t) by.set(at, (t = { at, requests: 0, errors: 0, buckets: [] }));
    t.requests += r.requests;
    t.errors += r.errors;
    if (r.buckets.length > 0) t.buckets = t.buckets.length === 0 ? [...r.buckets] : t.buckets.map((v, i) => v + (r.buckets[i] ?? 0));
  }
  return [...by.values()].sort((a, b) => a.at - b.at);
}

/** The services' instances in the latest tick: level and whether the breaker is open. */
export async function serviceSnapshot(db: DbOrTx, serviceNames: readonly string[]): Promise<ConditionSnapshot> {
  const rows = await db.$queryRaw<Array<{ name: string; level: number; breakerOpen: boolean }>>`
    SELECT i.name, s.degradation AS level, (s.breaker = 'open') AS "breakerOpen"
      FROM "TelemetrySample" s
      JOIN "Instance" i ON i.id = s."instanceId"
      JOIN "Service" v ON v.id = i."serviceId"
     WHERE ${latestTickSample('s')} AND v.name = ANY(${[...serviceNames]}::text[])
     ORDER BY i.name`;
  return { instances: rows };
}

/** Services by layer: the `layer` label, else the service's own name. Sorted access, service, data, then by name. */
export async function layersOfFleet(db: DbOrTx): Promise<Array<{ layer: string; services: Array<{ id: string; name: string }> }>> {
  const services = await db.service.findMany({ select: { id: true, name: true, labels: true }, orderBy: { name: 'asc' } });
  const by = new Map<string, Array<{ id: string; name: string }>>();
  for (const s of services) {
    const label = (s.labels as Record<string, unknown> | null)?.layer;
    const layer = typeof label === 'string' && label.length > 0 ? label : s.name;
    (by.get(layer) ?? by.set(layer, []).get(layer)!).push({ id: s.id, name: s.name });
  }
  const order = ['access', 'service', 'data'];
  const rank = (l: string) => (order.includes(l) ? order.indexOf(l) : order.length);
  return [...by.entries()].map(([layer, list]) => ({ layer, services: list })).sort((a, b) => rank(a.layer) - rank(b.layer) || (a.layer < b.layer ? -1 : 1));
}

/** Every layer's ticks, highest degradation level per tick and breaker trips over [from, to]. */
export async function layerInputs(db: DbOrTx, from: Date, to: Date): Promise<ReportLayerInput[]> {
  const layers = await layersOfFleet(db);
  const out: ReportLayerInput[] = [];
  for (const l of layers) {
    const ids = l.services.map((s) => s.id);
    const rows = await db.versionSample.findMany({ where: { at: { gte: from, lte: to }, serviceId: { in: ids } }, select: { at: true, requests: true, errors: true, buckets: true } });
    if (rows.length === 0) continue;
    const levels = await db.$queryRaw<Array<{ at: Date; maxLevel: number }>>`
      SELECT s.at, max(s.degradation) AS "maxLevel" FROM "TelemetrySample" s JOIN "Instance" i ON i.id = s."instanceId"
       WHERE i."serviceId" = ANY(${ids}::uuid[]) AND s.at BETWEEN ${from} AND ${to}
       GROUP BY s.at ORDER BY s.at`;
    const trips = await db.$queryRaw<Array<{ at: Date }>>`
      SELECT t.at FROM "StateTransition" t JOIN "Instance" i ON i.id = t."instanceId"
       WHERE i."serviceId" = ANY(${ids}::uuid[]) AND t.machine = 'breaker' AND t."toState" = 'open' AND t.at BETWEEN ${from} AND ${to}
       ORDER BY t.at LIMIT 100000`;
    out.push({
      layer: l.layer,
      services: l.services.map((s) => s.name),
      ticks: sumByAt(rows),
      levels: levels.map((x) => ({ at: x.at.getTime(), maxLevel: x.maxLevel })),
      breakerTrips: trips.map((x) => ({ at: x.at.getTime() })),
    });
  }
  return out;
}

// The read side of the live platform for services: the list with live aggregates, one service's
// routing and instances (latest sample each), and the real traffic split over time (requests/s by
// version and by instance, from the samples). Contract of the tables: docs/telemetry.md.
import { z } from 'zod';
import { name, uuid } from '../../domain/inputs';
import type { Db } from '../../db/client';
import { Prisma } from '../../db/generated/client';
import type { ServiceRouting } from '../../domain/model';
import { notFound } from '../../errors';
import { rangeInput, rawBucketS, resolveRange, stepSeconds, type Resolution } from './telemetry-range';
import { newestTickId, resolutionFor } from './telemetry-read';
import { epochMs, ts } from './telemetry-sql';
import { explainWeight, whyText } from './weight-explanation';
import { loadConsolePolicies } from './telemetry-sql';

export const serviceByName = z.object({ name: name() });

export function routingOf(raw: unknown): ServiceRouting {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Partial<ServiceRouting>;
  return { versionWeights: r.versionWeights ?? {}, headerRules: Array.isArray(r.headerRules) ? r.headerRules : [] };
}

/** One instance of a service with its latest sample (null values: never sampled yet). */
export interface ServiceInstanceRow {
  id: string;
  name: string;
  appVersion: string;
  adminState: string;
  cluster: string;
  zone: string;
  region: string;
  at: number | null;
  tickId: string | null;
  up: boolean | null;
  target: number | null;
  effective: number | null;
  cpu: number | null;
  p95: number | null;
  connections: number | null;
  rps: number | null;
  errorRate: number | null;
  degradation: number | null;
  breaker: string | null;
  /** The largest penalty of its latest recompute, in words ("− 31 from P95 1240 ms"), and the cause. */
  why: string | null;
  cause: string | null;
}

export interface ServiceDetail {
  service: { id: string; name: string; description: string; version: number; appliedVersion: number; routing: ServiceRouting };
  instances: ServiceInstanceRow[];
  thresholds: { cpuPct: number; p95Ms: number; connections: number };
  lastTickId: string | null;
}

export async function getServiceDetail(db: Db, input: z.input<typeof serviceByName>): Promise<ServiceDetail> {
  const { name } = serviceByName.parse(input);
  const s = await db.service.findUnique({ where: { name } });
  if (!s) throw notFound(`Service "${name}"`);
  const [rows, policies, lastTickId] = await Promise.all([serviceInstanceRows(db, s.id), loadConsolePolicies(db), newestTickId(db)]);
  return {
    service: { id: s.id, name: s.name, description: s.description, version: s.version, appliedVersion: s.appliedVersion, routing: routingOf(s.routing) },
    instances: rows.map((r) => {
      const { wValues, wCause, wAt, wFrom, ...row } = r;
      const why = wAt === null ? null : whyText(explainWeight({ values: wValues, cause: wCause ?? '', at: wAt, fromState: wFrom ?? 'none' }, policies.weight));
      return { ...row, why, cause: wCause };
    }),
    thresholds: policies.weight.thresholds,
    lastTickId,
  };
}

type InstanceRowRaw = Omit<ServiceInstanceRow, 'why' | 'cause'> & { wValues: unknown; wCause: string | null; wAt: number | null; wFrom: string | null };

/** Instances of a service with their latest sample and latest recompute: one index probe each. */
async function serviceInstanceRows(db: Db, serviceId: string): Promise<InstanceRowRaw[]> {
  return db.$queryRaw<InstanceRowRaw[]>`
    SELECT i.id::text AS id, i.name, i."appVersion", i."adminState"::text AS "adminState", c.name AS cluster, z.name AS zone, r.name AS region,
      ${epochMs(Prisma.sql`s.at`)} AS at, s."tickId"::text AS "tickId", s.up, s."targetWeight" AS target, s."effectiveWeight" AS effective,
      s.cpu, s."p95Ms" AS p95, s.connections, s.rps, s."errorRate", s.degradation, s.breaker,
      w."values" AS "wValues", w.cause AS "wCause", w.at AS "wAt", w."fromState" AS "wFrom"
    FROM "Instance" i
    JOIN "Cluster" c ON c.id = i."clusterId" JOIN "Zone" z ON z.id = c."zoneId" JOIN "Region" r ON r.id = z."regionId"
    LEFT JOIN LATERAL (
      SELECT at, "tickId", up, "targetWeight", "effectiveWeight", cpu, "p95Ms", connections, rps, "errorRate", degradation, breaker
      FROM "TelemetrySample" WHERE "instanceId" = i.id ORDER BY at DESC LIMIT 1) s ON true
    LEFT JOIN LATERAL (
      SELECT st."values", st.cause, ${epochMs(Prisma.sql`st.at`)} AS at, st."fromState"
      FROM "StateTransition" st
      WHERE st."instanceId" = i.id AND st.machine = 'weight' AND st.at >= s.at - interval '24 hours'
      ORDER BY st.at DESC, st.id DESC LIMIT 1) w ON true
    WHERE i."serviceId" = ${serviceId}::uuid
    ORDER BY i.name`;
}

// ───────────────────────────── split series ─────────────────────────────

export const serviceSeriesInput = z.object({ serviceId: uuid(), range: rangeInput });

export interface SplitPoint {
  t: number;
  /** Requests/s per key (a version, or an instance id). */
  v: Record<string, number>;
}

export interface ServiceSeries {
  serviceId: string;
  from: number;
  to: number;
  resolution: Resolution;
  stepS: number;
  instances: Array<{ id: string; name: string; appVersion: string }>;
  versions: string[];
  byVersion: SplitPoint[];
  byInstance: SplitPoint[];
  lastTickId: string | null;
}

export async function getServiceSeries(db: Db, input: z.input<typeof serviceSeriesInput>, nowMs = Date.now()): Promise<ServiceSeries> {
  const { serviceId, range } = serviceSeriesInput.parse(input);
  const instances = await db.instance.findMany({ where: { serviceId }, select: { id: true, name: true, appVersion: true }, orderBy: { name: 'asc' } });
  if (!instances.length && !(await db.service.findUnique({ where: { id: serviceId }, select: { id: true } }))) throw notFound('That service');
  const { fromMs, toMs } = resolveRange(range, nowMs);
  const lastTickId = await newestTickId(db);
  const ids = instances.map((i) => i.id);
  const filter = Prisma.sql`"instanceId" = ANY(${ids}::uuid[])`;
  const resolution = ids.length ? await resolutionFor(db, fromMs, toMs, filter) : 'raw';
  const stepS = stepSeconds(resolution, fromMs, toMs);
  const rows = ids.length ? await splitRows(db, ids, resolution, fromMs, toMs) : [];
  const version = new Map(instances.map((i) => [i.id, i.appVersion]));
  const { byInstance, byVersion } = splitPoints(rows, version);
  return {
    serviceId,
    from: fromMs,
    to: toMs,
    resolution,
    stepS,
    instances,
    versions: [...new Set(instances.map((i) => i.appVersion))].sort(),
    byVersion,
    byInstance,
    lastTickId,
  };
}

interface SplitRow {
  t: number;
  instanceId: string;
  rps: number | null;
}

async function splitRows(db: Db, ids: string[], resolution: Resolution, fromMs: number, toMs: number): Promise<SplitRow[]> {
  const rawBucketed = (stepS: number, from: number) => {
    const b = Prisma.sql`date_bin(${`${stepS} seconds`}::interval, s.at, TIMESTAMP '2000-01-01')`;
    return db.$queryRaw<SplitRow[]>`
      SELECT ${epochMs(b)} AS t, s."instanceId"::text AS "instanceId", avg(s.rps)::float8 AS rps
      FROM "TelemetrySample" s WHERE s."instanceId" = ANY(${ids}::uuid[]) AND s.at >= ${ts(from)} AND s.at <= ${ts(toMs)}
      GROUP BY 1, 2 ORDER BY 1`;
  };
  if (resolution === 'raw') return rawBucketed(rawBucketS(fromMs, toMs) || 1, fromMs);
  const res = resolution;
  const alignedFrom = Math.floor(fromMs / (res * 1000)) * res * 1000;
  const rows = await db.$queryRaw<SplitRow[]>`
    SELECT ${epochMs(Prisma.sql`r."bucketStart"`)} AS t, r."instanceId"::text AS "instanceId", r."rpsAvg" AS rps
    FROM "TelemetryRollup" r
    WHERE r."instanceId" = ANY(${ids}::uuid[]) AND r."resolutionS" = ${res}::int AND r."bucketStart" >= ${ts(alignedFrom)} AND r."bucketStart" <= ${ts(toMs)}
    ORDER BY 1`;
  // Rollups lag by a bucket or two: the newest buckets come from raw samples (see instancePoints).
  const newest = rows.length ? Number(rows[rows.length - 1]!.t) : null;
  const tailFrom = newest === null ? alignedFrom : newest + res * 1000;
  if (tailFrom <= toMs) rows.push(...(await rawBucketed(res, tailFrom)));
  return rows;
}

/** Pivots (t, instance, rps) rows into points per instance and per version (sums). */
export function splitPoints(rows: readonly SplitRow[], versionOf: ReadonlyMap<string, string>): { byInstance: SplitPoint[]; byVersion: SplitPoint[] } {
  const byT = new Map<number, { inst: Record<string, number>; ver: Record<string, number> }>();
  for (const r of rows) {
    const t = Number(r.t);
    let p = byT.get(t);
    if (!p) byT.set(t, (p = { inst: {}, ver: {} }));
    const rps = r.rps === null ? 0 : Number(r.rps);
    p.inst[r.instanceId] = rps;
    const v = versionOf.get(r.instanceId);
    if (v !== undefined) p.ver[v] = (p.ver[v] ?? 0) + rps;
  }
  const ts = [...byT.keys()].sort((a, b) => a - b);
  return {
    byInstance: ts.map((t) => ({ t, v: byT.get(t)!.inst })),
    byVersion: ts.map((t) => ({ t, v: byT.get(t)!.ver })),
  };
}

// ───────────────────────────── list ─────────────────────────────

export interface ServiceListRow {
  id: string;
  name: string;
  description: string;
  instances: number;
  byVersion: Record<string, number>;
  zones: number;
  routing: ServiceRouting;
  version: number;
  appliedVersion: number;
  /** From the newest tick (null when the service was not sampled in it). */
  live: {
    at: number;
    rps: number;
    errorRate: number | null;
    avgEffective: number;
    maxP95: number | null;
    degraded: number;
    breakersOpen: number;
    down: number;
    lowest: { name: string; effective: number } | null;
  } | null;
}

// The newest sample time. Samples carry their tick's start, so the newest tick's start is probed
// first; max(at) over the whole table is only the fallback when that tick wrote no samples. The
// index on `at` is a BRIN (cheap for the tick's COPY), and a BRIN cannot answer max(at) without
// reading every entry of the primary key.
const NEWEST_SAMPLE_AT = Prisma.sql`COALESCE(
  (SELECT at FROM "TelemetrySample" WHERE at = (SELECT max("startedAt") FROM "Tick") LIMIT 1),
  (SELECT max(at) FROM "TelemetrySample"))`;

export async function listServices(db: Db): Promise<ServiceListRow[]> {
  const [services, counts, zones, live, lowest] = await Promise.all([
    db.service.findMany({ orderBy: { name: 'asc' } }),
    db.instance.groupBy({ by: ['serviceId', 'appVersion'], _count: { _all: true } }),
    db.$queryRaw<Array<{ serviceId: string; zones: number }>>`
      SELECT i."serviceId"::text AS "serviceId", count(DISTINCT c."zoneId")::int AS zones
      FROM "Instance" i JOIN "Cluster" c ON c.id = i."clusterId" GROUP BY 1`,
    db.$queryRaw<Array<{ serviceId: string; at: number; rps: number | null; errorRate: number | null; avgEffective: number; maxP95: number | null; degraded: number; breakersOpen: number; down: number }>>`
      WITH newest AS (SELECT ${NEWEST_SAMPLE_AT} AS at)
      SELECT i."serviceId"::text AS "serviceId", ${epochMs(Prisma.sql`max(s.at)`)} AS at, sum(s.rps)::float8 AS rps,
        (sum(s.rps * s."errorRate") / nullif(sum(s.rps), 0))::float8 AS "errorRate", avg(s."effectiveWeight")::float8 AS "avgEffective",
        max(s."p95Ms")::float8 AS "maxP95", count(*) FILTER (WHERE s.degradation > 0)::int AS degraded,
        count(*) FILTER (WHERE s.breaker <> 'closed')::int AS "breakersOpen", count(*) FILTER (WHERE NOT s.up)::int AS down
      FROM "TelemetrySample" s JOIN "Instance" i ON i.id = s."instanceId"
      WHERE s.at = (SELECT at FROM newest) GROUP BY 1`,
    db.$queryRaw<Array<{ serviceId: string; name: string; effective: number }>>`
      SELECT DISTINCT ON (i."serviceId") i."serviceId"::text AS "serviceId", i.name, s."effectiveWeight" AS effective
      FROM "TelemetrySample" s JOIN "Instance" i ON i.id = s."instanceId"
      WHERE s.at = (${NEWEST_SAMPLE_AT})
      ORDER BY i."serviceId", s."effectiveWeight", i.name`,
  ]);
  return services.map((s) => {
    const byVersion: Record<string, number> = {};
    for (const c of counts) if (c.serviceId === s.id) byVersion[c.appVersion] = c._count._all;
    const l = live.find((x) => x.serviceId === s.id);
    const low = lowest.find((x) => x.serviceId === s.id);
    return {
      id: s.id,
      name: s.name,
      description: s.description,
      instances: Object.values(byVersion).reduce((a, b) => a + b, 0),
      byVersion,
      zones: zones.find((z) => z.serviceId === s.id)?.zones ?? 0,
      routing: routingOf(s.routing),
      version: s.version,
      appliedVersion: s.appliedVersion,
      live: l
        ? {
            at: Number(l.at),
            rps: l.rps ?? 0,
            errorRate: l.errorRate,
            avgEffective: l.avgEffective,
            maxP95: l.maxP95,
            degraded: l.degraded,
            breakersOpen: l.breakersOpen,
            down: l.down,
            lowest: low ? { name: low.name, effective: low.effective } : null,
          }
        : null,
    };
  });
}

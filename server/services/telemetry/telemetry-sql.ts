// Shared pieces of the telemetry reads (telemetry-read*.ts, telemetry-live.ts): time parameters,
// row shapes, the point mapper and the policies the console explains weights against.
import type { Db } from '../../db/client';
import { Prisma } from '../../db/generated/client';
import type { WatermarkPolicy, WeightPolicy } from '../../domain/model';
import { defaultWatermarkPolicy, defaultWeightPolicy } from '../../domain/policy-defaults';

/**
 * A UTC instant as the `timestamp(3)` columns store it (UTC wall time, docs/telemetry.md), built
 * in SQL from epoch ms so neither the server's nor the session's time zone can shift it.
 */
export const ts = (ms: number) => Prisma.sql`(to_timestamp(${ms}::float8 / 1000) AT TIME ZONE 'UTC')`;

/** Epoch ms of a timestamp column or expression (extract on a `timestamp` reads it as UTC). */
export const epochMs = (col: Prisma.Sql) => Prisma.sql`(extract(epoch FROM ${col}) * 1000)::float8`;

/** One point of an instance's series: a raw sample, a bucket of raw samples, or a rollup bucket. */
export interface InstancePoint {
  /** Epoch ms: the sample's tick, or the bucket's start. */
  t: number;
  /** The tick of a raw sample (the newest one for a bucket); null for rollups. */
  tickId: string | null;
  /** False when the platform could not reach the instance; null for rollups (not kept). */
  up: boolean | null;
  target: number;
  effective: number;
  cpu: number | null;
  p95: number | null;
  connections: number | null;
  rps: number | null;
  /** 0..1 */
  errorRate: number | null;
  /** Per stage (STAGES order) 0..1; the bucket's maximum for buckets and rollups. */
  stageFill: number[];
  /** Highest level in the point (0..3). */
  degradation: number;
  /** Worst state in the point (open > half-open > closed); null for rollups (not kept). */
  breaker: string | null;
  /** Bucket maxima (rollups only), so a short spike is not averaged away unseen. */
  cpuMax?: number | null;
  p95Max?: number | null;
}

export interface PointRow {
  t: number;
  tickId: string | null;
  up: boolean | null;
  target: number;
  effective: number;
  cpu: number | null;
  p95: number | null;
  connections: number | null;
  rps: number | null;
  errorRate: number | null;
  stageFill: number[] | null;
  degradation: number;
  breaker: string | null;
  cpuMax?: number | null;
  p95Max?: number | null;
}

export function toPoint(r: PointRow): InstancePoint {
  const p: InstancePoint = {
    t: Number(r.t),
    tickId: r.tickId,
    up: r.up,
    target: Number(r.target),
    effective: Number(r.effective),
    cpu: num(r.cpu),
    p95: num(r.p95),
    connections: num(r.connections),
    rps: num(r.rps),
    errorRate: num(r.errorRate),
    stageFill: (r.stageFill ?? []).map((x) => Number(x ?? 0)),
    degradation: Number(r.degradation ?? 0),
    breaker: r.breaker,
  };
  if (r.cpuMax !== undefined) p.cpuMax = num(r.cpuMax);
  if (r.p95Max !== undefined) p.p95Max = num(r.p95Max);
  return p;
}

export const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * SQL text: TelemetrySample row `alias` is a sample of the newest tick. A sample's `at` is its
 * tick's `startedAt` (persistTick writes both from one value) and `at` is what the indexes serve
 * (primary key (instanceId, at), BRIN on at); `tickId` has no index, so a match on it alone reads
 * every sample of the raw window. The `tickId` term stays so a stray row at the same instant from
 * another tick can never join. Text, so the telemetry loop's pg queries use it too.
 */
export const latestTickSampleText = (alias: string) =>
  `${alias}.at = (SELECT "startedAt" FROM "Tick" ORDER BY id DESC LIMIT 1) AND ${alias}."tickId" = (SELECT max(id) FROM "Tick")`;

/** latestTickSampleText as a Prisma fragment. */
export const latestTickSample = (alias: string) => Prisma.raw(latestTickSampleText(alias));

/** The columns of a raw sample as a point (alias `s`). */
export const RAW_POINT_COLUMNS = Prisma.sql`${epochMs(Prisma.sql`s.at`)} AS t, s."tickId"::text AS "tickId", s.up, s."targetWeight" AS target,
  s."effectiveWeight" AS effective, s.cpu, s."p95Ms" AS p95, s.connections, s.rps, s."errorRate", s."stageFill", s.degradation, s.breaker`;

/** Raw samples averaged into buckets of `stepS` (alias `s`, grouped by the first column). */
export const bucketedPointColumns = (stepS: number) => {
  const b = Prisma.sql`date_bin(${`${stepS} seconds`}::interval, s.at, TIMESTAMP '2000-01-01')`;
  return Prisma.sql`${epochMs(b)} AS t, max(s."tickId")::text AS "tickId", bool_and(s.up) AS up, avg(s."targetWeight") AS target,
    avg(s."effectiveWeight") AS effective, avg(s.cpu) AS cpu, avg(s."p95Ms") AS p95, avg(s.connections) AS connections, avg(s.rps) AS rps,
    avg(s."errorRate") AS "errorRate",
    ARRAY[max(s."stageFill"[1]), max(s."stageFill"[2]), max(s."stageFill"[3]), max(s."stageFill"[4]), max(s."stageFill"[5])] AS "stageFill",
    max(s.degradation) AS degradation,
    CASE WHEN bool_or(s.breaker = 'open') THEN 'open' WHEN bool_or(s.breaker = 'half-open') THEN 'half-open' ELSE 'closed' END AS breaker,
    max(s.cpu) AS "cpuMax", max(s."p95Ms") AS "p95Max"`;
};

/** A state change as the console lists and marks it. */
export interface TransitionItem {
  id: string;
  at: number;
  tickId: string;
  instanceId: string;
  machine: 'stage' | 'degradation' | 'breaker' | 'weight';
  /** Stage name, or '' for instance-level machines. */
  stage: string;
  from: string;
  to: string;
  cause: string;
  values: Record<string, number>;
}

export const TRANSITION_COLUMNS = Prisma.sql`st.id::text AS id, ${epochMs(Prisma.sql`st.at`)} AS at, st."tickId"::text AS "tickId",
  st."instanceId"::text AS "instanceId", st.machine::text AS machine, st.stage, st."fromState" AS "from", st."toState" AS "to", st.cause, st."values"`;

/**
 * Idle ↔ active flips of a stage happen every few ticks and explain nothing; the console marks and
 * lists every other change (a stage blocking or unblocking included).
 */
export const NOTABLE_TRANSITION = Prisma.sql`(st.machine <> 'stage' OR st."fromState" = 'blocked' OR st."toState" = 'blocked')`;

export interface ConsolePolicies {
  weight: WeightPolicy;
  watermark: WatermarkPolicy;
}

/** The global weight and watermark policies (defaults fill missing fields, as the loop does). */
export async function loadConsolePolicies(db: Db): Promise<ConsolePolicies> {
  const rows = await db.policy.findMany({ where: { scope: 'global', kind: { in: ['weight', 'watermark'] } }, select: { kind: true, document: true } });
  const doc = (kind: string) => {
    const d = rows.find((r) => r.kind === kind)?.document;
    return d && typeof d === 'object' && !Array.isArray(d) ? (d as Record<string, unknown>) : {};
  };
  return {
    weight: { ...defaultWeightPolicy, ...doc('weight') },
    watermark: { ...defaultWatermarkPolicy, ...doc('watermark') },
  };
}

/** Policies change rarely; the live feed reads them at most every few seconds per process and database. */
const cachedPolicies = new WeakMap<Db, { at: number; value: Promise<ConsolePolicies> }>();
export function consolePoliciesCached(db: Db, nowMs = Date.now()): Promise<ConsolePolicies> {
  const hit = cachedPolicies.get(db);
  if (hit && nowMs - hit.at <= 5_000) return hit.value;
  const value = loadConsolePolicies(db);
  cachedPolicies.set(db, { at: nowMs, value });
  value.catch(() => cachedPolicies.delete(db));
  return value;
}

// Every instance of the fleet with its newest sample, filtered by where it sits, its service and
// version, its admin state and its health: the list API clients (GET /api/v1/instances, the
// telemetry.instances procedure) page through instead of walking services or clusters one by one.
// The detail of one instance (why its weight, stage shares) stays GET /instances/{name}.
import { z } from 'zod';
import { name, token } from '../../domain/inputs';
import type { Db } from '../../db/client';
import { Prisma } from '../../db/generated/client';
import { FAULTS_IN_PLACE_SQL } from '../topology/faults-in-place-sql';
import { notFound } from '../../errors';
import { epochMs, toPoint, type InstancePoint, type PointRow } from './telemetry-sql';

export const INSTANCE_ADMIN_STATES = ['ready', 'drain', 'maint'] as const;
export const INSTANCE_HEALTH = ['healthy', 'unhealthy', 'unsampled'] as const;
export type InstanceHealth = (typeof INSTANCE_HEALTH)[number];

export const listInstancesInput = z
  .object({
    service: name().optional(),
    region: name().optional(),
    zone: name().optional(),
    cluster: name().optional(),
    /** The instance's app version (e.g. v2). */
    version: token(64).optional(),
    adminState: z.enum(INSTANCE_ADMIN_STATES, { error: `Admin state: one of ${INSTANCE_ADMIN_STATES.join(', ')}` }).optional(),
    health: z.enum(INSTANCE_HEALTH, { error: `Health: one of ${INSTANCE_HEALTH.join(', ')}` }).optional(),
  })
  .strict();

/** The newest sample of an instance: the fields of GET /instances/{name}'s `latest`. */
export interface InstanceLatest extends InstancePoint {
  rtMs: number | null;
  memory: number | null;
  p50: number | null;
  p99: number | null;
  stageState: string[];
}

export interface InstanceListItem {
  id: string;
  name: string;
  service: string;
  appVersion: string;
  adminState: string;
  address: string;
  region: string;
  zone: string;
  cluster: string;
  latest: InstanceLatest | null;
  /** The fault a chaos run has injected here right now, and the run; null when none. */
  fault: { kind: string; run: string } | null;
  /**
   * The Topology page's "unhealthy" rule (components/topology-map/placement-model.ts): degraded,
   * down, breaker open or half-open, a stage blocked, or a fault injected. Unsampled: no sample yet.
   */
  health: InstanceHealth;
  /** Why it is unhealthy, in words (empty when healthy). */
  problems: string[];
}

type Row = PointRow & {
  id: string;
  name: string;
  service: string;
  appVersion: string;
  adminState: string;
  address: string;
  region: string;
  zone: string;
  cluster: string;
  sampled: boolean;
  rtMs: number | null;
  memory: number | null;
  p50: number | null;
  p99: number | null;
  stageState: string[] | null;
  faultKind: string | null;
  faultRun: string | null;
};

function problemsOf(latest: InstanceLatest | null, fault: InstanceListItem['fault']): string[] {
  const out: string[] = [];
  if (latest) {
    if (latest.up === false) out.push('down: the platform could not reach it');
    if (latest.degradation >= 1) out.push(`degraded to L${latest.degradation}`);
    if (latest.breaker === 'open' || latest.breaker === 'half-open') out.push(`breaker ${latest.breaker}`);
    const blocked = latest.stageState.filter((s) => s === 'blocked').length;
    if (blocked > 0) out.push(`${blocked} stage${blocked === 1 ? '' : 's'} blocked (backpressure)`);
  }
  if (fault) out.push(`fault ${fault.kind} injected by run ${fault.run}`);
  return out;
}

/** Refuses a filter naming a place or service that does not exist (a typo would otherwise read as "no instances"). */
async function checkNames(db: Db, f: z.output<typeof listInstancesInput>) {
  const checks: Array<[string | undefined, string, () => Promise<unknown>]> = [
    [f.service, 'Service', () => db.service.findUnique({ where: { name: f.service! }, select: { id: true } })],
    [f.region, 'Region', () => db.region.findUnique({ where: { name: f.region! }, select: { id: true } })],
    [f.zone, 'Zone', () => db.zone.findUnique({ where: { name: f.zone! }, select: { id: true } })],
    [f.cluster, 'Cluster', () => db.cluster.findUnique({ where: { name: f.cluster! }, select: { id: true } })],
  ];
  for (const [value, what, find] of checks) if (value !== undefined && !(await find())) throw notFound(`${what} "${value}"`);
}

/** The matching instances by name, each with its newest sample (one index probe each). */
export async function listInstances(db: Db, input: z.input<typeof listInstancesInput> = {}): Promise<InstanceListItem[]> {
  const f = listInstancesInput.parse(input);
  await checkNames(db, f);
  const where: Prisma.Sql[] = [Prisma.sql`true`];
  if (f.service) where.push(Prisma.sql`sv.name = ${f.service}`);
  if (f.region) where.push(Prisma.sql`r.name = ${f.region}`);
  if (f.zone) where.push(Prisma.sql`z.name = ${f.zone}`);
  if (f.cluster) where.push(Prisma.sql`c.name = ${f.cluster}`);
  if (f.version) where.push(Prisma.sql`i."appVersion" = ${f.version}`);
  if (f.adminState) where.push(Prisma.sql`i."adminState"::text = ${f.adminState}`);
  const rows = await db.$queryRaw<Row[]>`
    WITH f AS (
      ${Prisma.raw(FAULTS_IN_PLACE_SQL)})
    SELECT i.id::text AS id, i.name, sv.name AS service, i."appVersion", i."adminState"::text AS "adminState", i.address,
      r.name AS region, z.name AS zone, c.name AS cluster,
      s.at IS NOT NULL AS sampled, ${epochMs(Prisma.sql`s.at`)} AS t, s."tickId"::text AS "tickId", s.up, s."targetWeight" AS target, s."effectiveWeight" AS effective,
      s.cpu, s."p95Ms" AS p95, s.connections, s.rps, s."errorRate", s."stageFill", s.degradation, s.breaker,
      s."rtMs", s.memory, s."p50Ms" AS p50, s."p99Ms" AS p99, s."stageState",
      f.kind AS "faultKind", f.run AS "faultRun"
    FROM "Instance" i
    JOIN "Service" sv ON sv.id = i."serviceId"
    JOIN "Cluster" c ON c.id = i."clusterId" JOIN "Zone" z ON z.id = c."zoneId" JOIN "Region" r ON r.id = z."regionId"
    LEFT JOIN LATERAL (SELECT * FROM "TelemetrySample" WHERE "instanceId" = i.id ORDER BY at DESC LIMIT 1) s ON true
    LEFT JOIN f ON f."instanceId" = i.id
    WHERE ${Prisma.join(where, ' AND ')}
    ORDER BY i.name`;
  const items = rows.map((row): InstanceListItem => {
    const latest: InstanceLatest | null = row.sampled ? { ...toPoint(row), rtMs: row.rtMs, memory: row.memory, p50: row.p50, p99: row.p99, stageState: row.stageState ?? [] } : null;
    const fault = row.faultKind !== null && row.faultRun !== null ? { kind: row.faultKind, run: row.faultRun } : null;
    const problems = problemsOf(latest, fault);
    return {
      id: row.id,
      name: row.name,
      service: row.service,
      appVersion: row.appVersion,
      adminState: row.adminState,
      address: row.address,
      region: row.region,
      zone: row.zone,
      cluster: row.cluster,
      latest,
      fault,
      health: problems.length > 0 ? 'unhealthy' : latest ? 'healthy' : 'unsampled',
      problems,
    };
  });
  return f.health ? items.filter((i) => i.health === f.health) : items;
}

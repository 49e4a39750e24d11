// What the topology guards read: the latest telemetry sample of every instance of a service
// (degradation level, breaker, stage buffer fill) and the zones its canary version runs in. The
// reconciler and the preview read the same rows, so a preview's "would hold today" is what the
// reconciler would do now.
import type { DbOrTx } from '../../db/client';
import { Prisma } from '../../db/generated/client';
import { latestTickSample } from '../telemetry/telemetry-sql';
import { canaryZones, evaluateGuards, guardInstanceFromSample, type GuardHold, type GuardInstance } from '../../domain/rollouts/guards';

export interface ServiceInstanceRow {
  id: string;
  name: string;
  zone: string;
  appVersion: string;
  /** From the latest tick; null when the instance has no sample yet. */
  level: number | null;
  breaker: string | null;
  stageFill: number[] | null;
  effectiveWeight: number | null;
  /** Requests per second and CPU % of the latest tick: the preview's load estimate reads them. */
  rps: number | null;
  cpu: number | null;
}

/** Every instance of the service with its sample of the latest tick (nulls when it has none). */
export async function serviceInstancesNow(db: DbOrTx, serviceId: string): Promise<ServiceInstanceRow[]> {
  return db.$queryRaw<ServiceInstanceRow[]>(serviceInstancesNowSql(serviceId));
}

/** serviceInstancesNow's statement (exported for the read benchmark, bench/scale/sample-reads.ts). */
export function serviceInstancesNowSql(serviceId: string): Prisma.Sql {
  return Prisma.sql`
    SELECT i.id::text AS id, i.name, z.name AS zone, i."appVersion",
           s.degradation AS level, s.breaker, s."stageFill", s."effectiveWeight", s.rps, s.cpu
      FROM "Instance" i
      JOIN "Cluster" c ON c.id = i."clusterId"
      JOIN "Zone" z ON z.id = c."zoneId"
      LEFT JOIN "TelemetrySample" s ON s."instanceId" = i.id AND ${latestTickSample('s')}
     WHERE i."serviceId" = ${serviceId}::uuid
     ORDER BY i.name`;
}

/** Guard inputs of the instances that have a sample in the latest tick (no sample, nothing to hold on). */
export function guardInstances(rows: readonly ServiceInstanceRow[]): GuardInstance[] {
  return rows.flatMap((r) => (r.level === null ? [] : [guardInstanceFromSample({ name: r.name, zone: r.zone, degradation: r.level, breaker: r.breaker ?? 'closed', stageFill: r.stageFill ?? [] })]));
}

/** The guards that would hold a canary increase of `canaryVersion` on this service now; [] = go. */
export async function guardHoldsNow(db: DbOrTx, serviceId: string, canaryVersion: string): Promise<GuardHold[]> {
  const rows = await serviceInstancesNow(db, serviceId);
  return evaluateGuards(canaryZones(rows, canaryVersion), guardInstances(rows));
}

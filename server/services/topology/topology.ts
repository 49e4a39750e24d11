import { z } from 'zod';
import type { Db } from '../../db/client';
import { AppError, notFound } from '../../errors';
import { runCommand, type Actor } from '../command';
import { compareAndSet } from '../compare-and-set';
import { freeText, text, uuid, version } from '../../domain/inputs';

export const updateServiceInput = z.object({
  id: uuid(),
  version: version(),
  name: text(63)
    .regex(/^[a-z][a-z0-9-]{1,62}$/, 'Use 2–63 lowercase letters, digits and dashes, starting with a letter')
    .optional(),
  description: freeText(2000).optional(),
});

export interface OverviewData {
  counts: { regions: number; zones: number; clusters: number; services: number; instances: number };
  instancesByState: Record<string, number>;
  services: Array<{
    id: string;
    name: string;
    description: string;
    version: number;
    appliedVersion: number;
    instances: number;
    byAppVersion: Record<string, number>;
    zones: number;
    updatedAt: Date;
  }>;
  regions: Array<{ id: string; name: string; zones: Array<{ id: string; name: string; clusters: number; instances: number }> }>;
}

export async function getOverview(db: Db): Promise<OverviewData> {
  const [regions, zones, clusters, services, instances, byState, byServiceVersion, serviceZones, regionTree, zoneInstances] =
    await Promise.all([
      db.region.count(),
      db.zone.count(),
      db.cluster.count(),
      db.service.findMany({ orderBy: { name: 'asc' } }),
      db.instance.count(),
      db.instance.groupBy({ by: ['adminState'], _count: { _all: true } }),
      db.instance.groupBy({ by: ['serviceId', 'appVersion'], _count: { _all: true } }),
      db.$queryRaw<Array<{ serviceId: string; zones: bigint }>>`
        SELECT i."serviceId", COUNT(DISTINCT c."zoneId") AS zones
        FROM "Instance" i JOIN "Cluster" c ON c.id = i."clusterId" GROUP BY i."serviceId"`,
      db.region.findMany({
        orderBy: { name: 'asc' },
        select: { id: true, name: true, zones: { orderBy: { name: 'asc' }, select: { id: true, name: true, _count: { select: { clusters: true } } } } },
      }),
      db.$queryRaw<Array<{ zoneId: string; n: bigint }>>`
        SELECT c."zoneId", COUNT(*) AS n FROM "Instance" i JOIN "Cluster" c ON c.id = i."clusterId" GROUP BY c."zoneId"`,
    ]);
  const zoneCount = new Map(zoneInstances.map((r) => [r.zoneId, Number(r.n)]));
  const serviceZoneCount = new Map(serviceZones.map((r) => [r.serviceId, Number(r.zones)]));
  return {
    counts: { regions, zones, clusters, services: services.length, instances },
    instancesByState: Object.fromEntries(byState.map((r) => [r.adminState, r._count._all])),
    services: services.map((s) => {
      const byAppVersion: Record<string, number> = {};
      for (const r of byServiceVersion) if (r.serviceId === s.id) byAppVersion[r.appVersion] = r._count._all;
      return {
        id: s.id,
        name: s.name,
        description: s.description,
        version: s.version,
        appliedVersion: s.appliedVersion,
        instances: Object.values(byAppVersion).reduce((a, b) => a + b, 0),
        byAppVersion,
        zones: serviceZoneCount.get(s.id) ?? 0,
        updatedAt: s.updatedAt,
      };
    }),
    regions: regionTree.map((r) => ({
      id: r.id,
      name: r.name,
      zones: r.zones.map((z) => ({ id: z.id, name: z.name, clusters: z._count.clusters, instances: zoneCount.get(z.id) ?? 0 })),
    })),
  };
}

export async function updateService(db: Db, actor: Actor, input: z.input<typeof updateServiceInput>) {
  const data = updateServiceInput.parse(input);
  return runCommand(db, actor, async (ctx) => {
    const before = await ctx.tx.service.findUnique({ where: { id: data.id } });
    if (!before) throw notFound('That service');
    if (data.name && data.name !== before.name) {
      const taken = await ctx.tx.service.findUnique({ where: { name: data.name }, select: { id: true } });
      if (taken) {
        throw new AppError('CONFLICT', `A service named "${data.name}" already exists.`, { name: ['This name is taken'] });
      }
    }
    await compareAndSet(ctx.tx, {
      row: { type: 'service', id: data.id, label: `Service "${before.name}"` },
      expected: data.version,
      versionActions: ['service.update'],
      write: () => ctx.tx.service.updateMany({ where: { id: data.id, version: data.version }, data: { name: data.name, description: data.description, version: { increment: 1 } } }),
      current: async () => {
        const now = await ctx.tx.service.findUnique({ where: { id: data.id }, select: { version: true, name: true, description: true } });
        return now && { version: now.version, values: { name: now.name, description: now.description } };
      },
    });
    const after = await ctx.tx.service.findUniqueOrThrow({ where: { id: data.id } });
    await ctx.audit({
      action: 'service.update',
      targetType: 'service',
      targetId: after.id,
      targetName: after.name,
      before: { name: before.name, description: before.description },
      after: { name: after.name, description: after.description },
    });
    await ctx.emit('service.changed', { id: after.id, name: after.name, description: after.description, version: after.version });
    // The telemetry leader applies the new version through the adapter within a tick; this job,
    // due a little later, fails visibly (and retries) if that did not happen.
    await ctx.enqueue('registry_converge', { serviceId: after.id, version: after.version }, { jobKey: `converge:${after.id}`, runAt: new Date(Date.now() + CONVERGE_CHECK_DELAY_MS) });
    return after;
  }, { input: data });
}

export const CONVERGE_CHECK_DELAY_MS = 10_000;

/**
 * The convergence watchdog (job registry_converge): done when the platform carries the version
 * (or a newer one superseded it); otherwise an error, so the job retries and shows as failing.
 */
export async function checkConvergence(db: Db, input: { serviceId: string; version: number }) {
  const s = await db.service.findUnique({ where: { id: input.serviceId }, select: { name: true, version: true, appliedVersion: true } });
  if (!s) return { converged: false, reason: 'service deleted' };
  if (s.appliedVersion >= input.version) return { converged: true };
  if (s.version > input.version) return { converged: false, reason: `superseded by version ${s.version}` };
  throw new Error(`routing of ${s.name} version ${input.version} is not applied yet (applied: ${s.appliedVersion}); the telemetry leader applies it — is a worker running and leading?`);
}

/**
 * Records that the platform now carries a registry version; called by the telemetry leader right
 * after the adapter applied it. Idempotent: a retry, or an older call arriving late, never moves
 * appliedVersion backwards.
 */
export async function convergeService(db: Db, input: { serviceId: string; version: number }) {
  return runCommand(db, { id: null, name: 'worker' }, async (ctx) => {
    const { count } = await ctx.tx.service.updateMany({
      where: { id: input.serviceId, appliedVersion: { lt: input.version }, version: { gte: input.version } },
      data: { appliedVersion: input.version, appliedAt: new Date() },
    });
    if (count > 0) await ctx.emit('service.changed', { id: input.serviceId, appliedVersion: input.version });
    return { applied: count > 0 };
  });
}

// A cluster as its page shows it: where it sits, and each instance with its newest sample.
import { z } from 'zod';
import { name } from '../../domain/inputs';
import type { Db } from '../../db/client';
import { notFound } from '../../errors';

export const clusterDetailInput = z.object({ name: name() });

export async function getClusterDetail(db: Db, input: z.input<typeof clusterDetailInput>) {
  const { name } = clusterDetailInput.parse(input);
  const cluster = await db.cluster.findUnique({ where: { name }, select: { id: true, name: true, zone: { select: { id: true, name: true, region: { select: { id: true, name: true } } } } } });
  if (!cluster) throw notFound(`Cluster ${name}`);
  const rows = await db.$queryRaw<Array<{ name: string; service: string; appVersion: string; adminState: string; at: Date | null; up: boolean | null; effectiveWeight: number | null; degradation: number | null; breaker: string | null; blocked: number | null }>>`
    SELECT i.name, sv.name AS service, i."appVersion", i."adminState"::text AS "adminState", s.at, s.up, s."effectiveWeight", s.degradation, s.breaker,
      CASE WHEN s.at IS NULL THEN NULL ELSE (SELECT count(*)::int FROM unnest(s."stageState") st WHERE st = 'blocked') END AS blocked
    FROM "Instance" i JOIN "Service" sv ON sv.id = i."serviceId"
    LEFT JOIN LATERAL (SELECT at, up, "effectiveWeight", degradation, breaker, "stageState" FROM "TelemetrySample" WHERE "instanceId" = i.id ORDER BY at DESC LIMIT 1) s ON TRUE
    WHERE i."clusterId" = ${cluster.id}::uuid
    ORDER BY sv.name, i.name`;
  return {
    id: cluster.id,
    name: cluster.name,
    zone: { id: cluster.zone.id, name: cluster.zone.name },
    region: cluster.zone.region,
    instances: rows.map((r) => ({
      name: r.name,
      service: r.service,
      version: r.appVersion,
      adminState: r.adminState,
      at: r.at?.getTime() ?? null,
      up: r.up,
      effectiveWeight: r.effectiveWeight,
      degradation: r.degradation,
      breaker: r.breaker,
      blockedStages: r.blocked,
    })),
  };
}

// The region / zone / cluster / service filter the fleet views share (machines, timeline): the
// input fields and the SQL conditions over `i` (Instance) and `c` (Cluster).
import { Prisma } from '../../db/generated/client';
import { uuid } from '../../domain/inputs';

export const topologyScopeFields = {
  serviceId: uuid().optional(),
  zoneId: uuid().optional(),
  regionId: uuid().optional(),
  clusterId: uuid().optional(),
};

export type TopologyScope = { serviceId?: string; zoneId?: string; regionId?: string; clusterId?: string };

/** Conditions on `i` (Instance) and `c` (Cluster) for the topology filters; always at least TRUE. */
export function topologyWhere(q: TopologyScope, instanceId: string | null): Prisma.Sql[] {
  const parts: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (instanceId) parts.push(Prisma.sql`i.id = ${instanceId}::uuid`);
  if (q.serviceId) parts.push(Prisma.sql`i."serviceId" = ${q.serviceId}::uuid`);
  if (q.clusterId) parts.push(Prisma.sql`c.id = ${q.clusterId}::uuid`);
  if (q.zoneId) parts.push(Prisma.sql`c."zoneId" = ${q.zoneId}::uuid`);
  if (q.regionId) parts.push(Prisma.sql`c."zoneId" IN (SELECT id FROM "Zone" WHERE "regionId" = ${q.regionId}::uuid)`);
  return parts;
}

// The Topology page's read model: Region → Zone → Cluster → Instance with each instance's sample
// of one tick (the latest by default) and per-cluster aggregates. Contract: docs/telemetry.md.
import type { Db } from '../../db/client';

export interface TopologyInstance {
  id: string;
  name: string;
  service: string;
  appVersion: string;
  adminState: string;
  /** Null until the instance has a sample in the tick (e.g. created after it). */
  effectiveWeight: number | null;
  targetWeight: number | null;
  degradation: number | null;
  breaker: string | null;
  up: boolean | null;
}

export interface ClusterAgg {
  count: number;
  /** Over the instances that have a sample; null when none has. */
  avgWeight: number | null;
  minWeight: number | null;
  maxDegradation: number | null;
  openBreakers: number;
  down: number;
}

export interface TopologyCluster {
  id: string;
  name: string;
  instances: TopologyInstance[];
  agg: ClusterAgg;
}
export interface TopologyZone {
  id: string;
  name: string;
  clusters: TopologyCluster[];
}
export interface TopologyRegion {
  id: string;
  name: string;
  zones: TopologyZone[];
}
export interface TopologyMap {
  tickId: string | null;
  /** The tick's time (ISO), null before the first tick. */
  at: string | null;
  regions: TopologyRegion[];
}

interface Row {
  regionId: string;
  regionName: string;
  zoneId: string | null;
  zoneName: string | null;
  clusterId: string | null;
  clusterName: string | null;
  id: string | null;
  name: string | null;
  service: string | null;
  appVersion: string | null;
  adminState: string | null;
  effectiveWeight: number | null;
  targetWeight: number | null;
  degradation: number | null;
  breaker: string | null;
  up: boolean | null;
  tickId: string | null;
  at: string | null;
}

export function aggregate(instances: readonly TopologyInstance[]): ClusterAgg {
  let sum = 0;
  let n = 0;
  let min: number | null = null;
  let maxDeg: number | null = null;
  let openBreakers = 0;
  let down = 0;
  for (const i of instances) {
    if (i.effectiveWeight !== null) {
      sum += i.effectiveWeight;
      n++;
      min = min === null ? i.effectiveWeight : Math.min(min, i.effectiveWeight);
    }
    if (i.degradation !== null) maxDeg = maxDeg === null ? i.degradation : Math.max(maxDeg, i.degradation);
    if (i.breaker === 'open') openBreakers++;
    if (i.up === false) down++;
  }
  return { count: instances.length, avgWeight: n ? sum / n : null, minWeight: min, maxDegradation: maxDeg, openBreakers, down };
}

/**
 * One statement: the whole hierarchy (empty regions/zones/clusters included) with the samples of
 * tick `tickId` (default: the latest). The sample join goes through (instanceId, at), the primary
 * key, so it is one index probe per instance rather than a scan of the raw window by tickId.
 */
export async function getTopologyMap(db: Db, tickId?: string | bigint | null): Promise<TopologyMap> {
  const wanted = tickId === undefined || tickId === null ? null : String(tickId);
  const rows = await db.$queryRaw<Row[]>`
    WITH t AS (
      SELECT id, "startedAt" FROM "Tick"
      WHERE id = COALESCE(${wanted}::bigint, (SELECT max(id) FROM "Tick")))
    SELECT r.id::text AS "regionId", r.name AS "regionName", z.id::text AS "zoneId", z.name AS "zoneName",
      c.id::text AS "clusterId", c.name AS "clusterName", i.id::text AS id, i.name, s.name AS service,
      i."appVersion", i."adminState"::text AS "adminState",
      ts."effectiveWeight", ts."targetWeight", ts.degradation, ts.breaker, ts.up,
      (SELECT id::text FROM t) AS "tickId",
      (SELECT to_char("startedAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') FROM t) AS at
    FROM "Region" r
    LEFT JOIN "Zone" z ON z."regionId" = r.id
    LEFT JOIN "Cluster" c ON c."zoneId" = z.id
    LEFT JOIN "Instance" i ON i."clusterId" = c.id
    LEFT JOIN "Service" s ON s.id = i."serviceId"
    LEFT JOIN t ON true
    LEFT JOIN "TelemetrySample" ts ON ts."instanceId" = i.id AND ts.at = t."startedAt" AND ts."tickId" = t.id
    ORDER BY r.name, z.name, c.name, i.name`;

  const regions: TopologyRegion[] = [];
  let region: TopologyRegion | undefined;
  let zone: TopologyZone | undefined;
  let cluster: TopologyCluster | undefined;
  for (const row of rows) {
    if (region?.id !== row.regionId) {
      region = { id: row.regionId, name: row.regionName, zones: [] };
      regions.push(region);
      zone = undefined;
    }
    if (!row.zoneId || !row.zoneName) continue;
    if (zone?.id !== row.zoneId) {
      zone = { id: row.zoneId, name: row.zoneName, clusters: [] };
      region.zones.push(zone);
      cluster = undefined;
    }
    if (!row.clusterId || !row.clusterName) continue;
    if (cluster?.id !== row.clusterId) {
      cluster = { id: row.clusterId, name: row.clusterName, instances: [], agg: aggregate([]) };
      zone.clusters.push(cluster);
    }
    if (!row.id || !row.name) continue;
    cluster.instances.push({
      id: row.id,
      name: row.name,
      service: row.service ?? '',
      appVersion: row.appVersion ?? '',
      adminState: row.adminState ?? 'ready',
      effectiveWeight: row.effectiveWeight,
      targetWeight: row.targetWeight,
      degradation: row.degradation,
      breaker: row.breaker,
      up: row.up,
    });
  }
  for (const r of regions) for (const z of r.zones) for (const c of z.clusters) c.agg = aggregate(c.instances);
  return { tickId: rows[0]?.tickId ?? null, at: rows[0]?.at ?? null, regions };
}

/** The latest tick id, or null before the first tick. */
export async function latestTickId(db: Db): Promise<string | null> {
  const rows = await db.$queryRaw<Array<{ id: string | null }>>`SELECT max(id)::text AS id FROM "Tick"`;
  return rows[0]?.id ?? null;
}

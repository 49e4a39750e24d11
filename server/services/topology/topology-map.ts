// The Topology page's read model: Region → Zone → Cluster → Instance with each instance's sample
// of one tick (the latest by default) and per-cluster aggregates. Contract: docs/telemetry.md.
import { pgPool, type Db } from '../../db/client';
import { Prisma } from '../../db/generated/client';
import { FAULTS_IN_PLACE_SQL } from './faults-in-place-sql';

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
  /** Pipeline stages in state `blocked` (output buffer full: backpressure) in the tick; null without a sample. */
  blockedStages?: number | null;
  /** The fault an experiment run has injected here right now (`delay`, `kill`, …) and the run's name; null when none. */
  fault?: { kind: string; run: string } | null;
  /** The instance's registry labels (search finds `key=value`), except those that repeat its region, zone or cluster; omitted when none is left. */
  labels?: Record<string, string>;
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

/** One row of topologyMapSql: an instance with its place, or an empty region/zone/cluster. */
export interface TopologyMapRow {
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
  blockedStages: number | null;
  faultKind: string | null;
  faultRun: string | null;
  labels: Record<string, unknown> | null;
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
 * String labels only; one that repeats the instance's place (zone=eu-west-a) is left out, as the
 * path already says it and at 10,000 instances it would weigh on every snapshot.
 */
function stringLabels(raw: Record<string, unknown> | null, place: ReadonlyArray<string | null>): { labels?: Record<string, string> } {
  if (!raw || typeof raw !== 'object') return {};
  const entries = Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === 'string' && !place.includes(e[1]));
  return entries.length ? { labels: Object.fromEntries(entries) } : {};
}

/**
 * The read model as one statement (the former read, and the reference for the int test; also
 * bench/scale/sample-reads.ts). The tick's `at` and id reach the sample join as scalar
 * subqueries, which the planner takes as parameters of an index scan (BRIN on at); joined on
 * t."startedAt" instead, it was a hash join over a sequential scan of the whole raw window
 * (1.25 s at 10,000 instances × 30 ticks, bench/scale/sample-reads.ts).
 */
export function topologyMapSql(wanted: string | null): Prisma.Sql {
  return Prisma.sql`
    WITH t AS (
      SELECT id, "startedAt" FROM "Tick"
      WHERE id = COALESCE(${wanted}::bigint, (SELECT max(id) FROM "Tick"))),
    -- Faults in place now (a handful of rows): joined by hash, not probed per instance.
    f AS (
      ${Prisma.raw(FAULTS_IN_PLACE_SQL)})
    SELECT r.id::text AS "regionId", r.name AS "regionName", z.id::text AS "zoneId", z.name AS "zoneName",
      c.id::text AS "clusterId", c.name AS "clusterName", i.id::text AS id, i.name, s.name AS service,
      i."appVersion", i."adminState"::text AS "adminState",
      ts."effectiveWeight", ts."targetWeight", ts.degradation, ts.breaker, ts.up,
      CASE WHEN ts."instanceId" IS NULL THEN NULL ELSE cardinality(array_positions(ts."stageState", 'blocked')) END AS "blockedStages",
      f.kind AS "faultKind", f.run AS "faultRun", i.labels,
      (SELECT id::text FROM t) AS "tickId",
      (SELECT to_char("startedAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') FROM t) AS at
    FROM "Region" r
    LEFT JOIN "Zone" z ON z."regionId" = r.id
    LEFT JOIN "Cluster" c ON c."zoneId" = z.id
    LEFT JOIN "Instance" i ON i."clusterId" = c.id
    LEFT JOIN "Service" s ON s.id = i."serviceId"
    LEFT JOIN "TelemetrySample" ts ON ts."instanceId" = i.id AND ts.at = (SELECT "startedAt" FROM t) AND ts."tickId" = (SELECT id FROM t)
    LEFT JOIN f ON f."instanceId" = i.id
    ORDER BY r.name, z.name, c.name, i.name`;
}

/** Regions → zones → clusters in name order, empty ones included (a few hundred rows at 10k). */
const PLACES_SQL = `SELECT r.id::text, r.name, z.id::text, z.name, c.id::text, c.name
  FROM "Region" r LEFT JOIN "Zone" z ON z."regionId" = r.id LEFT JOIN "Cluster" c ON c."zoneId" = z.id
  ORDER BY r.name, z.name, c.name`;

const TICK_SQL = `SELECT id::text, to_char("startedAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
  FROM "Tick" WHERE id = COALESCE($1::bigint, (SELECT max(id) FROM "Tick"))`;

/**
 * The instances with tick $1's samples, by name (so by name within each cluster, as the one
 * statement ordered them): only the instance's own columns, and its labels already reduced in SQL
 * to what stringLabels keeps (NULL for most instances), so node parses no JSON for them.
 */
const INSTANCES_SQL = `
  WITH t AS (
    SELECT id, "startedAt" FROM "Tick"
    WHERE id = COALESCE($1::bigint, (SELECT max(id) FROM "Tick"))),
  f AS (
    ${FAULTS_IN_PLACE_SQL})
  SELECT c.id::text, i.id::text, i.name, s.name, i."appVersion", i."adminState"::text,
    ts."effectiveWeight", ts."targetWeight", ts.degradation, ts.breaker, ts.up,
    CASE WHEN ts."instanceId" IS NULL THEN NULL ELSE cardinality(array_positions(ts."stageState", 'blocked')) END,
    f.kind, f.run,
    CASE WHEN jsonb_typeof(i.labels) = 'object' THEN
      (SELECT jsonb_object_agg(l.key, l.value) FROM jsonb_each(i.labels) l
       WHERE jsonb_typeof(l.value) = 'string' AND l.value #>> '{}' NOT IN (r.name, z.name, c.name)) END
  FROM "Instance" i
  JOIN "Cluster" c ON c.id = i."clusterId"
  JOIN "Zone" z ON z.id = c."zoneId"
  JOIN "Region" r ON r.id = z."regionId"
  LEFT JOIN "Service" s ON s.id = i."serviceId"
  LEFT JOIN "TelemetrySample" ts ON ts."instanceId" = i.id AND ts.at = (SELECT "startedAt" FROM t) AND ts."tickId" = (SELECT id FROM t)
  LEFT JOIN f ON f."instanceId" = i.id
  ORDER BY i.name`;

type PlaceRow = [string, string, string | null, string | null, string | null, string | null];
type InstanceRow = [string, string, string, string | null, string, string, number | null, number | null, number | null, string | null, boolean | null, number | null, string | null, string | null, Record<string, string> | null];

/**
 * The map of tick `tickId` (default: the latest): the same map as one topologyMapSql statement
 * through $queryRaw gave (the int test compares them), read as three statements in one
 * REPEATABLE READ snapshot through the pg pool behind Prisma, rows as arrays. At 10,000 instances
 * most of the read's time was node taking in 10,000 rows of 22 columns (Prisma's per-value
 * conversion, then pg's parsing and a JSON.parse of every instance's labels), not the statement:
 * now the place (6 columns) comes once per cluster, not per instance (bench/scale/topology-read.ts).
 */
export async function getTopologyMap(db: Db, tickId?: string | bigint | null): Promise<TopologyMap> {
  const wanted = tickId === undefined || tickId === null ? null : String(tickId);
  const client = await pgPool(db).connect();
  let places: PlaceRow[];
  let tick: Array<[string, string]>;
  let instances: InstanceRow[];
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    places = (await client.query<PlaceRow>({ text: PLACES_SQL, rowMode: 'array' })).rows;
    tick = (await client.query<[string, string]>({ text: TICK_SQL, values: [wanted], rowMode: 'array' })).rows;
    instances = (await client.query<InstanceRow>({ text: INSTANCES_SQL, values: [wanted], rowMode: 'array' })).rows;
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }

  const regions: TopologyRegion[] = [];
  const clusters = new Map<string, TopologyCluster>();
  let region: TopologyRegion | undefined;
  let zone: TopologyZone | undefined;
  for (const [regionId, regionName, zoneId, zoneName, clusterId, clusterName] of places) {
    if (region?.id !== regionId) {
      region = { id: regionId, name: regionName, zones: [] };
      regions.push(region);
      zone = undefined;
    }
    if (!zoneId || !zoneName) continue;
    if (zone?.id !== zoneId) {
      zone = { id: zoneId, name: zoneName, clusters: [] };
      region.zones.push(zone);
    }
    if (!clusterId || !clusterName) continue;
    const cluster: TopologyCluster = { id: clusterId, name: clusterName, instances: [], agg: aggregate([]) };
    zone.clusters.push(cluster);
    clusters.set(clusterId, cluster);
  }
  for (const [clusterId, id, name, service, appVersion, adminState, effectiveWeight, targetWeight, degradation, breaker, up, blockedStages, faultKind, faultRun, labels] of instances) {
    const cluster = clusters.get(clusterId);
    if (!cluster || !name) continue;
    cluster.instances.push({
      id,
      name,
      service: service ?? '',
      appVersion: appVersion ?? '',
      adminState: adminState ?? 'ready',
      effectiveWeight,
      targetWeight,
      degradation,
      breaker,
      up,
      blockedStages,
      fault: faultKind ? { kind: faultKind, run: faultRun ?? '' } : null,
      ...(labels ? { labels } : {}),
    });
  }
  for (const c of clusters.values()) c.agg = aggregate(c.instances);
  // As the one statement: no region, no row, so no tick either.
  const [tid, at] = regions.length ? (tick[0] ?? [null, null]) : [null, null];
  return { tickId: tid, at, regions };
}

/**
 * The map from topologyMapSql's rows, in their order: the former read, kept as the reference the
 * int test and bench/scale/topology-read.ts compare getTopologyMap with.
 */
export function assembleTopology(rows: readonly TopologyMapRow[]): TopologyMap {
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
      blockedStages: row.blockedStages,
      fault: row.faultKind ? { kind: row.faultKind, run: row.faultRun ?? '' } : null,
      ...stringLabels(row.labels, [row.regionName, row.zoneName, row.clusterName]),
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

/** The statements getTopologyMap runs, for bench/scale/heavy.ts to EXPLAIN ($1: the tick, null for the latest). */
export const TOPOLOGY_STATEMENTS = { places: PLACES_SQL, tick: TICK_SQL, instances: INSTANCES_SQL };

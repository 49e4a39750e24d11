// The readers of "the newest tick's samples" match on `at` (which the indexes serve) as well as
// `tickId` (which none does). This proves on real PostgreSQL that they return what the
// tickId-only statements returned, on a fleet with several ticks whose values differ per tick
// (a join on the wrong tick shows) and an instance missing from the newest tick (the LEFT JOINs'
// nulls). Speed is measured by `npm run bench -- scale` (part sample-reads), not here.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { makeFleet } from '../../db/factories';
import { makeTicks } from '../../db/telemetry-factories';
import { evaluateGuards } from '../../domain/rollouts/guards';
import { loadLastSamples } from '../../jobs/telemetry/fleet';
import { serviceSnapshot } from '../experiments/run-observe';
import { zoneGuardHolds } from '../experiments/run-checks';
import { guardInstances, serviceInstancesNow, type ServiceInstanceRow } from '../rollouts/guard-inputs';
import { getTopologyMap } from '../topology/topology-map';
import { latestTickSample } from './telemetry-sql';

let t: TestDb;
let pool: pg.Pool;
let apiId: string;
let tickIds: bigint[];
const LATE = 'api-c-2-v1-1'; // has no sample in the newest tick

beforeAll(async () => {
  t = await openTestDb();
  pool = new pg.Pool({ connectionString: t.url, max: 2 });
  const { services } = await makeFleet(t.db, {
    regions: [{ name: 'eu', zones: [{ name: 'eu-a', clusters: ['c-1'] }, { name: 'eu-b', clusters: ['c-2'] }] }],
    services: [
      { name: 'api', placement: [{ cluster: 'c-1', versions: { v1: 2, v2: 1 } }, { cluster: 'c-2', versions: { v1: 1 } }] },
      { name: 'db', placement: [{ cluster: 'c-2', versions: { v1: 2 } }] },
    ],
  });
  apiId = services.find((s) => s.name === 'api')!.id;
  const instances = await t.db.instance.findMany({ orderBy: { name: 'asc' } });
  const base = Date.UTC(2026, 2, 1, 12);
  // Four ticks a second apart; every value depends on the tick, so rows of another tick differ.
  tickIds = await makeTicks(
    t.db,
    [0, 1, 2, 3].map((k) => ({
      at: new Date(base + k * 1000),
      samples: instances
        .filter((i) => !(k === 3 && i.name === LATE))
        .map((i, n) => ({
          instanceId: i.id,
          effectiveWeight: 10 * k + n,
          targetWeight: 10 * k + n + 1,
          degradation: (k + n) % 4,
          breaker: (k + n) % 3 === 0 ? 'open' : 'closed',
          stageFill: [0.1 * k, 0.9, 0, 0, 0],
          stageState: ['active', k % 2 ? 'blocked' : 'idle', 'idle', 'idle', 'idle'],
        })),
    })),
  );
});
afterAll(async () => {
  await pool.end();
  await t.close();
});

/** The statements as they were: the newest tick's samples by tickId alone. */
const BY_TICK_ID = `s."tickId" = (SELECT max(id) FROM "Tick")`;

describe("the newest tick's samples, matched on at and tickId", () => {
  it('the fragment selects exactly the rows tickId alone selected (the newest tick, not another)', async () => {
    const now = await t.db.$queryRaw<Array<{ instanceId: string; effectiveWeight: number }>>`
      SELECT s."instanceId"::text AS "instanceId", s."effectiveWeight" FROM "TelemetrySample" s WHERE ${latestTickSample('s')} ORDER BY 1`;
    const { rows: before } = await pool.query(`SELECT s."instanceId"::text AS "instanceId", s."effectiveWeight" FROM "TelemetrySample" s WHERE ${BY_TICK_ID} ORDER BY 1`);
    expect(now).toEqual(before);
    expect(now).toHaveLength(5); // 6 instances, one missing from the newest tick
    expect(now.every((r) => r.effectiveWeight >= 30)).toBe(true); // tick k=3 only
  });

  it("the telemetry loop's restore (loadLastSamples) is unchanged", async () => {
    const { rows } = await pool.query<{ instanceId: string }>(
      `SELECT s."instanceId", s."targetWeight", s."effectiveWeight", s.degradation, s.breaker, s."stageState" FROM "TelemetrySample" s WHERE ${BY_TICK_ID}`,
    );
    const before = new Map(rows.map((r) => [r.instanceId, r]));
    const now = await loadLastSamples(pool);
    expect(now).toEqual(before);
    expect(now.size).toBe(5);
  });

  it("the guards' inputs of a service (serviceInstancesNow) are unchanged, nulls for the instance without a sample", async () => {
    const before = (
      await pool.query<ServiceInstanceRow>(
        `SELECT i.id::text AS id, i.name, z.name AS zone, i."appVersion", s.degradation AS level, s.breaker, s."stageFill", s."effectiveWeight", s.rps, s.cpu
           FROM "Instance" i JOIN "Cluster" c ON c.id = i."clusterId" JOIN "Zone" z ON z.id = c."zoneId"
           LEFT JOIN "TelemetrySample" s ON s."instanceId" = i.id AND ${BY_TICK_ID}
          WHERE i."serviceId" = $1::uuid ORDER BY i.name`,
        [apiId],
      )
    ).rows;
    const now = await serviceInstancesNow(t.db, apiId);
    expect(now).toEqual(before);
    expect(now.find((r) => r.name === LATE)).toMatchObject({ level: null, breaker: null, effectiveWeight: null, rps: null, cpu: null });
    expect(now.filter((r) => r.level !== null)).toHaveLength(3);
  });

  it("an experiment's zone guards (zoneGuardHolds) and condition snapshot (serviceSnapshot) are unchanged", async () => {
    const zoneRows = (
      await pool.query<ServiceInstanceRow>(
        `SELECT i.id::text AS id, i.name, z.name AS zone, i."appVersion", s.degradation AS level, s.breaker, s."stageFill", s."effectiveWeight"
           FROM "Instance" i JOIN "Cluster" c ON c.id = i."clusterId" JOIN "Zone" z ON z.id = c."zoneId"
           LEFT JOIN "TelemetrySample" s ON s."instanceId" = i.id AND ${BY_TICK_ID}
          WHERE z.name = ANY($1::text[]) ORDER BY i.name`,
        [['eu-a', 'eu-b']],
      )
    ).rows;
    const holds = await zoneGuardHolds(t.db, ['eu-b', 'eu-a']);
    expect(holds).toEqual(evaluateGuards(['eu-a', 'eu-b'], guardInstances(zoneRows)));
    expect(holds.length).toBeGreaterThan(0); // the newest tick has L2+ and open breakers: the comparison is not of two empties

    const { rows: snap } = await pool.query(
      `SELECT i.name, s.degradation AS level, (s.breaker = 'open') AS "breakerOpen" FROM "TelemetrySample" s
         JOIN "Instance" i ON i.id = s."instanceId" JOIN "Service" v ON v.id = i."serviceId"
        WHERE ${BY_TICK_ID} AND v.name = ANY($1::text[]) ORDER BY i.name`,
      [['api', 'db']],
    );
    expect(await serviceSnapshot(t.db, ['api', 'db'])).toEqual({ instances: snap });
    expect(snap).toHaveLength(5);
  });

  it('the topology map of every tick carries that tick’s samples (as a join on tickId alone gave)', async () => {
    for (const id of tickIds) {
      const { rows } = await pool.query<{ name: string; w: number }>(
        `SELECT i.name, s."effectiveWeight" AS w FROM "TelemetrySample" s JOIN "Instance" i ON i.id = s."instanceId" WHERE s."tickId" = $1`,
        [id.toString()],
      );
      const byTickId = Object.fromEntries(rows.map((r) => [r.name, r.w]));
      const map = await getTopologyMap(t.db, id);
      const weights = Object.fromEntries(
        map.regions.flatMap((r) => r.zones.flatMap((z) => z.clusters.flatMap((c) => c.instances.filter((i) => i.effectiveWeight !== null).map((i) => [i.name, i.effectiveWeight])))),
      );
      expect(weights).toEqual(byTickId);
      expect(map.tickId).toBe(id.toString());
    }
  });
});

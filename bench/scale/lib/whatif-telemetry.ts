// Recorded telemetry for what-if benchmarks at fleet scale, written by PostgreSQL itself: the
// instances' complete minutes straight into TelemetryPack (with the rollup's own PACK_SQL over
// generated rows), raw TelemetrySample rows only where the preview reads raw ones — each
// instance's first sample (where the replay resumes) and the newest, not yet packed, minute. The
// preview then reads what it reads live, without writing 9 million raw rows at 10,000 instances.
// Values follow bench/whatif.bench.ts's sample(i, k), so every machine moves; they repeat every
// PERIOD instances, so the packs of the first PERIOD are computed and copied to the others.
import type pg from 'pg';
import { pgUtc } from '../../../server/db/timestamp';
import { MINUTE_SQL, PACK_SQL, writePacks } from '../../../server/services/telemetry/telemetry-pack';

/** The generated samples of instances [i0, i1) (by name order) at ticks k in [k0, k1), one per second from t0, as TelemetrySample columns. */
function rows(t0: Date, i0: number, i1: number, k0: number, k1: number): string {
  const load = `(((i.n * 7919 + k * 31) % 100) / 100.0)`;
  const fill = `least(1, ${load} * 1.1)`;
  const stage = (s: number) => `least(1, ${fill} * (0.5 + ${s} * 0.15))`;
  const five = (f: (s: number) => string) => `ARRAY[${[0, 1, 2, 3, 4].map(f).join(', ')}]`;
  return `SELECT i.id AS "instanceId", TIMESTAMP '${pgUtc(t0)}' + k * interval '1 second' AS at, 1::bigint AS "tickId", true AS up,
      50 + 400 * ${load} AS "rtMs", 20 + 75 * ${load} AS cpu, 100 + 1500 * ${load} AS "p95Ms", 500 + 4500 * ${load} AS connections,
      100::float8 AS rps, 0.01 * ${load} AS "errorRate",
      jsonb_build_object('cpu', CASE WHEN k % 5 = 0 THEN 0 ELSE 1000 END, 'p95', CASE WHEN k % 3 = 0 THEN 0 ELSE 1000 END,
        'connections', CASE WHEN k % 10 = 0 THEN 0 ELSE 1000 END, 'recompute', (k % 30) * 1000) AS "inputAgeMs",
      70::float8 AS "targetWeight", 70::float8 AS "effectiveWeight", 0 AS degradation, 'closed' AS breaker,
      ${five(stage)}::float8[] AS "stageFill", ARRAY['active','active','active','active','active'] AS "stageState",
      100::float8 AS requests, 100 * ${load} AS "activeRequests", 128::float8 AS "maxConcurrency", 0::float8 AS "ingressTimeouts",
      ARRAY[100,100,100,100,100]::float8[] AS "stageInputs", ARRAY[99,99,99,99,99]::float8[] AS "stageOutputs",
      ${five((s) => `(${fill} * (0.5 + ${s} * 0.15)) > 0.97`)} AS "stageBlocked"
    FROM ${NUMBERED} i
    CROSS JOIN generate_series(${k0}, ${k1 - 1}) AS k
    WHERE i.n >= ${i0} AND i.n < ${i1}`;
}

/** sample(i, k) depends on i only through (i * 7919) % 100. */
const PERIOD = 100;

const NUMBERED = `(SELECT id, (row_number() OVER (ORDER BY name)) - 1 AS n FROM "Instance")`;

const COLUMNS = `"instanceId", at, "tickId", up, "rtMs", cpu, "p95Ms", connections, rps, "errorRate", "inputAgeMs", "targetWeight", "effectiveWeight",
  degradation, breaker, "stageFill", "stageState", requests, "activeRequests", "maxConcurrency", "ingressTimeouts", "stageInputs", "stageOutputs", "stageBlocked"`;

/**
 * `minutes` of one-second samples for every instance, ending at `now`: every minute before
 * now's is packed (as the rollup job leaves it); the first sample and now's minute are raw too
 * (`rawAll`: every sample is raw too, as a live system's retention keeps hours of them).
 */
export async function recordTelemetry(pool: pg.Pool, instances: number, minutes: number, now: Date, rawAll = false): Promise<{ samples: number }> {
  const end = Math.floor(now.getTime() / 1000) * 1000;
  const t0 = new Date(end - minutes * 60_000);
  const ticks = minutes * 60 + 1;
  const packedUntil = Math.floor(end / 60_000) * 60_000;
  const packedTicks = (packedUntil - t0.getTime()) / 1000;
  // Chunks of instances keep each statement's memory small at 10,000 instances.
  const chunk = 500;
  for (let i0 = 0; i0 < instances; i0 += chunk) {
    const i1 = Math.min(instances, i0 + chunk);
    if (rawAll) {
      // As a live system keeps them: raw rows for the whole window beside the packs.
      await pool.query(`INSERT INTO "TelemetrySample" (${COLUMNS}) ${rows(t0, i0, i1, 0, ticks)}`);
    } else {
      // The raw rows the preview reads: the first sample (its machine states) and the newest minute.
      await pool.query(`INSERT INTO "TelemetrySample" (${COLUMNS}) ${rows(t0, i0, i1, 0, 1)}`);
      if (packedTicks < ticks) await pool.query(`INSERT INTO "TelemetrySample" (${COLUMNS}) ${rows(t0, i0, i1, Math.max(1, packedTicks), ticks)}`);
    }
    if (i0 < PERIOD) {
      // In the layout the rollup writes (telemetry-pack.ts).
      await writePacks(pool, `SELECT s."instanceId", ${MINUTE_SQL} AS minute, count(*)::int AS samples, ${PACK_SQL} AS data
        FROM (${rows(t0, i0, Math.min(i1, PERIOD), 0, packedTicks)}) s GROUP BY s."instanceId", 2`);
    }
    await pool.query(`INSERT INTO "TelemetryPack" ("instanceId", minute, samples, data)
      SELECT i.id, p.minute, p.samples, p.data FROM ${NUMBERED} i JOIN ${NUMBERED} tmpl ON tmpl.n = i.n % ${PERIOD}
        JOIN "TelemetryPack" p ON p."instanceId" = tmpl.id
      WHERE i.n >= greatest(${i0}, ${PERIOD}) AND i.n < ${i1}`);
  }
  return { samples: instances * ticks };
}

// Machines figures (issue 5): the fleet view's queries over the demo fleet with 1 h and 6 h (the
// default raw retention) of one-second samples — the diagram counts and states now, the stacked
// area over the range, and who is in a state now — against the embedded PostgreSQL.
import { demoFleet } from '../prisma/demo-fleet';
import { createDb } from '../server/db/client';
import { makeFleet } from '../server/db/factories';
import { listInStateNow, getMachineHistory } from '../server/services/machines/machine-fleet';
import { getMachineView } from '../server/services/machines/machines';
import { rollupTelemetry } from '../server/services/telemetry/telemetry-rollup';
import { benchDatabase, summary } from './lib';

export async function run(): Promise<Record<string, unknown>> {
  const database = await benchDatabase();
  const db = createDb(database.url, 4);
  try {
    await makeFleet(db, demoFleet);
    const now = Math.floor(Date.now() / 1000) * 1000;
    const hours = 6;
    const tick = await db.tick.create({ data: { startedAt: new Date(now), finishedAt: new Date(now), durationMs: 1, instances: 80, skippedSoFar: 0, leader: 'bench' } });
    const seedStart = performance.now();
    // One sample per instance per second; every 97th second an instance has a blocked stage.
    await db.$executeRaw`
      INSERT INTO "TelemetrySample" ("instanceId", at, "tickId", "targetWeight", "effectiveWeight", degradation, breaker, "stageFill", "stageState")
      SELECT i.id, to_timestamp(${now / 1000}::float8 - g) AT TIME ZONE 'UTC', ${tick.id}, 60, 60,
             CASE WHEN (g + hashtext(i.id::text)) % 97 = 0 THEN 2 ELSE 0 END, CASE WHEN (g + hashtext(i.id::text)) % 211 = 0 THEN 'open' ELSE 'closed' END,
             ARRAY[0.1, 0.2, 0.3, 0.4, 0.5],
             CASE WHEN (g + hashtext(i.id::text)) % 97 = 0 THEN ARRAY['active','active','active','active','blocked'] ELSE ARRAY['active','idle','idle','active','active'] END
      FROM "Instance" i CROSS JOIN generate_series(0, ${hours * 3600 - 1}) g`;
    await db.$executeRaw`
      INSERT INTO "StateTransition" (at, "tickId", "instanceId", machine, stage, "fromState", "toState", cause)
      SELECT to_timestamp(${now / 1000}::float8 - g) AT TIME ZONE 'UTC', ${tick.id}, i.id, 'stage', 'execution', 'active', 'blocked', 'output buffer full'
      FROM "Instance" i CROSS JOIN generate_series(0, ${hours * 3600 - 1}) g WHERE (g + hashtext(i.id::text)) % 97 = 0`;
    await db.$executeRaw`ANALYZE "TelemetrySample"`;
    await db.$executeRaw`ANALYZE "StateTransition"`;
    const seedS = Math.round((performance.now() - seedStart) / 100) / 10;
    const rollStart = performance.now();
    await rollupTelemetry(db, new Date(now), hours + 1);
    const rollupBackfillS = Math.round((performance.now() - rollStart) / 100) / 10;
    const samples = await db.telemetrySample.count();
    const zone = await db.zone.findUniqueOrThrow({ where: { name: 'eu-west-b' } });
    const time = async (runs: number, f: () => Promise<unknown>) => {
      const out: number[] = [];
      for (let r = 0; r < runs; r++) {
        const t = performance.now();
        await f();
        out.push(performance.now() - t);
      }
      return summary(out);
    };
    const m15 = { from: now - 900_000, to: now };
    const h1 = { from: now - 3600_000, to: now };
    const h24 = { from: now - 24 * 3600_000, to: now };
    const h6 = { from: now - hours * 3600_000, to: now };
    return {
      bench: 'machines',
      samples,
      seedS,
      rollupBackfillS,
      // The minute's rollup the worker runs every minute (re-does the newest bucket).
      rollupMinuteMs: await time(3, () => rollupTelemetry(db, new Date(now + 60_000), hours + 1)),
      viewFleet1hMs: await time(10, () => getMachineView(db, { machine: 'stage', ...h1 })),
      // 15 min from raw samples; longer ranges from the 60 s (≤ 12 h) and 600 s rollups.
      historyStage15minRawMs: await time(5, () => getMachineHistory(db, { machine: 'stage', ...m15 })),
      historyStage1hMs: await time(5, () => getMachineHistory(db, { machine: 'stage', ...h1 })),
      historyDegradation1hMs: await time(5, () => getMachineHistory(db, { machine: 'degradation', ...h1 })),
      historyStage6hMs: await time(5, () => getMachineHistory(db, { machine: 'stage', ...h6 })),
      historyStage6hOneZoneMs: await time(5, () => getMachineHistory(db, { machine: 'stage', ...h6, zoneId: zone.id })),
      historyStage24hMs: await time(5, () => getMachineHistory(db, { machine: 'stage', ...h24 })),
      inStateBlockedZoneMs: await time(10, () => listInStateNow(db, { machine: 'stage', ...h1, zoneId: zone.id, state: 'active' })),
    };
  } finally {
    await db.$disconnect();
    await database.stop();
  }
}

// Timeline figures (issue 5): the events query over 24 h of the demo fleet's history (a weight
// recompute every 30 s per instance plus stage / degradation / breaker transitions), all kinds and
// one service, against the embedded PostgreSQL.
import { demoFleet } from '../prisma/demo-fleet';
import { createDb } from '../server/db/client';
import { makeFleet } from '../server/db/factories';
import { listTimelineEvents } from '../server/services/timeline/timeline';
import { benchDatabase, summary } from './lib';

export async function run(): Promise<Record<string, unknown>> {
  const database = await benchDatabase();
  const db = createDb(database.url, 4);
  try {
    await makeFleet(db, demoFleet);
    const now = Date.now();
    const tick = await db.tick.create({ data: { startedAt: new Date(now), finishedAt: new Date(now), durationMs: 1, instances: 80, skippedSoFar: 0, leader: 'bench' } });
    await db.$executeRaw`
      INSERT INTO "StateTransition" (at, "tickId", "instanceId", machine, stage, "fromState", "toState", cause)
      SELECT to_timestamp(${Math.floor(now / 1000)}::float8 - g * 30 - (hashtext(i.id::text) & 15)) AT TIME ZONE 'UTC', ${tick.id}, i.id,
             (CASE WHEN g % 40 = 0 THEN 'stage' WHEN g % 97 = 0 THEN 'degradation' WHEN g % 211 = 0 THEN 'breaker' ELSE 'weight' END)::"MachineKind",
             CASE WHEN g % 40 = 0 THEN 'execution' ELSE '' END, '70', '65', 'periodic recompute (every 30 s)'
      FROM "Instance" i CROSS JOIN generate_series(0, 2879) g`;
    await db.$executeRaw`ANALYZE "StateTransition"`;
    const rows = await db.stateTransition.count();
    const service = await db.service.findFirstOrThrow({ where: { name: 'order-api' } });
    const time = async (f: () => Promise<unknown>) => {
      const out: number[] = [];
      for (let r = 0; r < 20; r++) {
        const t = performance.now();
        await f();
        out.push(performance.now() - t);
      }
      return summary(out);
    };
    const range = { from: now - 24 * 3600_000, to: now };
    return {
      bench: 'timeline',
      transitionRows: rows,
      events24hAllKindsMs: await time(() => listTimelineEvents(db, { ...range, limit: 500 })),
      events24hOneServiceMs: await time(() => listTimelineEvents(db, { ...range, serviceId: service.id, limit: 500 })),
      events24hBreakersOnlyMs: await time(() => listTimelineEvents(db, { ...range, kinds: ['breaker', 'policy'], limit: 500 })),
    };
  } finally {
    await db.$disconnect();
    await database.stop();
  }
}

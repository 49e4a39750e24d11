// Command → routing applied (issue 11), on the simulator, end to end through the real pieces: the
// start command (one transaction with its job) → graphile-worker runs the reconciler → it writes
// the step's routing into Service.routing → the telemetry loop's leader applies it through the
// (fenced) simulator adapter and records appliedVersion. Measured from just before the command to
// the moment appliedVersion reaches the step's routing version; the abort (back to 100 % stable,
// header rules removed, one routing change) is measured the same way. The loop ticks every
// SWITCHBACK_TICK_MS (default 1000 ms), so most of the figure is waiting for the next tick. The
// simulator runs without the demo's hot zone: a topology guard holding the step (eu-west-b at L2)
// would measure the guard, not the path.
import pg from 'pg';
import { createDb } from '../server/db/client';
import { makeDefaultPolicies, makeFleet, makeUser } from '../server/db/factories';
import { exampleSpec } from '../server/domain/rollouts/spec';
import { parseEnv } from '../server/env';
import { startWorker } from '../server/jobs/worker';
import { abortRollout, createRollout, startRollout } from '../server/services/rollouts/rollout-commands';
import { demoFleet } from '../prisma/demo-fleet';
import { benchDatabase, summary } from './lib';

const ROUNDS = Number(process.env.BENCH_ROLLOUT_ROUNDS ?? 15);
const TICK_MS = process.env.SWITCHBACK_TICK_MS ?? '1000';

async function waitFor(q: pg.Client, sql: string, args: unknown[], deadlineMs = 30_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const { rows } = await q.query<{ ok: boolean }>(sql, args);
    if (rows[0]?.ok) return;
    if (Date.now() > end) {
      const { rows: r } = await q.query<{ state: string; stateDetail: string }>('SELECT state, "stateDetail" FROM "Rollout" WHERE id = $1::uuid', [args[0]]);
      throw new Error(`timed out waiting for: ${sql.replace(/\s+/g, ' ')} (the rollout is ${r[0]?.state}: ${r[0]?.stateDetail})`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

export async function run() {
  const database = await benchDatabase();
  const db = createDb(database.url, 6);
  const q = new pg.Client({ connectionString: database.url });
  await q.connect();
  const env = parseEnv({ SWITCHBACK_TICK_MS: TICK_MS, SWITCHBACK_WORKER_CONCURRENCY: '2' });
  try {
    await makeDefaultPolicies(db);
    await db.adapterConfig.create({ data: { name: 'simulator', kind: 'sim', active: true, config: { seed: 42, hotZone: null, spikeProbability: 0 } } });
    await makeFleet(db, demoFleet);
    const { user } = await makeUser(db, { role: 'operator' });
    const actor = { id: user.id, name: user.name };
    const worker = await startWorker({ db, env, connectionString: database.url, log: (l) => { if (process.env.BENCH_DEBUG) console.error(l); } });
    const service = await db.service.findUniqueOrThrow({ where: { name: 'order-api' } });
    // The loop is leading and has applied the fleet once before the clock starts.
    await waitFor(q, 'SELECT count(*) > 0 AS ok FROM "Tick"', []);
    const applyMs: number[] = [];
    const rollbackMs: number[] = [];
    try {
      for (let i = 0; i < ROUNDS; i++) {
        // 10 %: order-api's 5 v2 instances (of 30) carry it without overload; at 30 % and more the
        // simulator overloads them and the background analysis rightly rolls the canary back.
        const spec = { ...exampleSpec('order-api'), name: `bench ${i}`, steps: [{ kind: 'setWeight' as const, weight: 10 }, { kind: 'pause' as const }] };
        const { id, version } = await createRollout(db, actor, { spec });
        const t0 = performance.now();
        await startRollout(db, actor, { id, version });
        await waitFor(
          q,
          `SELECT s."appliedVersion" >= r."routingVersion" AS ok FROM "RolloutStepRun" r JOIN "Service" s ON s.id = $2::uuid
            WHERE r."rolloutId" = $1::uuid AND r."stepIndex" = 0 AND r."routingVersion" IS NOT NULL`,
          [id, service.id],
        );
        applyMs.push(performance.now() - t0);
        await waitFor(q, `SELECT state = 'paused' AS ok FROM "Rollout" WHERE id = $1::uuid`, [id]);
        const paused = await db.rollout.findUniqueOrThrow({ where: { id } });
        const t1 = performance.now();
        await abortRollout(db, actor, { id, version: paused.version, reason: 'bench' });
        await waitFor(q, `SELECT s."appliedVersion" >= r."routingVersion" AS ok FROM "Rollout" r JOIN "Service" s ON s.id = r."serviceId" WHERE r.id = $1::uuid`, [id]);
        rollbackMs.push(performance.now() - t1);
        await waitFor(q, `SELECT state = 'rolled_back' AS ok FROM "Rollout" WHERE id = $1::uuid`, [id]);
      }
    } finally {
      await worker.stop();
    }
    return {
      bench: 'rollouts',
      platform: 'simulator',
      tickMs: Number(TICK_MS),
      instances: await db.instance.count(),
      startToRoutingAppliedMs: summary(applyMs),
      abortToRollbackAppliedMs: summary(rollbackMs),
    };
  } finally {
    await q.end();
    await db.$disconnect();
    await database.stop();
  }
}

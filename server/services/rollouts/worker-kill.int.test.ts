import { spawn, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { actorOf, platformApplies, rolloutFleet, specFor } from '../../../test/rollout-fixtures';
import { createRollout, startRollout } from './rollout-commands';
import { sessionsBlockedBy } from '../../../test/race';

let t: TestDb;
beforeAll(async () => (t = await openTestDb()));
afterAll(() => t.close());

interface Worker {
  child: ChildProcess;
  exited: Promise<void>;
  output: () => string;
}

/** A real worker process (graphile-worker + the task registry), without the telemetry loop: the test plays the platform. */
function spawnWorker(): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/jobs/main.ts'], {
    env: { ...process.env, DATABASE_URL: t.url, SWITCHBACK_TELEMETRY_LOOP: 'false', SWITCHBACK_WORKER_CONCURRENCY: '1', SWITCHBACK_TICK_MS: '200' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return { child, exited, output: () => out };
}

async function kill(w: Worker) {
  if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  await w.exited;
}

describe('a rollout survives SIGKILL of its worker', () => {
  it('another worker resumes from the recorded step and finishes, never writing a step routing twice', async () => {
    const f = await rolloutFleet(t.db);
    const steps = [10, 20, 30, 40].map((weight) => ({ kind: 'setWeight' as const, weight }));
    const { id, version } = await createRollout(t.db, actorOf(f.operator), { spec: specFor(f.service.name, steps) });
    const v0 = (await t.db.service.findUniqueOrThrow({ where: { id: f.service.id } })).version;
    const stepRun = (i: number) => t.db.rolloutStepRun.findFirst({ where: { rolloutId: id, stepIndex: i } });
    const lock = new pg.Client({ connectionString: t.url });
    await lock.connect();
    const a = spawnWorker();
    let b: Worker | null = null;
    try {
      await startRollout(t.db, actorOf(f.operator), { id, version });
      // Worker A writes step 1's routing; the platform applies it; A moves on and writes step 2's.
      await expect.poll(async () => (await stepRun(0))?.routingVersion ?? null, { timeout: 30_000, interval: 100 }).toBe(v0 + 1);
      await platformApplies(t.db, f.service.id);
      await expect.poll(async () => (await stepRun(1))?.routingVersion ?? null, { timeout: 30_000, interval: 100 }).toBe(v0 + 2);

      // Catch A in the middle of a reconcile: the test holds the rollout's row lock, so A's next
      // run blocks inside its transaction with its job claimed. Then kill -9.
      await lock.query('BEGIN');
      await lock.query('SELECT id FROM "Rollout" WHERE id = $1 FOR UPDATE', [id]);
      await expect
        .poll(() => sessionsBlockedBy(lock), { timeout: 30_000, interval: 100 })
        .toBeGreaterThan(0);
      await kill(a);
      await lock.query('COMMIT');
      const stuck = await t.db.$queryRaw<Array<{ n: bigint }>>`
        SELECT count(*) AS n FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks k ON k.id = j.task_id
         WHERE k.identifier = 'rollout_reconcile' AND j.locked_at IS NOT NULL`;
      expect(stuck[0]!.n).toBe(1n);
      expect(await t.db.rollout.findUniqueOrThrow({ where: { id } })).toMatchObject({ state: 'progressing', currentStep: 1 });

      // The platform applies step 2 while no worker runs; worker B resumes from step 2 and finishes.
      await platformApplies(t.db, f.service.id);
      b = spawnWorker();
      const deadline = Date.now() + 60_000;
      for (;;) {
        const r = await t.db.rollout.findUniqueOrThrow({ where: { id } });
        if (r.state === 'succeeded') break;
        if (Date.now() > deadline) throw new Error(`worker B did not finish the rollout (at step ${r.currentStep}, ${r.state}): ${b.output()}`);
        if (b.child.exitCode !== null) throw new Error(`worker B exited: ${b.output()}`);
        await platformApplies(t.db, f.service.id);
        await new Promise((res) => setTimeout(res, 100));
      }
    } finally {
      await kill(a);
      if (b) await kill(b);
      await lock.end();
    }
    // Four steps and the promotion: five routing writes, one Service.version each, in order.
    const runs = await t.db.rolloutStepRun.findMany({ where: { rolloutId: id }, orderBy: { stepIndex: 'asc' } });
    expect(runs.map((r) => r.routingVersion)).toEqual([v0 + 1, v0 + 2, v0 + 3, v0 + 4, v0 + 5]);
    expect((await t.db.service.findUniqueOrThrow({ where: { id: f.service.id } })).version).toBe(v0 + 5);
    expect(await t.db.rolloutEvent.count({ where: { rolloutId: id, kind: 'routing' } })).toBe(5);
    expect(await t.db.rolloutEvent.count({ where: { rolloutId: id, kind: 'step', data: { path: ['phase'], equals: 'started' } } })).toBe(5);
  }, 120_000);
});

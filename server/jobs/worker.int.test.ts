import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../env';
import { enqueueJob } from '../db/job-queue';
import { startWorker, type WorkerHandle } from './worker';
import { getHealth } from '../services/system/health';
import { openTestDb, type TestDb } from '../../test/context';

let t: TestDb;
beforeAll(async () => (t = await openTestDb()));
afterAll(() => t.close());

// The telemetry loop has its own tests (telemetry/*.int.test.ts); here it would only add noise.
const env = parseEnv({ SWITCHBACK_WORKER_CONCURRENCY: '2', SWITCHBACK_TELEMETRY_LOOP: 'false' });

describe('workers', () => {
  it('two workers run every job exactly once, write heartbeats, and remove them on stop', async () => {
    const runs: string[] = [];
    const log = (who: string) => (line: string) => {
      if (line.includes('sessions_cleanup done')) runs.push(who);
    };
    const workers: WorkerHandle[] = [
      await startWorker({ db: t.db, env, connectionString: t.url, log: log('a') }),
      await startWorker({ db: t.db, env, connectionString: t.url, log: log('b') }),
    ];
    try {
      expect(await t.db.workerHeartbeat.count({ where: { id: { in: workers.map((w) => w.id) } } })).toBe(2);
      expect((await getHealth(t.db)).worker).toMatchObject({ ok: true, alive: 2 });
      for (let i = 0; i < 20; i++) await enqueueJob(t.db, 'sessions_cleanup', {});
      // The "done" line is logged inside the task, before graphile-worker deletes the job row:
      // wait for both, not for the log line alone.
      const left = async () =>
        (await t.db.$queryRaw<Array<{ n: bigint }>>`SELECT count(*) AS n FROM graphile_worker.jobs WHERE task_identifier = 'sessions_cleanup'`)[0]!.n;
      await expect.poll(async () => [runs.length, await left()], { timeout: 30_000, interval: 100 }).toEqual([20, 0n]);
    } finally {
      for (const w of workers) await w.stop();
    }
    expect(runs).toHaveLength(20);
    expect(await t.db.workerHeartbeat.count({ where: { id: { in: workers.map((w) => w.id) } } })).toBe(0);
    const health = await getHealth(t.db);
    expect(health.status).toBe('degraded');
    expect(health.worker.ok).toBe(false);
  });

  it('a job with an invalid payload is refused before it is stored', async () => {
    await expect(enqueueJob(t.db, 'registry_converge', { serviceId: 'not-a-uuid', version: 1 })).rejects.toThrow();
  });

  it('health reports a worker whose heartbeat is old as gone', async () => {
    await t.db.workerHeartbeat.create({ data: { id: 'old', hostname: 'h', pid: 1, beatAt: new Date(Date.now() - 60_000) } });
    const h = await getHealth(t.db);
    expect(h.worker).toMatchObject({ ok: false, alive: 0 });
    expect(h.worker.error).toContain('no heartbeat since');
    expect(h.database.ok).toBe(true);
  });
});

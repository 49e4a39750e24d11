import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { parseCronItems, run, type Runner } from 'graphile-worker';
import type { Db } from '../db/client';
import type { Env } from '../env';
import { buildTaskList, cronItems } from './tasks';

export const HEARTBEAT_INTERVAL_MS = 5_000;

export interface WorkerHandle {
  id: string;
  runner: Runner;
  stop(): Promise<void>;
}

/**
 * Starts graphile-worker with the task registry and a heartbeat row that /api/health reads.
 * Several workers may run at once: graphile-worker claims each job with SKIP LOCKED.
 */
export async function startWorker(opts: { db: Db; env: Env; connectionString: string; log?: (line: string) => void }): Promise<WorkerHandle> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const runner = await run({
    connectionString: opts.connectionString,
    concurrency: opts.env.SWITCHBACK_WORKER_CONCURRENCY,
    noHandleSignals: true,
    pollInterval: 2000,
    taskList: buildTaskList({ db: opts.db, env: opts.env, log }),
    parsedCronItems: parseCronItems(cronItems.map((c) => ({ ...c, options: { ...c.options } }))),
  });
  const beat = () =>
    opts.db.workerHeartbeat.upsert({
      where: { id },
      create: { id, hostname: hostname(), pid: process.pid, info: { concurrency: opts.env.SWITCHBACK_WORKER_CONCURRENCY } },
      update: { beatAt: new Date() },
    });
  await beat();
  const timer = setInterval(() => {
    beat().catch((err: unknown) => log(`[worker] heartbeat failed: ${err instanceof Error ? err.message : String(err)}`));
  }, HEARTBEAT_INTERVAL_MS);
  let stopped = false;
  return {
    id,
    runner,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await runner.stop();
      await opts.db.workerHeartbeat.deleteMany({ where: { id } }).catch(() => undefined);
    },
  };
}

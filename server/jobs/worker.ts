import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { parseCronItems, run, type Runner } from 'graphile-worker';
import { createPool, dbTimeouts, type Db } from '../db/client';
import type { Env } from '../env';
import { buildTaskList, cronItems } from './tasks';
import { activeAdapterConfig, activeAdapterKey, createAdapter, feedSimControls } from '../services/platform/active-adapter';
import { TelemetryLoop } from './telemetry/loop';
import { HEARTBEAT_INTERVAL_MS } from '../services/system/health';
import { sweepRollouts } from '../services/rollouts/sweep';
import { reapInjections } from '../services/experiments/reap';
import { countJobOutcomes } from '../metrics/worker-metrics';


export interface WorkerHandle {
  id: string;
  runner: Runner;
  telemetry: TelemetryLoop | null;
  stop(): Promise<void>;
}

/**
 * Starts graphile-worker with the task registry and a heartbeat row that /api/health reads.
 * Several workers may run at once: graphile-worker claims each job with SKIP LOCKED.
 */
export async function startWorker(opts: { db: Db; env: Env; connectionString: string; log?: (line: string) => void }): Promise<WorkerHandle> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  // Our own pool so a connection that PostgreSQL ends (a restart, an administrator's kill) is
  // logged instead of crashing the worker with an unhandled 'error' event.
  // Request-sized timeouts: graphile-worker's queries and the telemetry ticks are short.
  const pool = createPool(opts.connectionString, opts.env.SWITCHBACK_WORKER_CONCURRENCY + 4, dbTimeouts(opts.env));
  pool.on('error', (err) => log(`[worker] database connection lost: ${err.message}`));
  // graphile-worker checks for these too: an error on a checked-out client must not crash us.
  pool.on('connect', (client) => client.on('error', (err) => log(`[worker] database client error: ${err.message}`)));
  const runner = await run({
    pgPool: pool,
    concurrency: opts.env.SWITCHBACK_WORKER_CONCURRENCY,
    noHandleSignals: true,
    // Jobs due later (a rollout's next look, re-armed with run_at) are only noticed by polling:
    // poll once per tick so a rollout looks every tick, not every 2 s.
    pollInterval: Math.min(2000, opts.env.SWITCHBACK_TICK_MS),
    taskList: buildTaskList({ db: opts.db, env: opts.env, log, workerId: id }),
    parsedCronItems: parseCronItems(cronItems.map((c) => ({ ...c, options: { ...c.options } }))),
  });
  countJobOutcomes(runner.events);
  const beat = () =>
    opts.db.workerHeartbeat.upsert({
      where: { id },
      create: { id, hostname: hostname(), pid: process.pid, info: { concurrency: opts.env.SWITCHBACK_WORKER_CONCURRENCY } },
      update: { beatAt: new Date() },
    });
  await beat();
  // Rollouts whose reconcile job a killed worker left locked run again now, not in hours.
  await sweepRollouts(opts.db).catch((err: unknown) => log(`[worker] rollout sweep failed: ${err instanceof Error ? err.message : String(err)}`));
  // Faults whose lease lapsed while no worker ran are marked for removal; chaos runs' controllers run again.
  await reapInjections(opts.db).catch((err: unknown) => log(`[worker] fault reaper failed: ${err instanceof Error ? err.message : String(err)}`));
  // Every worker competes for the telemetry leadership; exactly one runs the ticks.
  const telemetry = opts.env.SWITCHBACK_TELEMETRY_LOOP
    ? new TelemetryLoop({
        url: opts.connectionString,
        pool,
        db: opts.db,
        tickMs: opts.env.SWITCHBACK_TICK_MS,
        openAdapter: async () => createAdapter(await activeAdapterConfig(pool)),
        adapterKey: activeAdapterKey,
        beforeTick: feedSimControls,
        log,
        workerId: id,
      })
    : null;
  telemetry?.start();
  const timer = setInterval(() => {
    beat().catch((err: unknown) => log(`[worker] heartbeat failed: ${err instanceof Error ? err.message : String(err)}`));
  }, HEARTBEAT_INTERVAL_MS);
  let stopped = false;
  return {
    id,
    runner,
    telemetry,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await telemetry?.stop();
      await runner.stop().catch((err: unknown) => log(`[worker] stop: ${err instanceof Error ? err.message : String(err)}`));
      await opts.db.workerHeartbeat.deleteMany({ where: { id } }).catch(() => undefined);
      await pool.end().catch(() => undefined);
    },
  };
}

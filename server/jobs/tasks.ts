import type { Task, TaskList } from 'graphile-worker';
import type { Db } from '../db/client';
import type { Env } from '../env';
import { cleanupSessions, pruneRetention } from '../services/telemetry/maintenance';
import { checkConvergence } from '../services/topology/topology';
import { runRollupJob } from '../services/telemetry/telemetry-rollup';
import { reconcileRollout } from '../services/rollouts/reconcile';
import { sweepRollouts } from '../services/rollouts/sweep';
import { sweepSchedules } from '../services/experiments/schedule-sweep';
import { reconcileRun } from '../services/experiments/run-reconcile';
import { reapInjections } from '../services/experiments/reap';
import { deliverWebhook } from '../services/webhooks/deliver';
import { sweepFreezeStarts } from '../services/webhooks/freeze-sweep';
import { taskPayloadSchemas, type JobName } from '../db/job-payloads';
import type { z } from 'zod';

export interface TaskDeps {
  db: Db;
  env: Env;
  log: (line: string) => void;
  /** The worker's id: a run controller renews its faults' leases under it (Injection.leaseOwner). */
  workerId?: string;
}

type Handler<N extends JobName> = (payload: z.output<(typeof taskPayloadSchemas)[N]>, deps: TaskDeps) => Promise<unknown>;

// The typed registry: each task validates its payload, then calls one service function.
export const handlers: { [N in JobName]: Handler<N> } = {
  sessions_cleanup: (_p, { db }) => cleanupSessions(db),
  retention_prune: (_p, { db, env }) =>
    pruneRetention(db, {
      auditDays: env.SWITCHBACK_AUDIT_RETENTION_DAYS,
      liveHours: env.SWITCHBACK_LIVE_RETENTION_HOURS,
      telemetryRawHours: env.SWITCHBACK_TELEMETRY_RAW_HOURS,
      telemetryRollupDays: env.SWITCHBACK_TELEMETRY_ROLLUP_DAYS,
      transitionDays: env.SWITCHBACK_TRANSITION_RETENTION_DAYS,
    }),
  registry_converge: (p, { db }) => checkConvergence(db, p),
  telemetry_rollup: (_p, { db }) => runRollupJob(db),
  rollout_reconcile: (p, { db, env }) => reconcileRollout(db, p, { tickMs: env.SWITCHBACK_TICK_MS }),
  rollouts_sweep: (_p, { db }) => sweepRollouts(db),
  experiment_schedules_sweep: (_p, { db }) => sweepSchedules(db),
  experiment_run_reconcile: (p, { db, env, workerId }) =>
    reconcileRun(db, p, { tickMs: env.SWITCHBACK_TICK_MS, leaseMs: env.SWITCHBACK_FAULT_LEASE_MS, owner: workerId ?? `pid:${process.pid}` }),
  injections_reap: (_p, { db }) => reapInjections(db),
  webhook_deliver: (p, { db }) => deliverWebhook(db, p),
  freeze_starts_sweep: (_p, { db }) => sweepFreezeStarts(db),
};

export function buildTaskList(deps: TaskDeps): TaskList {
  const list: TaskList = {};
  for (const name of Object.keys(handlers) as JobName[]) {
    const task: Task = async (payload) => {
      const parsed = taskPayloadSchemas[name].parse(payload);
      const result = await (handlers[name] as Handler<typeof name>)(parsed, deps);
      deps.log(`[worker] ${name} done ${JSON.stringify(result)}`);
    };
    list[name] = task;
  }
  return list;
}

/** Maintenance schedule. Identifiers make the crontab run once per fleet, not once per worker. */
export const cronItems = [
  { task: 'sessions_cleanup', match: '*/10 * * * *', identifier: 'sessions_cleanup', options: { backfillPeriod: 0, maxAttempts: 3 } },
  { task: 'telemetry_rollup', match: '* * * * *', identifier: 'telemetry_rollup', options: { backfillPeriod: 0, maxAttempts: 2 } },
  { task: 'rollouts_sweep', match: '* * * * *', identifier: 'rollouts_sweep', options: { backfillPeriod: 0, maxAttempts: 2 } },
  { task: 'experiment_schedules_sweep', match: '* * * * *', identifier: 'experiment_schedules_sweep', options: { backfillPeriod: 0, maxAttempts: 2 } },
  { task: 'injections_reap', match: '* * * * *', identifier: 'injections_reap', options: { backfillPeriod: 0, maxAttempts: 2 } },
  { task: 'freeze_starts_sweep', match: '* * * * *', identifier: 'freeze_starts_sweep', options: { backfillPeriod: 0, maxAttempts: 2 } },
  { task: 'retention_prune', match: '23 * * * *', identifier: 'retention_prune', options: { backfillPeriod: 0, maxAttempts: 3 } },
] as const;

import { z } from 'zod';

// Job payloads, shared by the enqueuer (services, in the command's transaction) and the handlers
// (worker): the queue is a table of the database, so both sides reach it through server/db. Names use
// underscores because graphile-worker's crontab syntax does not accept dots.
export const taskPayloadSchemas = {
  // Cron jobs get graphile-worker's `_cron` field merged in: accept and drop unknown keys.
  sessions_cleanup: z.object({}),
  retention_prune: z.object({}),
  telemetry_rollup: z.object({}),
  // The reconciler of one rollout (job key `rollout:<id>`, so never two queued for one rollout).
  rollout_reconcile: z.object({ rolloutId: z.uuid() }).strict(),
  // Re-adds the reconcile job of every active rollout (a SIGKILLed worker's job stays locked).
  rollouts_sweep: z.object({}),
  // Starts the experiment runs whose schedule is due (or records them skipped, with the reason).
  experiment_schedules_sweep: z.object({}),
  // The controller of one chaos run (job key `run:<id>`), re-armed every tick while the run is active.
  experiment_run_reconcile: z.object({ runId: z.uuid() }).strict(),
  // Marks faults whose lease lapsed or expiry passed as not desired, aborts their runs (lease_lost),
  // and re-adds the controller job of every active run (a SIGKILLed worker's job stays locked).
  injections_reap: z.object({}),
  // One webhook delivery (job key `webhook:<deliveryId>`), retried with the queue's backoff; and the
  // minute sweep that announces freeze windows that just started.
  webhook_deliver: z.object({ deliveryId: z.uuid() }).strict(),
  freeze_starts_sweep: z.object({}),
  registry_converge: z.object({ serviceId: z.uuid(), version: z.number().int().positive() }).strict(),
} as const;

export type JobName = keyof typeof taskPayloadSchemas;
export type JobPayload<N extends JobName> = z.input<(typeof taskPayloadSchemas)[N]>;

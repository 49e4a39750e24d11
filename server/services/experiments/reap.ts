// The reaper (job injections_reap: any worker, every minute and when a worker starts) and the
// sweep of run controllers. A fault whose lease lapsed (no controller renewed it) or whose hard
// expiry passed is marked not desired with that reason — the leader removes it at its next tick,
// and a platform that keeps time (HAProxy) drops it by itself anyway — and a run that still wanted
// it is aborted as lease_lost. Then every active run's controller job is added again: a worker
// killed with SIGKILL leaves its job locked for hours; a queued job keeps its timer.
import type { Db } from '../../db/client';
import { ACTIVE_RUN_STATES } from '../../domain/experiments/machine';
import { FAULTS_CHANNEL } from '../../live/topics';
import { runCommand } from '../command';
import { requestRemoval } from './run-injections';
import { announceRun, lockRun, notifyFaults, recordRunEvent, transitionRun } from './run-state';

export const REAPER = 'fault reaper';

export async function reapInjections(db: Db, now: Date = new Date()): Promise<{ lapsed: number; runsAborted: number; swept: number }> {
  const lapsed = await db.$queryRaw<Array<{ id: string; runId: string; reason: 'lease_lapsed' | 'expired' }>>`
    UPDATE "Injection" SET desired = false,
           "removeReason" = COALESCE("removeReason", CASE WHEN "expiresAt" <= ${now} THEN 'expired' ELSE 'lease_lapsed' END::"InjectionRemoveReason")
     WHERE desired AND "removedAt" IS NULL AND ("leaseExpiresAt" <= ${now} OR "expiresAt" <= ${now})
     RETURNING id::text, "runId"::text AS "runId", "removeReason"::text AS reason`;
  if (lapsed.length > 0) await db.$executeRaw`SELECT pg_notify(${FAULTS_CHANNEL}, '')`;
  let runsAborted = 0;
  for (const runId of [...new Set(lapsed.map((x) => x.runId))]) {
    const aborted = await runCommand(db, { id: null, name: REAPER }, async (ctx) => {
      const r = await lockRun(ctx.tx, runId);
      if (!r || !ACTIVE_RUN_STATES.has(r.state)) return false;
      const n = lapsed.filter((x) => x.runId === runId).length;
      await recordRunEvent(ctx.tx, runId, { kind: 'removed', summary: `${n} faults lapsed (lease not renewed or hard expiry passed): marked for removal by the reaper`, actorName: REAPER });
      if (r.state === 'recovering') return false;
      const after = await transitionRun(ctx.tx, r, { type: 'abort', reason: 'lease_lost' }, { actorName: REAPER, summary: `Lease lost: ${n} faults were not renewed by the run's controller (worker gone?); removing every fault of the run` });
      await requestRemoval(ctx.tx, runId, 'lease_lapsed');
      await notifyFaults(ctx.tx);
      await ctx.audit({ action: 'experiment.run.controller', targetType: 'experiment_run', targetId: runId, targetName: `${r.experiment.name} #${r.number}`, before: { state: r.state }, after: { state: after.state, abortReason: 'lease_lost' } });
      await announceRun(ctx, after);
      return true;
    });
    if (aborted) runsAborted++;
  }
  const { enqueued } = await sweepRuns(db);
  return { lapsed: lapsed.length, runsAborted, swept: enqueued };
}

/** Re-adds the controller job of every active run (preserving a queued job's timer). */
export async function sweepRuns(db: Db): Promise<{ enqueued: number }> {
  const active = await db.experimentRun.findMany({ where: { state: { in: [...ACTIVE_RUN_STATES] } }, select: { id: true } });
  for (const r of active) {
    await db.$executeRaw`SELECT graphile_worker.add_job(
      identifier => 'experiment_run_reconcile',
      payload => ${JSON.stringify({ runId: r.id })}::json,
      job_key => ${`run:${r.id}`}::text,
      job_key_mode => 'preserve_run_at'
    )`;
  }
  return { enqueued: active.length };
}


// A worker killed with SIGKILL in the middle of a reconcile leaves its job locked (graphile-worker
// frees such a lock only after hours). The sweep adds the reconcile job of every active rollout
// again: a locked job of a dead worker is then replaced by a fresh one that another worker runs
// at once, and a queued job keeps its timer (preserve_run_at). Runs when a worker starts and every
// minute; a reconcile that runs twice is harmless (row lock, and every write is recorded).
import type { Db } from '../../db/client';
import { ACTIVE_STATES } from '../../domain/rollouts/machine';

export async function sweepRollouts(db: Db): Promise<{ enqueued: number }> {
  const active = await db.rollout.findMany({ where: { state: { in: [...ACTIVE_STATES] } }, select: { id: true } });
  for (const r of active) {
    await db.$executeRaw`SELECT graphile_worker.add_job(
      identifier => 'rollout_reconcile',
      payload => ${JSON.stringify({ rolloutId: r.id })}::json,
      job_key => ${`rollout:${r.id}`}::text,
      job_key_mode => 'preserve_run_at'
    )`;
  }
  return { enqueued: active.length };
}

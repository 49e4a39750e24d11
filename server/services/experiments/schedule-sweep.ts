// The schedules sweep (job experiment_schedules_sweep, every minute and at worker start): for each
// enabled schedule whose nextRunAt has come, claim the occurrence (nextRunAt moves to the next
// cron time after now: missed occurrences while no worker ran are not replayed, one run stands for
// them), then apply the concurrency policy and start the run. A halt, a freeze window, `forbid`
// with a run still active, or a start the run commands refuse each records a skipped run with the
// reason in words, so the schedule's history says why nothing ran.
import type { Db } from '../../db/client';
import { ACTIVE_RUN_STATES } from '../../domain/experiments/machine';
import { AppError } from '../../errors';
import { runCommand, type Actor } from '../command';
import { activeHalt, haltWords } from '../safety/halt-checks';
import { activeFreezeFor, freezeWords } from '../safety/freeze';
import { cronTimesAfter } from '../safety/domain-stand-ins';
import { loadExperiment } from './experiment-state';
import { abortRun, createRunRow, startRun } from './run-stand-ins';

export const SCHEDULER: Actor = { id: null, name: 'scheduler' };
const BATCH = 100;

type Claim = { action: 'none' } | { action: 'skipped'; runId: string } | { action: 'start'; experimentId: string; scheduleId: string; replaced: number };

/** Claims one due occurrence of a schedule and decides it, in one transaction. */
async function claim(db: Db, scheduleId: string, now: Date): Promise<Claim> {
  return runCommand(db, SCHEDULER, async (ctx) => {
    // Two sweeps (two workers) never fire one occurrence twice: the second skips the locked row,
    // and once the first commits nextRunAt is in the future.
    const locked = await ctx.tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM "ExperimentSchedule" WHERE id = ${scheduleId}::uuid AND enabled AND "nextRunAt" <= ${now} FOR UPDATE SKIP LOCKED`;
    if (locked.length === 0) return { action: 'none' };
    const s = await ctx.tx.experimentSchedule.findUniqueOrThrow({ where: { id: scheduleId } });
    const e = await loadExperiment(ctx.tx, s.experimentId);
    const next = cronTimesAfter(s.cron, now, 1)[0] ?? null;
    await ctx.tx.experimentSchedule.update({ where: { id: s.id }, data: e.archivedAt ? { enabled: false, nextRunAt: null } : { nextRunAt: next, lastRunAt: now } });
    if (e.archivedAt) return { action: 'none' };
    const skip = async (reason: string) => {
      const run = await createRunRow(ctx, e, { state: 'skipped', trigger: 'schedule', scheduleId: s.id, summary: `Skipped: ${reason}`, skipReason: reason });
      await ctx.audit({ action: 'experiment.run.skip', targetType: 'experiment', targetId: e.id, targetName: e.name, after: { runId: run.runId, number: run.number, reason } });
      return { action: 'skipped' as const, runId: run.runId };
    };
    const halt = await activeHalt(ctx.tx);
    if (halt) return skip(haltWords(halt));
    const freeze = await activeFreezeFor(ctx.tx, 'experiments', now);
    if (freeze) return skip(`inside the ${freezeWords(freeze)}`);
    const active = await ctx.tx.experimentRun.findMany({ where: { experimentId: e.id, state: { in: [...ACTIVE_RUN_STATES] } }, orderBy: { number: 'asc' } });
    if (active.length > 0 && s.concurrency === 'forbid') {
      const list = active.map((r) => `#${r.number} (${r.state})`).join(', ');
      return skip(`run ${list} of this experiment is still active and the schedule's concurrency policy is forbid`);
    }
    if (s.concurrency === 'replace') {
      for (const r of active) await abortRun(ctx, r, 'replaced', `Aborted: replaced by the next scheduled run (schedule "${s.cron}", concurrency replace)`, 'aborted');
    }
    return { action: 'start', experimentId: e.id, scheduleId: s.id, replaced: s.concurrency === 'replace' ? active.length : 0 };
  });
}

export async function sweepSchedules(db: Db, now: Date = new Date()): Promise<{ due: number; started: number; skipped: number }> {
  const due = await db.experimentSchedule.findMany({ where: { enabled: true, nextRunAt: { lte: now } }, orderBy: { nextRunAt: 'asc' }, select: { id: true }, take: BATCH });
  let started = 0;
  let skipped = 0;
  for (const { id } of due) {
    const c = await claim(db, id, now);
    if (c.action === 'skipped') skipped++;
    if (c.action !== 'start') continue;
    try {
      await startRun(db, SCHEDULER, { experimentId: c.experimentId, trigger: 'schedule', scheduleId: c.scheduleId });
      started++;
    } catch (err) {
      // A refusal in words (a halt or window that began a moment ago, a guard, the blast radius):
      // recorded as the skipped run's reason. Anything else is a bug: the job fails and says so.
      if (!(err instanceof AppError)) throw err;
      await runCommand(db, SCHEDULER, async (ctx) => {
        const e = await loadExperiment(ctx.tx, c.experimentId);
        await createRunRow(ctx, e, { state: 'skipped', trigger: 'schedule', scheduleId: c.scheduleId, summary: `Skipped: ${err.message}`, skipReason: err.message });
      });
      skipped++;
    }
  }
  return { due: due.length, started, skipped };
}

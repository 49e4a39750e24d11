// "Evaluate schedules now": an operator (the least role that may edit schedules) asks the worker
// to run the schedules sweep now instead of at the next minute, e.g. after a freeze window ended or
// to try a new schedule. With a schedule id, that schedule's next occurrence is also brought
// forward to now, so the sweep fires it under its own concurrency policy (a skip is recorded with
// the reason, like any occurrence); the occurrence after it is not consumed. The job is the one
// the cron enqueues, with a key so that asking twice while it waits queues one sweep, not two.
import { z } from 'zod';
import type { Db } from '../../db/client';
import { uuid } from '../../domain/inputs';
import { AppError, notFound } from '../../errors';
import { runCommand, type Actor } from '../command';

export const SWEEP_NOW_JOB_KEY = 'experiment_schedules_sweep:now';

export const evaluateSchedulesInput = z.object({ scheduleId: uuid().optional() }).strict();

export interface EvaluateResult {
  /** A sweep asked for earlier was still waiting: this request joined it. */
  alreadyQueued: boolean;
  queuedAt: Date;
  /** The schedule whose occurrence was brought forward, when one was named. */
  schedule: { id: string; experimentName: string } | null;
}

export async function evaluateSchedulesNow(db: Db, actor: Actor, input: z.input<typeof evaluateSchedulesInput>): Promise<EvaluateResult> {
  const q = evaluateSchedulesInput.parse(input);
  return runCommand(db, actor, async (ctx) => {
    const now = new Date();
    let schedule: EvaluateResult['schedule'] = null;
    let experimentId: string | null = null;
    if (q.scheduleId) {
      const s = await ctx.tx.experimentSchedule.findUnique({ where: { id: q.scheduleId }, include: { experiment: { select: { name: true, archivedAt: true } } } });
      if (!s) throw notFound('That schedule');
      if (s.experiment.archivedAt) throw new AppError('CONFLICT', `Experiment "${s.experiment.name}" is archived; its schedule does not fire.`);
      if (!s.enabled) throw new AppError('CONFLICT', `The schedule of experiment "${s.experiment.name}" is disabled; enable it first to run it now.`);
      // nextRunAt is the sweep's bookkeeping (the sweep's own claim does not bump the version either).
      await ctx.tx.experimentSchedule.update({ where: { id: s.id }, data: { nextRunAt: now } });
      schedule = { id: s.id, experimentName: s.experiment.name };
      experimentId = s.experimentId;
    }
    const waiting = await ctx.tx.$queryRaw<Array<{ n: number }>>`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE key = ${SWEEP_NOW_JOB_KEY} AND locked_at IS NULL`;
    const alreadyQueued = (waiting[0]?.n ?? 0) > 0;
    // A keyed job still waiting is replaced (one sweep); one already running keeps going and a new
    // one is queued, since it may have listed the due schedules before this commit.
    await ctx.enqueue('experiment_schedules_sweep', {}, { jobKey: SWEEP_NOW_JOB_KEY });
    await ctx.audit({
      action: 'experiment.schedule.evaluate',
      targetType: 'experiment-schedule',
      targetId: schedule?.id ?? '',
      targetName: schedule?.experimentName ?? 'all schedules',
      after: { scheduleId: schedule?.id ?? null, alreadyQueued },
    });
    if (experimentId) await ctx.emit('experiment.changed', { experimentId });
    return { alreadyQueued, queuedAt: now, schedule };
  });
}

// Cron schedules of experiments (UTC, 5 fields): operators create, edit and remove them; the
// schedules sweep (job experiment_schedules_sweep, every minute) starts the runs that are due.
// History: every run row is kept (its report and audit stay reachable); the schedule's list shows
// the active runs and the last `historyLimit` finished ones, and says how many older ones exist.
import { z } from 'zod';
import type { Db, DbOrTx, Tx } from '../../db/client';
import type { ExperimentSchedule } from '../../db/generated/client';
import { int32, text, uuid, version } from '../../domain/inputs';
import { ACTIVE_RUN_STATES, TERMINAL_RUN_STATES } from '../../domain/experiments/machine';
import { AppError, notFound } from '../../errors';
import { runCommand, type Actor } from '../command';
import { compareAndSet } from '../compare-and-set';
import { cronTimesAfter, parseCron } from '../safety/domain-stand-ins';
import { experimentLabel, loadExperiment } from './experiment-state';

export const CONCURRENCY = ['forbid', 'allow', 'replace'] as const;

const cronField = () =>
  text(120, { min: 1, required: 'Enter a cron expression (5 fields, UTC)' }).superRefine((c, ctx) => {
    const p = parseCron(c);
    if (!p.ok) ctx.addIssue({ code: 'custom', message: p.error });
  });

const scheduleFields = {
  cron: cronField(),
  concurrency: z.enum(CONCURRENCY, { error: `Concurrency: one of ${CONCURRENCY.join(', ')}` }).default('forbid'),
  historyLimit: z.number({ error: 'History: expected a number of runs' }).int('History: a whole number').min(1, 'History: at least 1 run').max(100, 'History: at most 100 runs').default(10),
  enabled: z.boolean().default(true),
};
export const createScheduleInput = z.object({ experimentId: uuid(), ...scheduleFields }).strict();
export const updateScheduleInput = z.object({ id: uuid(), version: version(), ...scheduleFields }).strict();
export const scheduleRef = z.object({ id: uuid(), version: version() }).strict();
export const listSchedulesInput = z.object({ experimentId: uuid().optional() }).strict();
export const nextRunsInput = z.object({ cron: cronField(), n: int32(1).max(20, 'At most 20 times').default(5) }).strict();

export const SCHEDULE_ACTIONS = ['experiment.schedule.create', 'experiment.schedule.update', 'experiment.schedule.remove'] as const;
const label = (experimentName: string) => `The schedule of experiment "${experimentName}"`;

/** The next time the schedule fires after `from`, or a field error when it never does. */
function nextAfter(cron: string, from: Date): Date {
  const [next] = cronTimesAfter(cron, from, 1);
  if (!next) throw new AppError('BAD_REQUEST', `The cron expression "${cron}" never fires within five years.`, { cron: ['This expression never fires (check the day and month)'] });
  return next;
}

export function nextRuns(input: z.input<typeof nextRunsInput>, now = new Date()) {
  const { cron, n } = nextRunsInput.parse(input);
  return { cron, times: cronTimesAfter(cron, now, n) };
}

/** How many upcoming times the list shows per schedule. */
export const UPCOMING_RUNS = 5;

/**
 * The next `n` times the schedule fires, as the sweep will fire them: nextRunAt first, also when it
 * is already past (the worker is down or behind: the next sweep fires it, and the page says it is
 * due), then the cron's times after it — after `now` when it is past, since the sweep moves
 * nextRunAt on from the time it runs and does not replay missed occurrences. None while disabled,
 * nor without a nextRunAt (the sweep fires nothing then).
 */
export function upcomingRuns(s: Pick<ExperimentSchedule, 'enabled' | 'cron' | 'nextRunAt'>, now: Date, n = UPCOMING_RUNS): Date[] {
  if (!s.enabled || !s.nextRunAt) return [];
  const after = s.nextRunAt > now ? s.nextRunAt : now;
  return [s.nextRunAt, ...cronTimesAfter(s.cron, after, n - 1)];
}

/** Every schedule (or one experiment's) with its history and its next UPCOMING_RUNS times (upcomingRuns). */
export async function listSchedules(db: Db, input: z.input<typeof listSchedulesInput>, now = new Date()) {
  const { experimentId } = listSchedulesInput.parse(input);
  const schedules = await db.experimentSchedule.findMany({ where: experimentId ? { experimentId } : {}, orderBy: { createdAt: 'asc' }, include: { experiment: { select: { name: true, archivedAt: true } } }, take: 500 });
  return Promise.all(schedules.map(async (s) => ({ ...s, upcoming: upcomingRuns(s, now), ...(await scheduleHistory(db, s)) })));
}

/** The schedule's active runs and its last `historyLimit` finished ones (older rows are kept, only counted). */
async function scheduleHistory(db: DbOrTx, s: ExperimentSchedule) {
  const select = { id: true, number: true, state: true, abortReason: true, stateDetail: true, skipReason: true, createdAt: true, endedAt: true } as const;
  const [active, finished, total] = await Promise.all([
    db.experimentRun.findMany({ where: { scheduleId: s.id, state: { in: [...ACTIVE_RUN_STATES] } }, orderBy: { number: 'desc' }, select }),
    db.experimentRun.findMany({ where: { scheduleId: s.id, state: { in: [...TERMINAL_RUN_STATES] } }, orderBy: { number: 'desc' }, take: s.historyLimit, select }),
    db.experimentRun.count({ where: { scheduleId: s.id, state: { in: [...TERMINAL_RUN_STATES] } } }),
  ]);
  return { activeRuns: active, recentRuns: finished, olderRuns: Math.max(0, total - finished.length) };
}

export async function createSchedule(db: Db, actor: Actor, input: z.input<typeof createScheduleInput>) {
  const q = createScheduleInput.parse(input);
  return runCommand(db, actor, async (ctx) => {
    const e = await loadExperiment(ctx.tx, q.experimentId);
    if (e.archivedAt) throw new AppError('CONFLICT', `${experimentLabel(e)} is archived; it cannot be scheduled.`);
    const nextRunAt = q.enabled ? nextAfter(q.cron, new Date()) : null;
    const s = await ctx.tx.experimentSchedule.create({ data: { experimentId: e.id, cron: q.cron, concurrency: q.concurrency, historyLimit: q.historyLimit, enabled: q.enabled, nextRunAt, createdById: actor.id, createdByName: actor.name } });
    await ctx.audit({ action: 'experiment.schedule.create', targetType: 'experiment-schedule', targetId: s.id, targetName: e.name, after: { cron: q.cron, concurrency: q.concurrency, historyLimit: q.historyLimit, enabled: q.enabled } });
    await ctx.emit('experiment.changed', { experimentId: e.id });
    return { id: s.id, version: s.version, nextRunAt };
  });
}

async function loadSchedule(tx: Tx, id: string) {
  const s = await tx.experimentSchedule.findUnique({ where: { id }, include: { experiment: { select: { name: true, archivedAt: true } } } });
  if (!s) throw notFound('That schedule');
  return s;
}

const currentOf = (tx: Tx, id: string) => async () => {
  const now = await tx.experimentSchedule.findUnique({ where: { id } });
  return now && { version: now.version, values: { cron: now.cron, concurrency: now.concurrency, historyLimit: now.historyLimit, enabled: now.enabled } };
};

export async function updateSchedule(db: Db, actor: Actor, input: z.input<typeof updateScheduleInput>) {
  const q = updateScheduleInput.parse(input);
  return runCommand(db, actor, async (ctx) => {
    const before = await loadSchedule(ctx.tx, q.id);
    if (q.enabled && before.experiment.archivedAt) throw new AppError('CONFLICT', `Experiment "${before.experiment.name}" is archived; its schedule cannot be enabled.`);
    const nextRunAt = q.enabled ? nextAfter(q.cron, new Date()) : null;
    await compareAndSet(ctx.tx, {
      row: { type: 'experiment-schedule', id: q.id, label: label(before.experiment.name) },
      expected: q.version,
      versionActions: SCHEDULE_ACTIONS,
      write: () => ctx.tx.experimentSchedule.updateMany({ where: { id: q.id, version: q.version }, data: { cron: q.cron, concurrency: q.concurrency, historyLimit: q.historyLimit, enabled: q.enabled, nextRunAt, version: { increment: 1 } } }),
      current: currentOf(ctx.tx, q.id),
    });
    await ctx.audit({ action: 'experiment.schedule.update', targetType: 'experiment-schedule', targetId: q.id, targetName: before.experiment.name, before: { cron: before.cron, concurrency: before.concurrency, historyLimit: before.historyLimit, enabled: before.enabled }, after: { cron: q.cron, concurrency: q.concurrency, historyLimit: q.historyLimit, enabled: q.enabled } });
    await ctx.emit('experiment.changed', { experimentId: before.experimentId });
    return { id: q.id, version: q.version + 1, nextRunAt };
  });
}

/** Removes the schedule; its runs stay (their scheduleId becomes null, the trigger still says schedule). */
export async function removeSchedule(db: Db, actor: Actor, input: z.input<typeof scheduleRef>) {
  const q = scheduleRef.parse(input);
  return runCommand(db, actor, async (ctx) => {
    const before = await loadSchedule(ctx.tx, q.id);
    await compareAndSet(ctx.tx, {
      row: { type: 'experiment-schedule', id: q.id, label: label(before.experiment.name) },
      expected: q.version,
      versionActions: SCHEDULE_ACTIONS,
      write: () => ctx.tx.experimentSchedule.deleteMany({ where: { id: q.id, version: q.version } }),
      current: currentOf(ctx.tx, q.id),
    });
    await ctx.audit({ action: 'experiment.schedule.remove', targetType: 'experiment-schedule', targetId: q.id, targetName: before.experiment.name, before: { cron: before.cron, concurrency: before.concurrency } });
    await ctx.emit('experiment.changed', { experimentId: before.experimentId });
    return { id: q.id };
  });
}

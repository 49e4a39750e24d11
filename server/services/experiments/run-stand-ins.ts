// STAND-INS for the runs engineer's functions (branch h-runs), which were not committed when the
// schedules and halt-all were written: `startRun` (server/services/experiments/run-commands.ts on
// their side) and the run-state `transition()` used to abort. Same intent, minimal: a run row in
// `pending` with its spec snapshot (their controller takes it from there), and the abort event
// through the run machine. Callers import only from here, so merging h-runs turns this file into
// re-exports. Owned by the safety engineer; the runs engineer owns nothing of it.
import type { Db, Tx } from '../../db/client';
import type { Experiment, ExperimentRun } from '../../db/generated/client';
import { nextRunState, type RunAbortReason, type RunState } from '../../domain/experiments/machine';
import { AppError } from '../../errors';
import { FAULTS_CHANNEL } from '../../live/topics';
import { runCommand, type Actor, type CommandContext } from '../command';
import { assertNotHalted } from '../safety/halt-checks';
import { assertNotFrozen } from '../safety/freeze';
import { experimentLabel, loadExperiment, toJson } from './experiment-state';

/** Locks the experiment row (run numbers are allocated under it) and returns the next run number. */
export async function nextRunNumber(tx: Tx, experimentId: string): Promise<number> {
  await tx.$queryRaw`SELECT id FROM "Experiment" WHERE id = ${experimentId}::uuid FOR UPDATE`;
  const last = await tx.experimentRun.aggregate({ where: { experimentId }, _max: { number: true } });
  return (last._max.number ?? 0) + 1;
}

export interface StartRunInput {
  experimentId: string;
  trigger?: 'manual' | 'schedule';
  scheduleId?: string | null;
  freezeOverrideReason?: string;
}

/** Starts a run of an experiment: refused while halted, inside a freeze window, or archived. */
export async function startRun(db: Db, actor: Actor, input: StartRunInput): Promise<{ runId: string; number: number }> {
  return runCommand(db, actor, async (ctx) => {
    const e = await loadExperiment(ctx.tx, input.experimentId);
    if (e.archivedAt) throw new AppError('CONFLICT', `${experimentLabel(e)} is archived; it cannot be run.`);
    await assertNotHalted(ctx.tx, `Starting a run of ${experimentLabel(e)}`);
    if (!input.freezeOverrideReason) await assertNotFrozen(ctx.tx, 'experiments', `Starting a run of ${experimentLabel(e)}`);
    return createRunRow(ctx, e, { state: 'pending', trigger: input.trigger ?? 'manual', scheduleId: input.scheduleId ?? null, summary: `Started by ${actor.name}` });
  });
}

/** Writes a run row (pending, or skipped with its reason) and its first event; announces it. */
export async function createRunRow(
  ctx: CommandContext,
  e: Experiment,
  o: { state: 'pending' | 'skipped'; trigger: 'manual' | 'schedule'; scheduleId: string | null; summary: string; skipReason?: string },
): Promise<{ runId: string; number: number }> {
  const number = await nextRunNumber(ctx.tx, e.id);
  const skipped = o.state === 'skipped';
  const run = await ctx.tx.experimentRun.create({
    data: {
      experimentId: e.id,
      number,
      spec: toJson(e.spec),
      experimentVersion: e.version,
      trigger: o.trigger,
      scheduleId: o.scheduleId,
      state: o.state,
      skipReason: skipped ? (o.skipReason ?? o.summary).slice(0, 2000) : null,
      stateDetail: o.summary.slice(0, 2000),
      startedById: ctx.actor.id,
      startedByName: ctx.actor.name,
      endedAt: skipped ? new Date() : null,
    },
  });
  await ctx.tx.experimentRunEvent.create({ data: { runId: run.id, kind: 'state', toState: o.state, summary: o.summary.slice(0, 2000), actorName: ctx.actor.name, data: { trigger: o.trigger, scheduleId: o.scheduleId } } });
  await ctx.emit('experiment.changed', { experimentId: e.id, runId: run.id, state: o.state });
  return { runId: run.id, number };
}

/**
 * The abort event through the run machine (stand-in for their transition()): the faults no longer
 * desired with `removeReason`, the state and its event written together, the leader woken. A run
 * already recovering keeps an abort reason it has. Returns the state after.
 */
export async function abortRun(ctx: CommandContext, run: ExperimentRun, reason: RunAbortReason, words: string, removeReason: 'aborted' | 'halted'): Promise<RunState> {
  const from = run.state;
  const to = nextRunState(from, { type: 'abort', reason });
  if (!to) return from;
  await ctx.tx.injection.updateMany({ where: { runId: run.id, removedAt: null, desired: true }, data: { desired: false, removeReason } });
  await ctx.tx.experimentRun.update({ where: { id: run.id }, data: { state: to, abortReason: run.abortReason ?? reason, stateDetail: words.slice(0, 2000), version: { increment: 1 } } });
  await ctx.tx.experimentRunEvent.create({ data: { runId: run.id, kind: 'state', fromState: from, toState: to, summary: words.slice(0, 2000), actorName: ctx.actor.name, data: { event: 'abort', reason } } });
  await ctx.tx.$executeRaw`SELECT pg_notify(${FAULTS_CHANNEL}, '')`;
  await ctx.emit('experiment.changed', { experimentId: run.experimentId, runId: run.id, state: to });
  return to;
}

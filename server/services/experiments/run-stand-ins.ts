// The schedule sweep's and halt-all's door to the run functions (h-runs merged): `startRun` is
// run-start.ts startRunInTx in its own command, `abortRun` is run-state.ts transitionRun plus the
// removal request, and `createRunRow` writes a skipped run (the run services never create one).
// Owned by the safety engineer; adapted to the real run functions when h-safety met h-runs.
import type { Db, Tx } from '../../db/client';
import type { Experiment, ExperimentRun } from '../../db/generated/client';
import { canRunHappen, type RunAbortReason, type RunState } from '../../domain/experiments/machine';
import { runCommand, type Actor, type CommandContext } from '../command';
import { toJson } from './experiment-state';
import { requestRemoval } from './run-injections';
import { startRunInTx } from './run-start';
import { announceRun, lockRun, transitionRun } from './run-state';

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

/**
 * Starts a run through the runs engineer's start (run-start.ts startRunInTx): halt, freeze,
 * capability, blast radius and guards refused in words before anything is written.
 */
export async function startRun(db: Db, actor: Actor, input: StartRunInput): Promise<{ runId: string; number: number }> {
  return runCommand(db, actor, async (ctx) => {
    const r = await startRunInTx(ctx, { experimentId: input.experimentId, freezeOverrideReason: input.freezeOverrideReason }, { trigger: input.trigger ?? 'manual', scheduleId: input.scheduleId ?? null });
    return { runId: r.id, number: r.number };
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
 * Aborts through the run machine (run-state.ts transitionRun under the run's row lock): the first
 * abort reason is kept, the faults are asked out with `removeReason`, the leader woken, the run's
 * controller job armed. Returns the state after (unchanged when the machine refuses an abort).
 */
export async function abortRun(ctx: CommandContext, run: ExperimentRun, reason: RunAbortReason, words: string, removeReason: 'aborted' | 'halted'): Promise<RunState> {
  const r = await lockRun(ctx.tx, run.id);
  if (!r || !canRunHappen(r.state, 'abort')) return r?.state ?? run.state;
  const after = await transitionRun(ctx.tx, r, { type: 'abort', reason }, { actorName: ctx.actor.name, summary: words });
  await requestRemoval(ctx.tx, r.id, removeReason);
  await announceRun(ctx, after);
  return after.state;
}

// A person aborts a run (experiments.abort, operator, a reason required): in one transaction the
// run moves to recovering with reason `manual` (the first reason recorded is kept), its faults are
// asked out (desired = false, NOTIFY), audited, announced; the controller then waits for the
// platform to confirm the removal and ends the run aborted. Guarded by the version the person saw.
import type { z } from 'zod';
import type { Db } from '../../db/client';
import { runCommand, type Actor } from '../command';
import { abortRunInput } from './run-inputs';
import { abortRunWith } from './run-reconcile';
import { announceRun, loadRunLocked } from './run-state';

export async function abortRun(db: Db, actor: Actor, input: z.input<typeof abortRunInput>) {
  const { runId, version, reason } = abortRunInput.parse(input);
  return runCommand(db, actor, async (ctx) => {
    const before = await loadRunLocked(ctx.tx, runId);
    const after = await abortRunWith(ctx, before, 'manual', `Aborted by ${actor.name}: ${reason}`, actor.name, { reason }, version);
    await ctx.audit({ action: 'experiment.run.abort', targetType: 'experiment_run', targetId: runId, targetName: `${before.experiment.name} #${before.number}`, before: { state: before.state }, after: { state: after.state, reason } });
    await announceRun(ctx, after);
    return { id: runId, version: after.version, state: after.state };
  });
}

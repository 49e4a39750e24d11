// The operator's commands on an experiment: create, update (compare-and-set on the version the
// person saw) and archive / restore. Each is one transaction (row + audit + live event). A taken
// name is a field error in words; a lost race on the name is the same words (runCommand maps the
// unique violation).
import type { z } from 'zod';
import type { Db, Tx } from '../../db/client';
import type { ExperimentDraft } from '../../domain/experiments/spec';
import { ACTIVE_RUN_STATES } from '../../domain/experiments/machine';
import { AppError } from '../../errors';
import { runCommand, type Actor } from '../command';
import { compareAndSet } from '../compare-and-set';
import { archiveExperimentInput, createExperimentInput, updateExperimentInput } from './experiment-inputs';
import { EXPERIMENT_ACTIONS, experimentLabel, loadExperiment, toJson } from './experiment-state';

async function requireNameFree(tx: Tx, name: string, selfId: string | null) {
  const other = await tx.experiment.findUnique({ where: { name }, select: { id: true } });
  if (other && other.id !== selfId) {
    throw new AppError('CONFLICT', `An experiment named "${name}" already exists; choose another name.`, { name: [`An experiment named "${name}" already exists`] });
  }
}

const columns = (d: ExperimentDraft) => ({ name: d.name, description: d.description, templateKey: d.templateKey, spec: toJson(d.spec) });

export async function createExperiment(db: Db, actor: Actor, input: z.input<typeof createExperimentInput>) {
  const { draft } = createExperimentInput.parse(input);
  return runCommand(
    db,
    actor,
    async (ctx) => {
      await requireNameFree(ctx.tx, draft.name, null);
      const e = await ctx.tx.experiment.create({ data: { ...columns(draft), createdById: actor.id, createdByName: actor.name } });
      await ctx.audit({ action: 'experiment.create', targetType: 'experiment', targetId: e.id, targetName: e.name, after: draft });
      await ctx.emit('experiment.changed', { experimentId: e.id });
      return { id: e.id, version: e.version };
    },
    { input: { name: draft.name } },
  );
}

const current = (tx: Tx, id: string) => async () => {
  const now = await tx.experiment.findUnique({ where: { id } });
  return now && { version: now.version, values: { name: now.name, description: now.description, templateKey: now.templateKey, spec: now.spec, archivedAt: now.archivedAt } };
};

export async function updateExperiment(db: Db, actor: Actor, input: z.input<typeof updateExperimentInput>) {
  const { id, version, draft } = updateExperimentInput.parse(input);
  return runCommand(
    db,
    actor,
    async (ctx) => {
      const before = await loadExperiment(ctx.tx, id);
      if (before.archivedAt) throw new AppError('CONFLICT', `${experimentLabel(before)} is archived; restore it before editing.`);
      await requireNameFree(ctx.tx, draft.name, id);
      await compareAndSet(ctx.tx, {
        row: { type: 'experiment', id, label: experimentLabel(before) },
        expected: version,
        versionActions: EXPERIMENT_ACTIONS,
        write: () => ctx.tx.experiment.updateMany({ where: { id, version }, data: { ...columns(draft), version: { increment: 1 } } }),
        current: current(ctx.tx, id),
      });
      const after = await ctx.tx.experiment.findUniqueOrThrow({ where: { id } });
      await ctx.audit({ action: 'experiment.update', targetType: 'experiment', targetId: id, targetName: after.name, before: { name: before.name, description: before.description, templateKey: before.templateKey, spec: before.spec }, after: draft });
      await ctx.emit('experiment.changed', { experimentId: id });
      return { id, version: after.version };
    },
    { input: { name: draft.name } },
  );
}

/**
 * Archive: the experiment keeps its runs and reports but cannot be run or scheduled (its schedules
 * are disabled with it). Refused while a run of it is active. Restore undoes it (schedules stay off).
 */
export async function archiveExperiment(db: Db, actor: Actor, input: z.input<typeof archiveExperimentInput>) {
  const { id, version, archived } = archiveExperimentInput.parse(input);
  return runCommand(db, actor, async (ctx) => {
    const before = await loadExperiment(ctx.tx, id);
    if (archived) {
      const active = await ctx.tx.experimentRun.findFirst({ where: { experimentId: id, state: { in: [...ACTIVE_RUN_STATES] } }, select: { number: true, state: true } });
      if (active) throw new AppError('CONFLICT', `Run #${active.number} of ${experimentLabel(before)} is ${active.state}; abort it or let it finish before archiving.`);
    }
    await compareAndSet(ctx.tx, {
      row: { type: 'experiment', id, label: experimentLabel(before) },
      expected: version,
      versionActions: EXPERIMENT_ACTIONS,
      write: () => ctx.tx.experiment.updateMany({ where: { id, version }, data: { archivedAt: archived ? new Date() : null, version: { increment: 1 } } }),
      current: current(ctx.tx, id),
    });
    if (archived) await ctx.tx.experimentSchedule.updateMany({ where: { experimentId: id }, data: { enabled: false, nextRunAt: null, version: { increment: 1 } } });
    const after = await ctx.tx.experiment.findUniqueOrThrow({ where: { id } });
    await ctx.audit({ action: archived ? 'experiment.archive' : 'experiment.restore', targetType: 'experiment', targetId: id, targetName: after.name, before: { archivedAt: before.archivedAt }, after: { archivedAt: after.archivedAt } });
    await ctx.emit('experiment.changed', { experimentId: id });
    return { id, version: after.version, archivedAt: after.archivedAt };
  });
}

// Shared by the experiment commands: loading a row for a command, its label, the audit actions
// that move its version (the newest names who changed it last) and the stored spec parsed.
import type { Tx } from '../../db/client';
import type { Experiment, Prisma } from '../../db/generated/client';
import { experimentSpecSchema, type ExperimentSpec } from '../../domain/experiments/spec';
import { notFound } from '../../errors';

export const EXPERIMENT_ACTIONS = ['experiment.create', 'experiment.update', 'experiment.archive', 'experiment.restore'] as const;

export const experimentLabel = (e: Pick<Experiment, 'name'>) => `Experiment "${e.name}"`;

export const toJson = (v: unknown) => JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;

export function experimentSpecOf(e: Pick<Experiment, 'spec'>): ExperimentSpec {
  return experimentSpecSchema.parse(e.spec);
}

export async function loadExperiment(tx: Tx, id: string): Promise<Experiment> {
  const e = await tx.experiment.findUnique({ where: { id } });
  if (!e) throw notFound('That experiment');
  return e;
}

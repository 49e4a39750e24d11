// What the experiments pages read: the built-in templates, the list (filters from the URL, each
// with its last run's state) and one experiment with its schedules.
import type { z } from 'zod';
import type { Db } from '../../db/client';
import type { Prisma } from '../../db/generated/client';
import { EXPERIMENT_TEMPLATES } from '../../domain/experiments/templates';
import { notFound } from '../../errors';
import { experimentId, listExperimentsInput } from './experiment-inputs';
import { experimentSpecOf } from './experiment-state';

export function experimentTemplates() {
  return EXPERIMENT_TEMPLATES.map((t) => ({ key: t.key, title: t.title, summary: t.summary, spec: t.spec }));
}

const LIST_LIMIT = 500;
const lastRunSelect = { orderBy: { number: 'desc' }, take: 1, select: { id: true, number: true, state: true, abortReason: true, skipReason: true, createdAt: true, endedAt: true } } as const;

export async function listExperiments(db: Db, input: z.input<typeof listExperimentsInput>) {
  const q = listExperimentsInput.parse(input);
  const where: Prisma.ExperimentWhereInput = {
    ...(q.archived === 'active' ? { archivedAt: null } : q.archived === 'archived' ? { archivedAt: { not: null } } : {}),
    ...(q.template ? { templateKey: q.template } : {}),
    ...(q.text ? { OR: [{ name: { contains: q.text, mode: 'insensitive' } }, { description: { contains: q.text, mode: 'insensitive' } }] } : {}),
  };
  const rows = await db.experiment.findMany({
    where,
    orderBy: { updatedAt: 'desc' },
    take: LIST_LIMIT + 1,
    include: { runs: lastRunSelect, _count: { select: { runs: true, schedules: true } } },
  });
  return {
    experiments: rows.slice(0, LIST_LIMIT).map((e) => {
      const spec = experimentSpecOf(e);
      return {
        id: e.id,
        name: e.name,
        description: e.description,
        templateKey: e.templateKey,
        faultKind: spec.fault.kind,
        services: spec.targets.services,
        version: e.version,
        archivedAt: e.archivedAt,
        createdByName: e.createdByName,
        updatedAt: e.updatedAt,
        runs: e._count.runs,
        schedules: e._count.schedules,
        lastRun: e.runs[0] ?? null,
      };
    }),
    truncated: rows.length > LIST_LIMIT,
  };
}

export async function getExperiment(db: Db, input: z.input<typeof experimentId>) {
  const { id } = experimentId.parse(input);
  const e = await db.experiment.findUnique({
    where: { id },
    include: { runs: lastRunSelect, schedules: { orderBy: { createdAt: 'asc' } }, _count: { select: { runs: true } } },
  });
  if (!e) throw notFound('That experiment');
  const { runs, _count, ...row } = e;
  return { ...row, spec: experimentSpecOf(e), runCount: _count.runs, lastRun: runs[0] ?? null };
}

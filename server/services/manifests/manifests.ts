// Manifests for Kubernetes users: a rollout as Argo Rollouts, an experiment as Chaos Mesh
// (server/domain/manifests), and the same YAML imported back as a draft. An import creates the
// draft through the existing create commands, so its audit row, live event and checks (a known
// service, a free experiment name) are exactly those of the console's "New" forms.
import { z } from 'zod';
import type { Db } from '../../db/client';
import { text, uuid } from '../../domain/inputs';
import { argoToRolloutDraft } from '../../domain/manifests/argo-import';
import { rolloutToArgo } from '../../domain/manifests/argo-export';
import { chaosMeshToExperimentDraft } from '../../domain/manifests/chaos-import';
import { experimentToChaosMesh } from '../../domain/manifests/chaos-export';
import { kubeName, MAX_YAML_CHARS } from '../../domain/manifests/documents';
import { AppError, notFound } from '../../errors';
import type { Actor } from '../command';
import { createExperiment } from '../experiments/experiment-commands';
import { experimentSpecOf } from '../experiments/experiment-state';
import { createRollout } from '../rollouts/rollout-commands';
import { specOf } from '../rollouts/rollout-state';

export const manifestExportInput = z.object({ id: uuid() }).strict();
export const manifestImportInput = z
  .object({ yaml: text(MAX_YAML_CHARS, { multiline: true, trim: false, min: 1, required: 'Paste the YAML, or choose a file' }) })
  .strict();

/** What an export answers: the YAML to apply, what it cannot express, and a file name to save it as. */
export interface ManifestAnswer {
  format: 'argo-rollouts' | 'chaos-mesh';
  yaml: string;
  notes: string[];
  fileName: string;
  /** Kinds in the YAML, in order ("Rollout", "AnalysisTemplate", …). */
  kinds: string[];
}

export async function rolloutManifest(db: Db, input: z.input<typeof manifestExportInput>): Promise<ManifestAnswer> {
  const { id } = manifestExportInput.parse(input);
  const r = await db.rollout.findUnique({ where: { id } });
  if (!r) throw notFound('That rollout');
  const spec = specOf(r);
  const out = rolloutToArgo(spec);
  return { format: 'argo-rollouts', yaml: out.yaml, notes: out.notes, fileName: `${kubeName(spec.name)}.argo-rollouts.yaml`, kinds: out.resources.map((x) => String(x.kind)) };
}

export async function experimentManifest(db: Db, input: z.input<typeof manifestExportInput>): Promise<ManifestAnswer> {
  const { id } = manifestExportInput.parse(input);
  const e = await db.experiment.findUnique({ where: { id }, include: { schedules: { orderBy: { createdAt: 'asc' } } } });
  if (!e) throw notFound('That experiment');
  const draft = { name: e.name, description: e.description, templateKey: e.templateKey, spec: experimentSpecOf(e) };
  const schedules = e.schedules.map((s) => ({ cron: s.cron, concurrency: s.concurrency, historyLimit: s.historyLimit, enabled: s.enabled }));
  const out = experimentToChaosMesh(draft, { schedules });
  return { format: 'chaos-mesh', yaml: out.yaml, notes: out.notes, fileName: `${kubeName(e.name)}.chaos-mesh.yaml`, kinds: out.resources.map((x) => String(x.kind)) };
}

function refused(what: string, problems: string[]): AppError {
  return new AppError('BAD_REQUEST', `The YAML cannot be imported as ${what}: ${problems[0] ?? 'it cannot be read'}`, { yaml: problems });
}

/** A new pending rollout from Argo Rollouts YAML; the notes say what was dropped or defaulted. */
export async function importRollout(db: Db, actor: Actor, input: z.input<typeof manifestImportInput>) {
  const { yaml } = manifestImportInput.parse(input);
  const r = argoToRolloutDraft(yaml);
  if (!r.ok) throw refused('a rollout', r.problems);
  const created = await createRollout(db, actor, { spec: r.value });
  return { ...created, name: r.value.name, notes: r.notes };
}

/**
 * A new experiment from Chaos Mesh YAML. A taken name gets " (imported)" (then a number), said in
 * the notes: importing an export next to its original is the usual first try.
 */
export async function importExperiment(db: Db, actor: Actor, input: z.input<typeof manifestImportInput>) {
  const { yaml } = manifestImportInput.parse(input);
  const r = chaosMeshToExperimentDraft(yaml);
  if (!r.ok) throw refused('an experiment', r.problems);
  const { draft } = r.value;
  const notes = [...r.notes];
  let name = draft.name;
  for (let n = 1; n <= 20 && (await db.experiment.findUnique({ where: { name }, select: { id: true } })); n++) {
    const suffix = n === 1 ? ' (imported)' : ` (imported ${n})`;
    name = `${draft.name.slice(0, 120 - suffix.length)}${suffix}`;
  }
  if (name !== draft.name) notes.unshift(`An experiment named "${draft.name}" exists already: the draft is named "${name}"`);
  const created = await createExperiment(db, actor, { draft: { ...draft, name } });
  return { ...created, name, notes };
}

// Manifests for Kubernetes users over REST: a rollout as Argo Rollouts YAML, an experiment as
// Chaos Mesh YAML (application/yaml, ready for `kubectl apply -f -`), and the same YAML posted
// back as a new draft. Each route is the manifests.* procedure of the console (same roles,
// refusals and audit).
import type { ProcedureRoute } from '../route';

const tag = 'manifests';
const byId = (raw: { params: Record<string, string> }) => ({ id: raw.params.id });

/**
 * The YAML with what it cannot express as comments on top: a REST answer has one body, and a
 * person piping it to a file or to kubectl should still read the notes first.
 */
export function yamlWithNotes(output: unknown): string {
  const { yaml, notes } = output as { yaml: string; notes: string[] };
  const comments = notes.map((n) => `# NOTE: ${n.replace(/\r?\n/g, ' ')}\n`).join('');
  return `${comments}${yaml}`;
}

export const manifestRoutes: ProcedureRoute[] = [
  {
    method: 'GET',
    path: '/rollouts/{id}/manifest',
    procedure: 'manifests.rolloutExport',
    operationId: 'rolloutManifest',
    summary: 'The rollout as Argo Rollouts YAML (a Rollout and its AnalysisTemplates); what Argo cannot express is listed in # NOTE comments on top.',
    tag,
    mapInput: byId,
    mapOutput: yamlWithNotes,
    contentType: 'application/yaml',
  },
  {
    method: 'GET',
    path: '/experiments/{id}/manifest',
    procedure: 'manifests.experimentExport',
    operationId: 'experimentManifest',
    summary: 'The experiment as Chaos Mesh YAML (NetworkChaos, HTTPChaos, PodChaos or StressChaos; a Schedule per cron schedule); what Chaos Mesh cannot express is listed in # NOTE comments on top.',
    tag,
    mapInput: byId,
    mapOutput: yamlWithNotes,
    contentType: 'application/yaml',
  },
  {
    method: 'POST',
    path: '/rollouts/import',
    procedure: 'manifests.rolloutImport',
    operationId: 'importRollout',
    summary: 'Create a pending rollout from Argo Rollouts YAML (body {yaml}); answers {id, version, name, notes} — the notes say what was dropped or defaulted.',
    tag,
    successStatus: 201,
  },
  {
    method: 'POST',
    path: '/experiments/import',
    procedure: 'manifests.experimentImport',
    operationId: 'importExperiment',
    summary: 'Create an experiment draft from Chaos Mesh YAML (body {yaml}); answers {id, version, name, notes} — the notes say what was dropped or defaulted.',
    tag,
    successStatus: 201,
  },
];

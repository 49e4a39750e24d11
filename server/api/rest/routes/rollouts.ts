// Canary rollouts over REST: the list and one rollout, authoring, the run actions (start, pause,
// promote, …) and its history. Every route is the rollouts.* procedure the console calls, so the
// role tier, the refusals in words and the audit row are the same. Approve/reject by rollout id
// (what the CLI and chat links use) live in approvals.ts.
import { z } from 'zod';
import { name } from '../../../domain/inputs';
import type { ProcedureRoute } from '../route';
import { bodyWithParams, defined, queryTexts, versionOf, type RawRequest } from './map-input';

const tag = 'rollouts';
const byId = bodyWithParams();

/** A run action on one rollout: body {version?, reason?}; If-Match fills the version. */
function action(slug: string, procedure: string, operationId: string, summary: string, more: Partial<ProcedureRoute> = {}): ProcedureRoute {
  return { method: 'POST', path: `/rollouts/{id}/${slug}`, procedure, operationId, summary, tag, versionField: 'version', mapInput: byId, ...more };
}

export const rolloutRoutes: ProcedureRoute[] = [
  {
    method: 'GET',
    path: '/rollouts',
    procedure: 'rollouts.list',
    operationId: 'listRollouts',
    summary: 'Rollouts, newest first; filter by service, state or words (q).',
    tag,
    paginated: {},
    mapInput: (raw: RawRequest) => queryTexts(raw, ['service', 'state', 'q']),
  },
  { method: 'POST', path: '/rollouts', procedure: 'rollouts.create', operationId: 'createRollout', summary: 'Create a rollout from a spec (state pending).', tag, successStatus: 201 },
  { method: 'POST', path: '/rollouts/preview', procedure: 'rollouts.preview', operationId: 'previewRollout', summary: 'What a spec would do, checked against the live fleet, without saving it.', tag },
  { method: 'GET', path: '/rollouts/{id}', procedure: 'rollouts.get', operationId: 'getRollout', summary: 'One rollout with its steps, analysis runs, approvals and events (ETag: its version).', tag, mapInput: byId },
  { method: 'PUT', path: '/rollouts/{id}', procedure: 'rollouts.update', operationId: 'updateRollout', summary: 'Replace the spec of a pending rollout (If-Match: its version).', tag, versionField: 'version', mapInput: byId },
  {
    method: 'DELETE',
    path: '/rollouts/{id}',
    procedure: 'rollouts.remove',
    operationId: 'deleteRollout',
    summary: 'Delete a rollout that has not started (If-Match or ?version=).',
    tag,
    versionField: 'version',
    mapInput: (raw: RawRequest) => defined({ id: raw.params.id, version: versionOf(raw) }),
  },
  { method: 'GET', path: '/rollouts/{id}/history', procedure: 'rollouts.history', operationId: 'rolloutHistory', summary: 'Every state change and decision of a rollout, oldest first.', tag, mapInput: byId },
  action('start', 'rollouts.start', 'startRollout', 'Start a pending rollout (If-Match or body version; Idempotency-Key replays the first answer).', { idempotent: true }),
  action('pause', 'rollouts.pause', 'pauseRollout', 'Pause a progressing rollout at its current step.'),
  action('resume', 'rollouts.resume', 'resumeRollout', 'Resume a paused rollout.'),
  action('retry', 'rollouts.retry', 'retryRollout', 'Retry a rolled-back rollout from its first step.'),
  action('abort', 'rollouts.abort', 'abortRollout', 'Abort a rollout: traffic goes back to the stable version (body {reason}).'),
  action('promote', 'rollouts.promote', 'promoteRollout', 'Promote to the next step (approvers; never on a rollout you created or started).'),
  action('promote-full', 'rollouts.promoteFull', 'promoteRolloutFull', 'Skip the remaining steps and send all traffic to the canary (body {reason}).'),
  action('override-guard', 'rollouts.overrideGuard', 'overrideRolloutGuard', 'Continue despite a topology guard (body {reason}).'),
  action('override-freeze', 'rollouts.overrideFreeze', 'overrideRolloutFreeze', 'Continue a rollout held by a freeze window (body {reason}).'),
  {
    method: 'GET',
    path: '/services/{name}/rollout-template',
    procedure: 'rollouts.template',
    operationId: 'rolloutTemplate',
    summary: "A starting spec for a service's next rollout (its versions, the default steps).",
    tag,
    mapInput: (raw: RawRequest) => ({ service: raw.params.name }),
    requestSchema: z.object({ name: name() }).strict(),
  },
  { method: 'GET', path: '/approvals/pending', procedure: 'rollouts.pendingApprovals', operationId: 'pendingApprovals', summary: 'How many open approval requests you may decide.', tag },
  {
    method: 'POST',
    path: '/approvals/{requestId}/decide',
    procedure: 'rollouts.decide',
    operationId: 'decideApproval',
    summary: 'Approve or reject one approval request (body {decision, reason}).',
    tag,
    mapInput: bodyWithParams(),
  },
];

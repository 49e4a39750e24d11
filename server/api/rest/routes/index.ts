import type { RestRoute } from '../route';
import { approvalRoutes } from './approvals';
import { experimentRoutes } from './experiments';
import { machineRoutes } from './machines';
import { manifestRoutes } from './manifests';
import { platformRoutes } from './platform';
import { policyRoutes } from './policies';
import { rolloutRoutes } from './rollouts';
import { runRoutes } from './runs';
import { safetyRoutes } from './safety';
import { statusRoutes } from './status';
import { systemRoutes } from './system';
import { tokenRoutes } from './tokens';
import { topologyRoutes } from './topology';
import { userRoutes } from './users';
import { webhookRoutes } from './webhooks';

// Every /api/v1 route, one file per subject; each file's routes are added here in one line.
export const restRoutes: RestRoute[] = [
  ...statusRoutes,
  ...rolloutRoutes,
  ...approvalRoutes,
  ...experimentRoutes,
  ...runRoutes,
  ...safetyRoutes,
  ...policyRoutes,
  ...topologyRoutes,
  ...machineRoutes,
  ...systemRoutes,
  ...platformRoutes,
  ...userRoutes,
  ...manifestRoutes,
  ...tokenRoutes,
  ...webhookRoutes,
];

/**
 * Procedures of the console's tRPC router that have no REST route on purpose, each with the
 * reason. routes/coverage.test.ts fails for a procedure that is neither routed nor listed here,
 * so a new console action cannot be forgotten by the API.
 */
export const notRouted: Record<string, string> = {
  'auth.login': 'Browser sessions: REST clients authenticate with an API token (Authorization: Bearer), not a password and a cookie.',
  'auth.logout': 'Browser sessions: a REST client has no session to end; an API token is revoked instead (DELETE /tokens/{id}).',
  'auth.me': 'Browser sessions: the console asks who is signed in by cookie; a token answers for its user on every request.',
  'live.events': "Subscription: the console's server-sent change feed; REST clients poll the GET of the resource instead.",
  'rollouts.onChange': 'Subscription: the console’s live rollout feed; REST clients poll GET /rollouts/{id} (the CLI’s `rollouts watch` does).',
  'safety.onChange': 'Subscription: the console’s live safety feed; REST clients poll GET /halt.',
  'experiments.runs.onChange': 'Subscription: the console’s live run feed; REST clients poll GET /runs/{id}.',
  'telemetry.ticks': 'Subscription: one event per telemetry tick for the console’s pages; REST clients poll the reads.',
  'telemetry.instanceLive': 'Subscription: the live instance chart; REST clients poll GET /instances/{name} or the series.',
  'telemetry.serviceLive': 'Subscription: the live service chart; REST clients poll GET /services/{name} or the series.',
  'topologyMap.live': 'Subscription: the live topology map; REST clients poll GET /topology/map.',
  'policies.previewProgress': "The console's progress bar for a preview it waits on; a REST preview answers with the whole result when it is done.",
  'policies.warmPreview': "The console starts the preview's replay thread while its user drafts; a REST preview starts the thread itself when it needs one.",
  'serviceGraph.live': 'Subscription: the live service graph; REST clients poll GET /topology/services.',
};

import { randomBytes } from 'node:crypto';
import type { PlausibleRow } from './rest-role-inputs';
import { specFor } from './rollout-fixtures';
import { draftFor } from './safety-fixtures';
import { defaultPolicies } from '../server/domain/policy-defaults';

// Plausible requests for the routes of server/api/rest/routes/* that reach the console's
// procedures (rollouts, experiments, runs, safety, policies, topology, machines, platform, sim,
// users, audit, /status), for the REST role matrix. Most name a row that does not exist: the
// answer after the role guard is then 404 (or 409/412/422), which is what the matrix allows —
// and no row of the shared fleet is changed for the routes that follow.

const NO_ID = '00000000-0000-4000-8000-000000000000';
const unique = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;
const reason = { reason: 'role matrix' };
const spec = () => specFor('svc-matrix', [{ kind: 'setWeight', weight: 10 }]);
const window = () => ({ name: 'matrix', reason: 'matrix', kind: 'one_off', startsAt: new Date(Date.now() + 86_400_000).toISOString(), endsAt: new Date(Date.now() + 90_000_000).toISOString() });
const versionOf = async (t: Parameters<PlausibleRow>[0], kind: 'breaker') => (await t.db.policy.findFirstOrThrow({ where: { kind, scope: 'global' } })).version;

const byId = (body?: unknown): PlausibleRow => () => ({ params: { id: NO_ID }, ...(body === undefined ? {} : { body }) });
const rolloutAction = (withReason = false) => byId({ version: 1, ...(withReason ? reason : {}) });

export const consoleRouteInputs: Record<string, PlausibleRow> = {
  'GET /status': () => ({}),

  'GET /rollouts': () => ({ query: { state: 'progressing', limit: '5' } }),
  'POST /rollouts': () => ({ body: { spec: spec() } }),
  'POST /rollouts/preview': () => ({ body: { spec: spec() } }),
  'GET /rollouts/{id}': byId(),
  'PUT /rollouts/{id}': byId({ version: 1, spec: spec() }),
  'DELETE /rollouts/{id}': () => ({ params: { id: NO_ID }, query: { version: '1' } }),
  'GET /rollouts/{id}/history': byId(),
  'POST /rollouts/{id}/start': rolloutAction(),
  'POST /rollouts/{id}/pause': rolloutAction(),
  'POST /rollouts/{id}/resume': rolloutAction(),
  'POST /rollouts/{id}/retry': rolloutAction(),
  'POST /rollouts/{id}/abort': rolloutAction(true),
  'POST /rollouts/{id}/promote': rolloutAction(),
  'POST /rollouts/{id}/promote-full': rolloutAction(true),
  'POST /rollouts/{id}/override-guard': rolloutAction(true),
  'POST /rollouts/{id}/override-freeze': rolloutAction(true),
  'POST /rollouts/{id}/approve': byId(reason),
  'POST /rollouts/{id}/reject': byId(reason),
  'GET /services/{name}/rollout-template': () => ({ params: { name: 'svc-matrix' } }),
  'GET /approvals/pending': () => ({}),
  'POST /approvals/{requestId}/decide': () => ({ params: { requestId: NO_ID }, body: { decision: 'approve', ...reason } }),

  'GET /experiments': () => ({ query: { archived: 'all' } }),
  'POST /experiments': () => ({ body: { draft: draftFor('svc-matrix') } }),
  'POST /experiments/preview': () => ({ body: { spec: draftFor('svc-matrix').spec } }),
  'GET /experiment-templates': () => ({}),
  'GET /experiments/{id}': byId(),
  'PUT /experiments/{id}': byId({ version: 1, draft: draftFor('svc-matrix') }),
  'POST /experiments/{id}/archive': byId({ version: 1 }),
  'GET /schedules': () => ({}),
  'POST /schedules': () => ({ body: { experimentId: NO_ID, cron: '0 3 * * *' } }),
  'POST /schedules/evaluate': () => ({ body: {} }),
  'GET /schedules/next-runs': () => ({ query: { cron: '*/10 * * * *', n: '3' } }),
  'PUT /schedules/{id}': byId({ version: 1, cron: '0 4 * * *', concurrency: 'allow', historyLimit: 3, enabled: true }),
  'DELETE /schedules/{id}': () => ({ params: { id: NO_ID }, query: { version: '1' } }),
  'POST /experiments/{id}/runs': byId({}),
  'GET /experiments/{id}/runs': byId(),
  'GET /runs': () => ({ query: { state: 'running' } }),
  'GET /runs/{id}': byId(),
  'POST /runs/{id}/abort': byId(reason),
  'GET /runs/{id}/report': () => ({ params: { id: NO_ID }, query: { format: 'markdown' } }),

  'GET /halt': () => ({}),
  // The first role allowed engages; the next ones are told it is engaged (409), and the release
  // row frees it again for whatever follows.
  'POST /halt/engage': () => ({ body: reason }),
  'POST /halt/release': () => ({ body: reason }),
  'GET /halts': () => ({ query: { limit: '5' } }),
  'GET /freeze-windows': () => ({}),
  'POST /freeze-windows': () => ({ body: { window: window() } }),
  'PUT /freeze-windows/{id}': byId({ version: 1, window: window() }),
  'DELETE /freeze-windows/{id}': () => ({ params: { id: NO_ID }, query: { version: '1' } }),
  'GET /limits': () => ({}),
  // A stale version (0 after the first change): 409/412 once the guard let the admin through.
  'PUT /limits': () => ({ body: { version: 0, limits: { maxBlastRadiusPct: 50 } } }),

  'GET /policies': () => ({}),
  'GET /policies/{kind}/{scope}': () => ({ params: { kind: 'watermark', scope: 'global' } }),
  'GET /policies/{kind}/{scope}/diff': () => ({ params: { kind: 'watermark', scope: 'global' }, query: { a: '1', b: '1' } }),
  'POST /policies/{kind}/{scope}/preview': () => ({ params: { kind: 'watermark', scope: 'global' }, body: { document: { ...defaultPolicies.watermark }, minutes: 5 } }),
  'PUT /policies/{kind}/{scope}/draft': () => ({ params: { kind: 'watermark', scope: 'global' }, body: { baseVersion: 1, document: { ...defaultPolicies.watermark } } }),
  'POST /policies/{kind}/{scope}/publish': async (t) => ({
    params: { kind: 'breaker', scope: 'global' },
    headers: { 'if-match': `"${await versionOf(t, 'breaker')}"` },
    body: { document: { ...defaultPolicies.breaker }, message: 'matrix' },
  }),
  'POST /policies/{kind}/{scope}/rollback': async (t) => ({ params: { kind: 'breaker', scope: 'global' }, body: { toVersion: 1, expectedVersion: await versionOf(t, 'breaker') } }),

  'GET /topology': () => ({}),
  'GET /topology/health': () => ({}),
  'GET /topology/map': () => ({}),
  'GET /topology/services': () => ({}),
  'PUT /topology/services/{serviceId}/calls': async (t) => ({ params: { serviceId: (await t.db.service.findFirstOrThrow()).id }, body: { callees: [] } }),
  'GET /topology/clusters/{name}': () => ({ params: { name: 'c-matrix' } }),
  'PATCH /topology/services/{id}': byId({ version: 1, description: 'matrix' }),
  'GET /services': () => ({}),
  'GET /services/{name}': () => ({ params: { name: 'svc-matrix' } }),
  'GET /telemetry/services/{id}/series': async (t) => ({ params: { id: (await t.db.service.findFirstOrThrow()).id }, query: { lastS: '300' } }),
  'GET /instances': () => ({ query: { service: 'svc-matrix', limit: '5' } }),
  'GET /instances/{name}': async (t) => ({ params: { name: (await t.db.instance.findFirstOrThrow()).name } }),
  'GET /telemetry/instances/{id}/series': async (t) => ({ params: { id: (await t.db.instance.findFirstOrThrow()).id }, query: { lastS: '300' } }),

  'GET /machines/{machine}': () => ({ params: { machine: 'degradation' } }),
  'GET /machines/{machine}/transitions': () => ({ params: { machine: 'breaker' }, query: { fromState: 'closed', toState: 'open' } }),
  'GET /machines/{machine}/history': () => ({ params: { machine: 'stage' } }),
  'GET /machines/{machine}/in-state': () => ({ params: { machine: 'stage' }, query: { state: 'blocked' } }),
  'GET /timeline': () => ({ query: { from: String(Date.now() - 60_000), to: String(Date.now()), kinds: 'rollout,safety' } }),

  'POST /platform/adapters': () => ({ body: { name: unique('sim-matrix'), kind: 'sim', config: { seed: 7 } } }),
  'PUT /platform/adapters/{id}': byId({ version: 1, name: 'matrix', kind: 'sim', config: {} }),
  'POST /platform/adapters/{id}/activate': byId({ version: 1 }),
  'POST /platform/adapters/{id}/import-topology': byId(),
  'POST /platform/connection-test': () => ({ body: { kind: 'sim', config: {} } }),
  'GET /sim': () => ({}),
  'POST /sim/demand': async (t) => ({ body: { serviceId: (await t.db.service.findFirstOrThrow()).id, factor: 1.5, durationS: 60 } }),
  'POST /sim/stress': () => ({ body: { instanceName: 'no-such-instance', cpuPct: 50, durationS: 60 } }),
  'PUT /sim/versions/{version}': () => ({ params: { version: 'v2' }, body: { latencyFactor: 1, errorPct: 0.2, cpuFactor: 1 } }),
  'DELETE /sim/versions/{version}': () => ({ params: { version: 'v2' } }),
  'POST /sim/clear': () => ({}),

  'GET /users': () => ({}),
  'POST /users': () => ({ body: { name: unique('u').replace('-', ''), role: 'viewer' } }),
  'PUT /users/{id}/role': byId({ role: 'operator', version: 1 }),
  'PUT /users/{id}/active': byId({ active: false, version: 1 }),
  'POST /users/{id}/reset-password': byId({ version: 1 }),
  'PUT /me/time-zone': () => ({ body: { timeZone: 'utc' } }),
  // The wrong current password: refused in words after the role guard (the token's user keeps theirs).
  'PUT /me/password': () => ({ body: { current: 'wrong-password', next: 'a-new-password-123' } }),
  'GET /audit': () => ({ query: { limit: '5' } }),
  'GET /audit/facets': () => ({}),
};

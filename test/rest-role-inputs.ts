import type { TestDb } from './context';
import { consoleRouteInputs } from './rest-role-inputs-console';
import { webhookRouteInputs } from './rest-role-inputs-webhooks';

// Plausible requests for every /api/v1 route, for the REST role matrix
// (server/api/rest/rest-role-matrix.int.test.ts): one row per `METHOD /path` of restRoutes. A
// route without a row fails the matrix. A row makes a fresh request each time it is called
// (writes use up their rows: give each call its own), from the file's database, which holds the
// role matrix's fleet (service 'svc-matrix' in cluster 'c-matrix') and the default policies.
// What counts is that the role guard is passed: a 404/409/422 after it is fine, a 401/403 is not.

export interface PlausibleRequest {
  /** Values for the `{param}`s of the path. */
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
}

export type PlausibleRow = (t: TestDb) => Promise<PlausibleRequest> | PlausibleRequest;

export const restRoleInputs: Record<string, PlausibleRow> = {
  'GET /system/health': () => ({}),
  'GET /system/workers': () => ({ query: { limit: '10' } }),
  'GET /system/adapters': () => ({}),
  // API tokens: each call makes a token of its own name; revoking an absent token passes the guard (404).
  'GET /tokens': () => ({}),
  'GET /tokens/all': () => ({ query: { limit: '10' } }),
  'POST /tokens': () => ({ body: { name: `m-${Math.random().toString(36).slice(2, 10)}`, role: 'viewer', expiresInDays: 1 } }),
  'DELETE /tokens/{id}': () => ({ params: { id: '00000000-0000-4000-8000-000000000000' }, body: { reason: 'matrix' } }),
  // The console's procedures (server/api/rest/routes/*): rollouts, experiments, safety, policies, …
  ...consoleRouteInputs,
  // Manifests: export of a rollout/experiment that does not exist (404 after the guard); import of
  // a document of the wrong kind (422 in words after the guard).
  'GET /rollouts/{id}/manifest': () => ({ params: { id: '00000000-0000-4000-8000-000000000000' } }),
  'GET /experiments/{id}/manifest': () => ({ params: { id: '00000000-0000-4000-8000-000000000000' } }),
  'POST /rollouts/import': () => ({ body: { yaml: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: matrix }\n' } }),
  'POST /experiments/import': () => ({ body: { yaml: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: matrix }\n' } }),
  ...webhookRouteInputs,
};

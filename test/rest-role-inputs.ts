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
  // The console's procedures (server/api/rest/routes/*): rollouts, experiments, safety, policies, …
  ...consoleRouteInputs,
  ...webhookRouteInputs,
};

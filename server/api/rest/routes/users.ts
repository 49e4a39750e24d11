// Users and audit over REST. Admins manage users (as in the console); anyone reads the audit
// log; a token's own user sets their preferences and password (the current one is required, so a
// leaked token alone cannot take over the account).
import type { ProcedureRoute } from '../route';
import { bodyWithParams, defined, queryNumber, queryTexts, type RawRequest } from './map-input';

const byId = bodyWithParams();

export const userRoutes: ProcedureRoute[] = [
  { method: 'GET', path: '/users', procedure: 'users.list', operationId: 'listUsers', summary: 'Every user, by name (admins).', tag: 'users', paginated: {} },
  { method: 'POST', path: '/users', procedure: 'users.create', operationId: 'createUser', summary: 'Create a user (admins); without a password one is generated and shown once.', tag: 'users', successStatus: 201 },
  { method: 'PUT', path: '/users/{id}/role', procedure: 'users.setRole', operationId: 'setUserRole', summary: "Change a user's role (body {role}; If-Match: the user's version).", tag: 'users', versionField: 'version', mapInput: byId },
  { method: 'PUT', path: '/users/{id}/active', procedure: 'users.setActive', operationId: 'setUserActive', summary: 'Deactivate or reactivate a user (body {active}); deactivating ends their sessions and tokens.', tag: 'users', versionField: 'version', mapInput: byId },
  { method: 'POST', path: '/users/{id}/reset-password', procedure: 'users.resetPassword', operationId: 'resetUserPassword', summary: 'Give a user a new generated password, shown once (If-Match: the user’s version).', tag: 'users', versionField: 'version', mapInput: byId },
  { method: 'PUT', path: '/me/time-zone', procedure: 'users.setTimeZonePreference', operationId: 'setMyTimeZone', summary: 'Show times to you in UTC or your local zone (body {timeZone}).', tag: 'users' },
  { method: 'PUT', path: '/me/password', procedure: 'auth.changePassword', operationId: 'changeMyPassword', summary: 'Change your own password (body {current, next}).', tag: 'users' },
  {
    method: 'GET',
    path: '/audit',
    procedure: 'audit.list',
    operationId: 'listAudit',
    // The procedure pages by cursor itself ({items, nextCursor}, rows newest first), so REST passes
    // limit and cursor through instead of cutting a list again.
    summary: 'The audit log, newest first (?actor=&action=&targetType=&q=&from=&to=&limit=&cursor=; answers {items, nextCursor}).',
    tag: 'audit',
    mapInput: (raw: RawRequest) => {
      const t = queryTexts(raw, ['actor', 'action', 'targetType', 'q', 'cursor', 'from', 'to']);
      // from/to: epoch milliseconds or an ISO date.
      for (const k of ['from', 'to'] as const) if (t[k] !== undefined && /^\d+$/.test(t[k])) (t as Record<string, unknown>)[k] = Number(t[k]);
      return defined({ ...t, limit: queryNumber(raw, 'limit') });
    },
  },
  { method: 'GET', path: '/audit/facets', procedure: 'audit.facets', operationId: 'auditFacets', summary: 'The actors, actions and target types found in the audit log.', tag: 'audit' },
];

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../db/generated/enums';
import { makeDefaultPolicies, makeFleet } from '../../db/factories';
import { ROLES } from '../../auth/roles';
import { openTestDb, type TestDb } from '../../../test/context';
import { restCall, tokenFor } from '../../../test/api-fixtures';
import { restRoleInputs } from '../../../test/rest-role-inputs';
import { restRoutes } from './routes';
import { minRoleOf } from './schema';

// Every /api/v1 route × every role, through the real handler with real tokens: below the
// route's least role the answer is 403 (401 without a token); at or above it, neither. The
// least role is the procedure's own tier (server/api/role-matrix.int.test.ts proves each tier
// against its own table) or a handler route's `min`. Requests come from test/rest-role-inputs.ts:
// a route without a row there fails the first test.

let t: TestDb;
const tokens = new Map<Role, string>();
beforeAll(async () => {
  t = await openTestDb();
  await makeFleet(t.db, {
    regions: [{ name: 'r-matrix', zones: [{ name: 'z-matrix', clusters: ['c-matrix'] }] }],
    services: [{ name: 'svc-matrix', placement: [{ cluster: 'c-matrix', versions: { v1: 2 } }] }],
  });
  await makeDefaultPolicies(t.db);
  for (const role of ROLES) tokens.set(role, (await tokenFor(t.db, role, { name: `matrix-${role}` })).secret);
});
afterAll(() => t.close());

const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
const rank = { public: -1, viewer: 0, operator: 1, approver: 2, admin: 3 } as const;

describe('REST role matrix', () => {
  it('has a plausible request for every route, and none for a route that is gone', () => {
    expect(Object.keys(restRoleInputs).sort()).toEqual(restRoutes.map(key).sort());
  });

  for (const route of restRoutes) {
    const min = minRoleOf(route);
    for (const role of [null, ...ROLES] as const) {
      const allowed = min === 'public' || (role !== null && rank[role] >= rank[min]);
      it(`${key(route)} ${allowed ? 'allows' : 'refuses'} ${role ?? 'anonymous'} (least role ${min})`, async () => {
        const row = restRoleInputs[key(route)];
        expect(row, `a row for ${key(route)} in test/rest-role-inputs.ts`).toBeDefined();
        const req = await row!(t);
        const path = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(req.params?.[name] ?? `missing-${name}`));
        const qs = req.query ? `?${new URLSearchParams(req.query).toString()}` : '';
        const r = await restCall(t.db, route.method, path + qs, { ...(role ? { token: tokens.get(role)! } : {}), body: req.body, headers: req.headers ?? {} });
        if (allowed) {
          expect([401, 403], `${r.status} ${r.json.detail ?? ''}`).not.toContain(r.status);
          expect(r.status, r.text.slice(0, 300)).toBeLessThan(500);
        } else {
          expect([r.status, r.json.detail]).toEqual(role === null ? [401, expect.any(String)] : [403, `This needs the ${min} role; you are ${role}.`]);
        }
      });
    }
  }
});

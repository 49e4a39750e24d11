import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import superjson from 'superjson';
import { appRouter } from './root';
import type { Context } from './trpc';
import { getSessionUser, readCookie, SESSION_COOKIE } from '../auth/sessions';
import { makeUser } from '../db/factories';
import { openTestDb, type TestDb } from '../../test/context';

// The API as a browser sees it: HTTP requests through the same fetch handler as the route,
// cookies and all. Only the database differs (this file's own).
let t: TestDb;
beforeAll(async () => (t = await openTestDb()));
afterAll(() => t.close());

async function call(path: string, input: unknown, opts: { cookie?: string; method?: 'GET' | 'POST' } = {}) {
  const method = opts.method ?? 'POST';
  const body = JSON.stringify(superjson.serialize(input));
  const url = method === 'GET' ? `http://test/api/trpc/${path}?input=${encodeURIComponent(body)}` : `http://test/api/trpc/${path}`;
  const res = await fetchRequestHandler({
    endpoint: '/api/trpc',
    req: new Request(url, { method, body: method === 'POST' ? body : undefined, headers: { 'content-type': 'application/json', cookie: opts.cookie ?? '' } }),
    router: appRouter,
    createContext: async ({ req, resHeaders }): Promise<Context> => {
      const token = readCookie(req.headers.get('cookie'), SESSION_COOKIE);
      return { db: t.db, user: await getSessionUser(t.db, token), token, resHeaders, meta: { ip: '', userAgent: 'test' }, config: { sessionHours: 1, cookieSecure: false } };
    },
  });
  const json = (await res.json()) as { result?: { data: unknown }; error?: { json: { message: string; data: { code: string; httpStatus: number; fieldErrors: Record<string, string[]> | null } } } };
  return { status: res.status, json, setCookie: res.headers.get('set-cookie') };
}

async function loginAs(role: 'viewer' | 'admin') {
  const { user, password } = await makeUser(t.db, { role });
  const r = await call('auth.login', { name: user.name, password });
  expect(r.status).toBe(200);
  const cookie = r.setCookie!.split(';')[0]!;
  return { user, cookie };
}

describe('HTTP API', () => {
  it('login sets an httpOnly SameSite session cookie that authenticates later calls; logout ends it', async () => {
    const { user, cookie } = await loginAs('viewer');
    const me = await call('auth.me', undefined, { cookie, method: 'GET' });
    expect(me.json.result?.data).toMatchObject({ json: { name: user.name, role: 'viewer' } });
    const out = await call('auth.logout', undefined, { cookie });
    expect(out.setCookie).toContain('Max-Age=0');
    const after = await call('auth.me', undefined, { cookie, method: 'GET' });
    expect(after.json.result?.data).toMatchObject({ json: null });
  });

  it('the session cookie is httpOnly and SameSite', async () => {
    const { user, password } = await makeUser(t.db);
    const r = await call('auth.login', { name: user.name, password });
    expect(r.setCookie).toMatch(/HttpOnly/);
    expect(r.setCookie).toMatch(/SameSite=Lax/);
  });

  it('a wrong password is a 401 with the message on the password field', async () => {
    const { user } = await makeUser(t.db);
    const r = await call('auth.login', { name: user.name, password: 'nope' });
    expect(r.status).toBe(401);
    expect(r.json.error?.json.data.fieldErrors).toEqual({ password: ['Wrong user name or password'] });
  });

  it('invalid input comes back as 400 with errors per field, in words', async () => {
    const { cookie } = await loginAs('admin');
    const r = await call('users.create', { name: 'X!', role: 'king', password: 'short' }, { cookie });
    expect(r.status).toBe(400);
    const fe = r.json.error!.json.data.fieldErrors!;
    expect(fe.name?.[0]).toMatch(/lowercase/);
    expect(fe.role?.[0]).toMatch(/viewer, operator, approver, admin/);
    expect(fe.password?.[0]).toMatch(/At least 10 characters/);
    expect(r.json.error!.json.message).toBe('Some fields need attention.');
  });

  it('a stale write is a 409 naming the current version', async () => {
    const { cookie } = await loginAs('admin');
    const { user } = await makeUser(t.db);
    expect((await call('users.setRole', { id: user.id, role: 'operator', version: user.version }, { cookie })).status).toBe(200);
    const r = await call('users.setRole', { id: user.id, role: 'admin', version: user.version }, { cookie });
    expect(r.status).toBe(409);
    expect(r.json.error!.json.message).toContain(`it is now version ${user.version + 1}`);
  });

  it('a viewer calling an admin procedure gets 403 in words', async () => {
    const { cookie } = await loginAs('viewer');
    const r = await call('users.list', undefined, { cookie, method: 'GET' });
    expect(r.status).toBe(403);
    expect(r.json.error!.json.message).toBe('This needs the admin role; you are viewer.');
  });
});

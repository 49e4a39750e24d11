import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { z } from 'zod';
import { MAX_BATCH } from './request-guard';
import { contextFor, openTestDb, type TestDb } from '../../test/context';
import { errorOf, httpApi, ORIGIN } from '../../test/http';
import { publicProcedure, router } from './trpc';

// The API's edge over HTTP: CSRF, batches, superjson meta, bad input and what a 500 tells.
let t: TestDb;
let api: ReturnType<typeof httpApi>;
beforeAll(async () => {
  t = await openTestDb();
  api = httpApi(t);
});
afterAll(() => t.close());

const clearCount = () => t.db.auditEvent.count({ where: { action: 'sim.clear' } });

describe('cross-site changes (CSRF)', () => {
  it('a multipart form from another port of the same host does not run sim.clear: 415', async () => {
    const cookie = await api.signIn('operator');
    const before = await clearCount();
    const form = new FormData();
    form.set('x', '1');
    const r = await api.send('sim.clear', { method: 'POST', body: form, headers: { cookie, origin: 'http://127.0.0.1:3999', 'sec-fetch-site': 'same-site' } });
    expect(r.status).toBe(415);
    expect(errorOf(r.json)?.message).toMatch(/application\/json/);
    expect(await clearCount()).toBe(before);
  });

  it('JSON from another origin is refused with 403 in words, by Origin or by Sec-Fetch-Site', async () => {
    const cookie = await api.signIn('operator');
    const before = await clearCount();
    const variants: Array<Record<string, string>> = [{ origin: 'http://127.0.0.1:3999' }, { 'sec-fetch-site': 'same-site' }, { 'sec-fetch-site': 'cross-site' }];
    for (const headers of variants) {
      const r = await api.send('sim.clear', { method: 'POST', body: JSON.stringify({ json: {} }), headers: { 'content-type': 'application/json', cookie, ...headers } });
      expect(r.status, JSON.stringify(headers)).toBe(403);
      expect(errorOf(r.json)?.message).toMatch(/from another site/);
    }
    expect(await clearCount()).toBe(before);
  });

  it('the console (JSON, own origin) and a CLI (JSON, neither header) still change things', async () => {
    const cookie = await api.signIn('operator');
    const before = await clearCount();
    expect((await api.mutate('sim.clear', {}, { cookie })).status).toBe(200);
    expect((await api.mutate('sim.clear', {}, { cookie, origin: ORIGIN, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    const cli = await api.send('sim.clear', { method: 'POST', body: JSON.stringify({ json: {} }), headers: { 'content-type': 'application/json', cookie } });
    expect(cli.status).toBe(200);
    expect(await clearCount()).toBe(before + 3);
  });

  it('behind a proxy, the configured public URL is this origin', async () => {
    const proxied = httpApi(t, { publicUrl: 'https://switchback.example.com' });
    const cookie = await proxied.signIn('operator');
    expect((await proxied.mutate('sim.clear', {}, { cookie, origin: 'https://switchback.example.com' })).status).toBe(200);
  });
});

describe('batches and superjson', () => {
  const batch = (n: number) => ({
    path: Array.from({ length: n }, () => 'auth.me').join(','),
    query: `batch=1&input=${encodeURIComponent(JSON.stringify({}))}`,
  });

  it(`a batch of more than ${MAX_BATCH} calls is a 400 in words; ${MAX_BATCH} pass`, async () => {
    const cookie = await api.signIn('viewer');
    const big = batch(200);
    const r = await api.send(big.path, { method: 'GET', query: big.query, headers: { cookie } });
    expect(r.status).toBe(400);
    expect(errorOf(r.json)?.message).toBe(`A batch may hold at most ${MAX_BATCH} calls; this one has 200. Split it into smaller batches.`);
    const ok = batch(MAX_BATCH);
    const fine = await api.send(ok.path, { method: 'GET', query: ok.query, headers: { cookie } });
    expect(fine.status).toBe(200);
    expect(fine.json).toHaveLength(MAX_BATCH);
  });

  it('a malformed superjson meta is a 400 in words, not a stack overflow', async () => {
    const bad = JSON.stringify({ json: {}, meta: { values: 'x' } });
    const cookie = await api.signIn('viewer');
    const asQuery = await api.send('audit.list', { method: 'GET', query: `input=${encodeURIComponent(bad)}`, headers: { cookie } });
    const asMutation = await api.send('auth.login', { method: 'POST', body: bad, headers: { 'content-type': 'application/json', origin: ORIGIN } });
    for (const r of [asQuery, asMutation]) {
      expect(r.status).toBe(400);
      expect(errorOf(r.json)?.message).toMatch(/^The request's input is not valid superjson/);
      expect(r.text).not.toMatch(/call stack/i);
    }
  });
});

describe('bad input gets a 400 in words, never a 500', () => {
  it('the inputs that answered 500 with PostgreSQL text', async () => {
    const admin = await api.signIn('admin');
    const viewer = await api.signIn('viewer');
    const { user } = await (await import('../db/factories')).makeUser(t.db);
    const cases = [
      api.mutate('auth.login', { name: 'admin\u0000', password: 'x' }),
      api.mutate('auth.login', { name: 'x'.repeat(1 << 20), password: 'x' }),
      api.mutate('auth.login', { name: 'a\uD800', password: 'x' }),
      api.mutate('users.setRole', { id: user.id, role: 'operator', version: 2 ** 31 }, { cookie: admin }),
      api.query('timeline.events', { from: -8.64e15 - 1, to: 8.64e15 + 1 }, { cookie: viewer }),
      api.query('machines.view', { machine: 'stage', from: 0, to: 2 ** 53 }, { cookie: viewer }),
      api.query('audit.list', { from: new Date(8.64e15) }, { cookie: viewer }),
    ];
    for (const r of await Promise.all(cases)) {
      expect(r.status, r.text.slice(0, 300)).toBe(400);
      expect(errorOf(r.json)?.message).toBe('Some fields need attention.');
    }
  });
});

describe('a 500 tells the client an error id and nothing else', () => {
  // A router of the same tRPC instance: the errorFormatter and error mapping under test are its.
  const broken = router({
    zodBug: publicProcedure.query(() => z.object({ n: z.number() }).parse({ n: 'not a number' })),
    sqlBug: publicProcedure.query(() => t.db.$queryRawUnsafe('SELECT no_such_column FROM "User"')),
    validated: publicProcedure.input(z.object({ n: z.number() })).query(() => 'ok'),
  });
  const call = (path: string, input?: unknown) =>
    fetchRequestHandler({
      endpoint: '/api/trpc',
      req: new Request(`${ORIGIN}/api/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`}`),
      router: broken,
      createContext: () => Promise.resolve(contextFor(t.db, null)),
    });

  it('a ZodError thrown by server code is a bug: 500 with a generic message, details in the log under the id', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      for (const path of ['zodBug', 'sqlBug']) {
        const res = await call(path);
        const text = await res.text();
        expect(res.status, path).toBe(500);
        const err = errorOf(JSON.parse(text))!;
        expect(err.message).toMatch(/^Something went wrong on our side \(error id [0-9a-f]{12}\)\.$/);
        expect(err.data.errorId).toMatch(/^[0-9a-f]{12}$/);
        expect(text).not.toMatch(/prisma|SELECT|no_such_column|ZodError|invalid_type|at Object|\.ts:/i);
        expect(log).toHaveBeenCalledWith(expect.stringContaining(err.data.errorId!), expect.anything());
      }
    } finally {
      log.mockRestore();
    }
  });

  it('input that fails the procedure’s own schema stays a 400 with field errors', async () => {
    const res = await call('validated', { n: 'x' });
    expect(res.status).toBe(400);
    const err = errorOf(await res.json())!;
    expect(err.message).toBe('Some fields need attention.');
    expect(err.data.fieldErrors).toHaveProperty('n');
  });
});

import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { TRPCError } from '@trpc/server';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from './root';
import { createContext } from './context';
import { createDb, type Db } from '../db/client';
import { makeUser } from '../db/factories';
import { createSession, SESSION_COOKIE } from '../auth/sessions';
import { contextFor, openTestDb, type TestDb } from '../../test/context';
import { FreezableProxy } from '../../test/freezable-proxy';

// A database that stops answering (frozen VM, full disk, dead path) is simulated by a TCP proxy
// in front of this file's database that stops forwarding bytes. Every call must then fail within
// the configured bound with a 503 in words, and work again once the database answers.
let t: TestDb;
let proxy: FreezableProxy;
let db: Db;
let cookie: string;
let user: Awaited<ReturnType<typeof makeUser>>['user'];
// Connect 3 s; statement 2 s (+1 s grace before the client gives up on a silent server) = 3 s.
const TIMEOUTS = { connectMs: 3000, statementMs: 2000 };
const WORDS = 'The database did not answer within 3 s; try again shortly.';
/** The bound every call must meet while the database is frozen (3 s + slack for a busy machine). */
const BOUND_MS = 5500;

beforeAll(async () => {
  t = await openTestDb();
  proxy = await FreezableProxy.for(t.url).start();
  db = createDb(proxy.proxied(t.url), 4, TIMEOUTS);
  ({ user } = await makeUser(t.db, { role: 'viewer' }));
  const { token } = await createSession(t.db, user.id, { hours: 1 });
  cookie = `${SESSION_COOKIE}=${token}`;
});
afterAll(async () => {
  proxy.thaw();
  await db.$disconnect();
  await proxy.close();
  await t.close();
});

async function get(path: string) {
  const started = Date.now();
  const res = await fetchRequestHandler({
    endpoint: '/api/trpc',
    req: new Request(`http://test/api/trpc/${path}`, { headers: { cookie } }),
    router: appRouter,
    createContext: ({ req, resHeaders }) => createContext(req, resHeaders, db),
  });
  const json = (await res.json()) as { result?: unknown; error?: { json: { message: string; data: { code: string } } } };
  return { status: res.status, ms: Date.now() - started, message: json.error?.json.message, code: json.error?.json.data.code };
}

/** Rejects instead of waiting forever: without timeouts these calls never return. */
function within<T>(ms: number, p: Promise<T>): Promise<T> {
  return Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms))]);
}

describe('a database that does not answer', () => {
  it('HTTP: the session lookup answers 503 in words within the bound, on pooled and on new connections; the next call after the thaw succeeds', async () => {
    // Two pooled connections exist before the freeze, so both kinds of wait are exercised: a query
    // sent on an open connection (read timeout) and a connection that never opens (connect timeout).
    await Promise.all([get('system.workers'), get('system.workers')]);
    expect((await get('system.workers')).status).toBe(200);
    proxy.freeze();
    try {
      const calls = await within(BOUND_MS + 2000, Promise.all([1, 2, 3, 4, 5, 6].map(() => get('system.workers'))));
      for (const r of calls) {
        expect(r).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', message: WORDS });
        expect(r.ms).toBeLessThan(BOUND_MS);
      }
    } finally {
      proxy.thaw();
    }
    const after = await within(BOUND_MS, get('system.workers'));
    expect(after.status).toBe(200);
  });

  it('a procedure whose query hangs answers SERVICE_UNAVAILABLE (the tRPC error mapping), then recovers', async () => {
    const caller = appRouter.createCaller(contextFor(db, user));
    await caller.system.workers();
    proxy.freeze();
    let err: unknown;
    const started = Date.now();
    try {
      await within(BOUND_MS + 2000, caller.system.workers());
    } catch (e) {
      err = e;
    } finally {
      proxy.thaw();
    }
    expect(Date.now() - started).toBeLessThan(BOUND_MS);
    expect(err).toBeInstanceOf(TRPCError);
    expect(err).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: WORDS });
    await expect(within(BOUND_MS, caller.system.workers())).resolves.toBeInstanceOf(Array);
  });

  it('a table locked by someone else: the statement timeout answers 503 naming its bound, and the connection stays usable', async () => {
    const locker = new pg.Client({ connectionString: t.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE "WorkerHeartbeat" IN ACCESS EXCLUSIVE MODE');
      const r = await within(BOUND_MS + 2000, get('system.workers'));
      expect(r).toMatchObject({ status: 503, message: 'The database did not answer within 2 s; try again shortly.' });
      expect(r.ms).toBeLessThan(BOUND_MS);
      await locker.query('ROLLBACK');
      expect((await within(BOUND_MS, get('system.workers'))).status).toBe(200);
    } finally {
      await locker.end();
    }
  });
});

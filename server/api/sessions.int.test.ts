import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { appRouter, createCaller } from './root';
import type { Context } from './trpc';
import { getSessionUser } from '../auth/sessions';
import { sessionWatch } from '../auth/session-watch';
import { makeFleet, makeUser } from '../db/factories';
import { liveBus } from '../live/bus';
import { login, setUserActive } from '../services/users/users';
import { openTestDb, type TestDb } from '../../test/context';
import { reloadEnv } from '../env';

// Sessions end where the user expects: a password change signs out the user's other sessions,
// and an open live stream stops once its session no longer authenticates.
let t: TestDb;
let ids: { instanceId: string; serviceId: string };
beforeAll(async () => {
  t = await openTestDb();
  // The subscriptions LISTEN through the process-wide buses, which read DATABASE_URL.
  process.env.DATABASE_URL = t.url;
  reloadEnv();
  const { services } = await makeFleet(t.db, {
    regions: [{ name: 'r-sess', zones: [{ name: 'z-sess', clusters: ['c-sess'] }] }],
    services: [{ name: 'svc-sess', placement: [{ cluster: 'c-sess', versions: { v1: 1 } }] }],
  });
  const instance = await t.db.instance.findFirstOrThrow({ where: { serviceId: services[0]!.id } });
  ids = { instanceId: instance.id, serviceId: services[0]!.id };
});
afterAll(async () => {
  await liveBus(t.url).stop();
  await t.close();
});

/** A user signed in through the real login, and a caller authenticated by that session. */
async function signedIn(existing?: { user: { name: string }; password: string }) {
  const made = existing ?? (await makeUser(t.db));
  const s = await login(t.db, { name: made.user.name, password: made.password }, { sessionHours: 1 });
  const user = (await getSessionUser(t.db, s.token))!;
  const ctx: Context = {
    db: t.db,
    user,
    token: s.token,
    resHeaders: new Headers(),
    meta: { ip: '127.0.0.1', userAgent: 'vitest' },
    config: { sessionHours: 1, cookieSecure: false },
  };
  return { ...made, token: s.token, user, ctx, caller: createCaller(ctx) };
}

type Caller = ReturnType<typeof createCaller>;
// Every subscription of the API with a valid input. A new subscription without a row here fails
// the coverage test, so no stream is left that outlives its session.
const subscriptions: Array<{ path: string; open: (c: Caller) => Promise<AsyncIterable<unknown>> }> = [
  { path: 'live.events', open: (c) => c.live.events({}) },
  { path: 'telemetry.ticks', open: (c) => c.telemetry.ticks() },
  { path: 'telemetry.instanceLive', open: (c) => c.telemetry.instanceLive({ instanceId: ids.instanceId }) },
  { path: 'telemetry.serviceLive', open: (c) => c.telemetry.serviceLive({ serviceId: ids.serviceId }) },
  { path: 'topologyMap.live', open: (c) => c.topologyMap.live({}) },
  { path: 'serviceGraph.live', open: (c) => c.serviceGraph.live({}) },
  { path: 'rollouts.onChange', open: (c) => c.rollouts.onChange({}) },
  { path: 'safety.onChange', open: (c) => c.safety.onChange({}) },
  { path: 'experiments.runs.onChange', open: (c) => c.experiments.runs.onChange({}) },
];

/** Reads a stream to its end in the background; resolves with how it ended. */
function drain(stream: AsyncIterable<unknown>): Promise<string> {
  return (async () => {
    for await (const _ of stream) {
      // Events may or may not arrive (no worker runs here); only the end matters.
    }
    return 'completed';
  })().catch((err: unknown) => (err instanceof TRPCError ? `${err.code}: ${err.message}` : String(err)));
}

/** A generous bound: the check runs every ~2 s; a busy machine may take a while longer. */
function within<T>(p: Promise<T>, ms = 20_000): Promise<T | 'still running'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'still running'>((r) => (timer = setTimeout(() => r('still running'), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Opens the stream and waits until it is really running (watched), not merely created. */
async function running(open: () => Promise<AsyncIterable<unknown>>): Promise<{ ended: Promise<string> }> {
  const before = sessionWatch(t.db).size;
  const ended = drain(await open());
  await expect.poll(() => sessionWatch(t.db).size, { timeout: 10_000 }).toBeGreaterThan(before);
  // Wrapped: returning the promise itself from an async function would wait for the stream's end.
  return { ended };
}

describe('changing your own password', () => {
  it('ends your other sessions and keeps the one that made the change', async () => {
    const me = await signedIn();
    const other = await signedIn(me);
    const third = await signedIn(me);
    const r = await me.caller.auth.changePassword({ current: me.password, next: 'a-brand-new-password-1' });
    expect(r).toEqual({ ok: true, otherSessionsEnded: 2 });
    expect(await getSessionUser(t.db, other.token)).toBeNull();
    expect(await getSessionUser(t.db, third.token)).toBeNull();
    expect(await getSessionUser(t.db, me.token)).toMatchObject({ id: me.user.id });
  });

  it('leaves other users’ sessions alone', async () => {
    const me = await signedIn();
    const someoneElse = await signedIn();
    await me.caller.auth.changePassword({ current: me.password, next: 'a-brand-new-password-2' });
    expect(await getSessionUser(t.db, someoneElse.token)).toMatchObject({ id: someoneElse.user.id });
  });
});

describe('live streams end with their session', () => {
  it('covers every subscription of the router', () => {
    const all = Object.entries(appRouter._def.procedures)
      .filter(([, p]) => (p as unknown as { _def: { type: string } })._def.type === 'subscription')
      .map(([path]) => path)
      .sort();
    expect(subscriptions.map((s) => s.path).sort()).toEqual(all);
  });

  // Each subscription is wired to the watch; the check that ends it is asked for at once rather
  // than awaited from the 2 s timer (up to 2 s per case). The timer itself ends the streams of
  // the cases below, which wait for it.
  for (const sub of subscriptions) {
    it(`${sub.path} ends after sign-out, in words`, async () => {
      const me = await signedIn();
      const { ended } = await running(() => sub.open(me.caller));
      await me.caller.auth.logout();
      await sessionWatch(t.db).check();
      expect(await within(ended)).toBe('UNAUTHORIZED: Your session has ended; sign in again.');
    });
  }

  it('a stream ends when an admin deactivates its user', async () => {
    const admin = await signedIn({ ...(await makeUser(t.db, { role: 'admin' })) });
    const me = await signedIn();
    const { ended } = await running(() => me.caller.live.events({}));
    await setUserActive(t.db, { id: admin.user.id, name: admin.user.name }, { id: me.user.id, active: false, version: (await t.db.user.findUniqueOrThrow({ where: { id: me.user.id } })).version });
    expect(await within(ended)).toMatch(/^UNAUTHORIZED/);
  });

  it('a stream ends when its user is inactive even if the session row is still there', async () => {
    const me = await signedIn();
    const { ended } = await running(() => me.caller.telemetry.ticks());
    await t.db.user.update({ where: { id: me.user.id }, data: { active: false } });
    expect(await within(ended)).toMatch(/^UNAUTHORIZED/);
  });

  it('a stream ends when its session expires', async () => {
    const me = await signedIn();
    const { ended } = await running(() => me.caller.live.events({}));
    await t.db.session.update({ where: { id: me.user.sessionId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await within(ended)).toMatch(/^UNAUTHORIZED/);
  });

  it('a stream whose client goes away ends quietly, and releases its watch', async () => {
    const me = await signedIn();
    const client = new AbortController();
    const before = sessionWatch(t.db).size;
    const caller = createCaller(me.ctx, { signal: client.signal });
    const { ended } = await running(() => caller.live.events({}));
    client.abort();
    // Not "session ended": the session is still valid, only this client left.
    expect(await within(ended)).toBe('completed');
    expect(sessionWatch(t.db).size).toBe(before);
  });

  it('a stream opened by a client that has already gone away ends without an error and holds no watch', async () => {
    const me = await signedIn();
    const client = new AbortController();
    client.abort();
    const caller = createCaller(me.ctx, { signal: client.signal });
    const before = sessionWatch(t.db).size;
    const ended = await within(drain(await caller.live.events({})));
    expect(ended).not.toBe('still running');
    expect(ended).not.toMatch(/UNAUTHORIZED/);
    expect(sessionWatch(t.db).size).toBe(before);
  });

  it('a stream of a session that is still valid keeps running; the watch stops when no stream is open', async () => {
    const me = await signedIn();
    const other = await signedIn();
    const { ended: mine } = await running(() => me.caller.live.events({}));
    const { ended: theirs } = await running(() => other.caller.live.events({}));
    await other.caller.auth.logout();
    expect(await within(theirs)).toMatch(/^UNAUTHORIZED/);
    // Two further checks have passed since the other stream ended, and this one is still open.
    await sessionWatch(t.db).check();
    await sessionWatch(t.db).check();
    expect(await within(mine, 0)).toBe('still running');
    await me.caller.auth.logout();
    expect(await within(mine)).toMatch(/^UNAUTHORIZED/);
    expect(sessionWatch(t.db).size).toBe(0);
  });
});

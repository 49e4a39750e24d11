import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import superjson from 'superjson';
import { appRouter } from './root';
import { clientAddress } from './context';
import type { Context } from './trpc';
import { getSessionUser, readCookie, SESSION_COOKIE } from '../auth/sessions';
import { POLICIES, throttleKeys } from '../auth/throttle';
import { makeUser } from '../db/factories';
import { openTestDb, type TestDb } from '../../test/context';

// Sign-in throttling as a client sees it: HTTP requests through tRPC's fetch handler with the
// route's client-address rule (the route's CSRF guard in front is tested in edge.int.test.ts);
// only the database is this file's own.
let t: TestDb;
beforeAll(async () => (t = await openTestDb()));
afterAll(() => t.close());

async function signIn(name: string, password: string, from: string) {
  const res = await fetchRequestHandler({
    endpoint: '/api/trpc',
    req: new Request('http://test/api/trpc/auth.login', {
      method: 'POST',
      body: JSON.stringify(superjson.serialize({ name, password })),
      headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
    }),
    router: appRouter,
    createContext: async ({ req, resHeaders }): Promise<Context> => {
      const token = readCookie(req.headers.get('cookie'), SESSION_COOKIE);
      return {
        db: t.db,
        user: await getSessionUser(t.db, token),
        token,
        resHeaders,
        meta: { ip: clientAddress(req.headers), userAgent: 'test' },
        config: { sessionHours: 1, cookieSecure: false },
      };
    },
  });
  const json = (await res.json()) as { error?: { json: { message: string } } };
  return { status: res.status, message: json.error?.json.message, retryAfter: res.headers.get('retry-after') };
}

describe('login throttle over HTTP', () => {
  it('25 parallel wrong passwords for one name: at most the free ones are verified, the rest are 429', async () => {
    const { user } = await makeUser(t.db);
    const results = await Promise.all(Array.from({ length: 25 }, () => signIn(user.name, 'wrong-password', '203.0.113.5')));
    const statuses = results.map((r) => r.status);
    // 401 = the password was checked (and was wrong); 429 = refused before any check.
    const verified = statuses.filter((s) => s === 401).length;
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    expect(verified).toBeGreaterThanOrEqual(1);
    expect(verified).toBeLessThanOrEqual(POLICIES.nameAtAddress.free);
    expect(statuses.filter((s) => s === 429)).toHaveLength(25 - verified);
  });

  it('a 429 carries Retry-After in seconds and says so in words', async () => {
    const { user } = await makeUser(t.db);
    const results = await Promise.all(Array.from({ length: POLICIES.nameAtAddress.free + 2 }, () => signIn(user.name, 'wrong-password', '203.0.113.6')));
    const r = results.find((x) => x.status === 429)!;
    expect(r.retryAfter).toMatch(/^[1-9]\d*$/);
    expect(r.message).toBe(`Too many failed sign-ins; try again in ${r.retryAfter} s.`);
  });

  /** A stranger at `address` who has failed for `name` long enough to sit at the longest wait. */
  const lockedOutAt = (name: string, address: string) =>
    t.db.loginThrottle.create({
      data: { key: throttleKeys(name, address).nameAtAddress, failures: 20, lastFailureAt: new Date(), blockedUntil: new Date(Date.now() + POLICIES.nameAtAddress.maxDelayS * 1000) },
    });

  it('a stranger locked out at one address does not lock the user out at another', async () => {
    const { user, password } = await makeUser(t.db);
    await lockedOutAt(user.name, '198.51.100.66');
    const there = await signIn(user.name, password, '198.51.100.66');
    expect(there.status).toBe(429);
    expect(Number(there.retryAfter)).toBeGreaterThan(POLICIES.nameAtAddress.maxDelayS - 60);
    expect((await signIn(user.name, password, '192.0.2.10')).status).toBe(200);
    // …and the stranger is still locked out afterwards.
    expect((await signIn(user.name, password, '198.51.100.66')).status).toBe(429);
  });

  it('the address is the one the nearest hop appended, not what the client wrote first', async () => {
    const { user, password } = await makeUser(t.db);
    await lockedOutAt(user.name, '203.0.113.7');
    // Forging another first entry does not escape the lockout at the real address.
    expect((await signIn(user.name, password, '10.9.9.9, 203.0.113.7')).status).toBe(429);
  });

  it('one address failing across many names runs out of its budget', async () => {
    const burst = POLICIES.address.free + 5;
    // Names that do not exist cost the same check and count the same.
    const results = await Promise.all(Array.from({ length: burst }, (_, i) => signIn(`nobody-${i}`, 'wrong-password', '203.0.113.8')));
    const verified = results.filter((r) => r.status === 401).length;
    expect(verified).toBeLessThanOrEqual(POLICIES.address.free);
    expect(results.filter((r) => r.status === 429)).toHaveLength(burst - verified);
  });

  it('many addresses failing for one name hit the name-wide ceiling', async () => {
    const { user } = await makeUser(t.db);
    const burst = POLICIES.name.free + 5;
    const results = await Promise.all(Array.from({ length: burst }, (_, i) => signIn(user.name, 'wrong-password', `198.18.0.${i + 1}`)));
    const verified = results.filter((r) => r.status === 401).length;
    expect(verified).toBeLessThanOrEqual(POLICIES.name.free);
    expect(results.filter((r) => r.status === 429)).toHaveLength(burst - verified);
  });

  it('a successful sign-in gives back what it booked on the address and name counters', async () => {
    const { user, password } = await makeUser(t.db);
    await signIn(user.name, 'wrong-password', '203.0.113.10');
    for (let i = 0; i < 3; i++) expect((await signIn(user.name, password, '203.0.113.10')).status).toBe(200);
    const keys = throttleKeys(user.name, '203.0.113.10');
    const rows = await t.db.loginThrottle.findMany({ where: { key: { in: Object.values(keys) } } });
    // The one real failure stays on the shared counters; the per-address one is cleared.
    expect(Object.fromEntries(rows.map((r) => [r.key, r.failures]))).toEqual({ [keys.address]: 1, [keys.name]: 1 });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openTestDb, type TestDb } from '../../../test/context';
import { restCall, tokenFor } from '../../../test/api-fixtures';
import { makeUser } from '../../db/factories';
import type { RestRoute } from './route';
import { MAX_BODY_BYTES } from './body';

// /api/v1 through the very handler the route serves, against this file's own database. The
// routes are a small table of real procedures (users.*) and a few handler routes made for
// what no procedure shows alone (a blocking start, a long list, a crash).

let t: TestDb;
beforeAll(async () => (t = await openTestDb()));
afterAll(() => t.close());

let release: (() => void) | null = null;
let entered = false;
const ITEMS = Array.from({ length: 437 }, (_, i) => ({ id: `item-${String(i).padStart(4, '0')}`, n: i }));

const routes: RestRoute[] = [
  { method: 'GET', path: '/users', operationId: 'listUsers', summary: 'Users', tag: 'users', procedure: 'users.list' },
  { method: 'POST', path: '/users', operationId: 'createUser', summary: 'Create a user', tag: 'users', procedure: 'users.create', successStatus: 201, idempotent: true },
  { method: 'PUT', path: '/users/{id}/role', operationId: 'setUserRole', summary: 'Set role', tag: 'users', procedure: 'users.setRole', versionField: 'version' },
  { method: 'GET', path: '/users/{id}', operationId: 'getUser', summary: 'A user', tag: 'users', min: 'viewer', input: z.object({ id: z.uuid() }),
    handler: (ctx, i) => ctx.db.user.findUniqueOrThrow({ where: { id: (i as { id: string }).id }, select: { id: true, name: true, role: true, version: true, createdAt: true } }) },
  { method: 'GET', path: '/users/me', operationId: 'me', summary: 'Me', tag: 'users', min: 'viewer', input: z.object({}), handler: (ctx) => Promise.resolve({ name: ctx.user!.name, big: 2n ** 70n }) },
  { method: 'POST', path: '/freezes', operationId: 'createFreeze', summary: 'Freeze', tag: 'safety', procedure: 'safety.freezes.create', successStatus: 201 },
  { method: 'POST', path: '/dated', operationId: 'dated', summary: 'Takes a plain z.date()', tag: 'test', min: 'viewer', input: z.object({ at: z.date(), note: z.string().max(20) }),
    handler: (_c, i) => Promise.resolve({ year: (i as { at: Date }).at.getUTCFullYear(), note: (i as { note: string }).note }) },
  { method: 'GET', path: '/system/health', operationId: 'health', summary: 'Health', tag: 'system', procedure: 'system.health' },
  { method: 'GET', path: '/items', operationId: 'items', summary: 'Items', tag: 'test', min: 'viewer', input: z.object({ q: z.string().max(10).optional() }), handler: () => Promise.resolve({ items: ITEMS }), paginated: { itemsAt: 'items' } },
  { method: 'POST', path: '/slow', operationId: 'slow', summary: 'Blocks until released', tag: 'test', min: 'operator', input: z.object({ n: z.number().int().max(100) }), idempotent: true, successStatus: 201,
    handler: async (_ctx, i) => { entered = true; await new Promise<void>((r) => (release = r)); return { started: (i as { n: number }).n, at: new Date(0) }; } },
  { method: 'GET', path: '/crash', operationId: 'crash', summary: 'Fails inside', tag: 'test', min: 'viewer', input: z.object({}), handler: () => Promise.reject(new Error('relation "SELECT secret FROM users" at Prisma.stack')) },
  { method: 'GET', path: '/open', operationId: 'open', summary: 'No token needed', tag: 'test', min: 'public', input: z.object({ flag: z.boolean().optional(), n: z.number().max(9).optional() }), handler: (_c, i) => Promise.resolve(i) },
];

const call = (method: string, path: string, o: Parameters<typeof restCall>[3] = {}) => restCall(t.db, method, path, { routes, ...o });

/** Polls a condition; the bound only stops a hang (a count of event-loop turns was too few on a busy machine). */
async function waitFor(cond: () => boolean) {
  await expect.poll(cond, { timeout: 30_000, interval: 10 }).toBe(true);
}

describe('REST: authentication', () => {
  it('refuses a missing, malformed, unknown, expired, revoked or deactivated token with 401, the reason in words and WWW-Authenticate', async () => {
    const none = await call('GET', '/system/health');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(none.headers.get('content-type')).toBe('application/problem+json');
    expect(none.json.detail).toMatch(/needs a token/);

    expect((await call('GET', '/system/health', { token: 'nope' })).json.detail).toMatch(/not "Bearer sbt_/);
    const unknown = await call('GET', '/system/health', { token: `sbt_abcdefgh_${'x'.repeat(43)}` });
    expect([unknown.status, unknown.headers.get('www-authenticate')]).toEqual([401, 'Bearer realm="switchback", error="invalid_token"']);
    const expired = await tokenFor(t.db, 'viewer', { expiresAt: new Date(Date.now() - 1000) });
    expect((await call('GET', '/system/health', { token: expired.secret })).json.detail).toMatch(/expired/);
    const revoked = await tokenFor(t.db, 'viewer', { revoked: true });
    expect((await call('GET', '/system/health', { token: revoked.secret })).json.detail).toMatch(/revoked/);
    const inactive = await tokenFor(t.db, 'viewer');
    await t.db.user.update({ where: { id: inactive.user.id }, data: { active: false } });
    const r = await call('GET', '/system/health', { token: inactive.secret });
    expect([r.status, r.json.detail]).toEqual([401, "This token's user is deactivated."]);
  });

  it('a good token answers 200 with JSON (dates as ISO strings, bigints as strings), and records its last use', async () => {
    const { secret, token } = await tokenFor(t.db, 'viewer');
    const r = await call('GET', '/users/me', { token: secret });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ name: (await t.db.user.findFirstOrThrow({ where: { id: token.userId } })).name, big: (2n ** 70n).toString() });
    const u = await call('GET', `/users/${token.userId}`, { token: secret });
    expect(u.json.createdAt).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    expect((await t.db.apiToken.findUniqueOrThrow({ where: { id: token.id } })).lastUsedIp).toBe('127.0.0.1');
  });

  it('403 below the role; a token is capped by its user role when the user is demoted', async () => {
    const viewer = await tokenFor(t.db, 'viewer');
    const r = await call('GET', '/users', { token: viewer.secret });
    expect([r.status, r.json.detail]).toEqual([403, 'This needs the admin role; you are viewer.']);
    const admin = await tokenFor(t.db, 'admin');
    expect((await call('GET', '/users', { token: admin.secret })).status).toBe(200);
    await t.db.user.update({ where: { id: admin.user.id }, data: { role: 'viewer' } });
    expect((await call('GET', '/users', { token: admin.secret })).status).toBe(403);
    // Below the role nothing about the input is judged: 403, not the 428 a missing version would get.
    const { user } = await makeUser(t.db);
    expect((await call('PUT', `/users/${user.id}/role`, { token: viewer.secret, body: { role: 'admin' } })).status).toBe(403);
    // Handler routes check their own least role too.
    expect((await call('POST', '/slow', { token: viewer.secret, body: { n: 1 } })).status).toBe(403);
  });

  it('a public route needs no token; the OpenAPI document is public', async () => {
    const r = await call('GET', '/open?flag=true&n=3');
    expect([r.status, r.json]).toEqual([200, { flag: true, n: 3 }]);
    const doc = await restCall(t.db, 'GET', '/openapi.json');
    expect([doc.status, doc.json.openapi]).toEqual([200, '3.1.0']);
  });
});

describe('REST: statuses used as meant', () => {
  it('404 for an unknown path, 405 with Allow for a known one under another method', async () => {
    const r = await call('GET', '/nothing/here');
    expect([r.status, r.json.title]).toEqual([404, 'Not found']);
    const m = await call('DELETE', '/users');
    expect(m.status).toBe(405);
    expect(m.headers.get('allow')).toBe('GET, POST');
  });

  it('a literal segment wins over a parameter: /users/me is not /users/{id}', async () => {
    const { secret } = await tokenFor(t.db, 'viewer');
    expect((await call('GET', '/users/me', { token: secret })).json).toHaveProperty('big');
  });

  it('415 for a body that is not JSON, 413 over 1 MB, 400 for broken JSON', async () => {
    const { secret } = await tokenFor(t.db, 'admin');
    const form = await call('POST', '/users', { token: secret, rawBody: 'name=x', contentType: 'application/x-www-form-urlencoded' });
    expect([form.status, form.json.detail]).toEqual([415, 'Send the body as application/json, not application/x-www-form-urlencoded.']);
    const big = await call('POST', '/users', { token: secret, rawBody: JSON.stringify({ name: 'x'.repeat(MAX_BODY_BYTES) }), contentType: 'application/json' });
    expect(big.status).toBe(413);
    const broken = await call('POST', '/users', { token: secret, rawBody: '{"name":', contentType: 'application/json' });
    expect(broken.status).toBe(400);
  });

  it('422 with messages per field for input the schema refuses (body and query)', async () => {
    const { secret } = await tokenFor(t.db, 'admin');
    const r = await call('POST', '/users', { token: secret, body: { name: 'X!', role: 'king' } });
    expect(r.status).toBe(422);
    expect(r.json.errors?.name?.[0]).toMatch(/lowercase/);
    expect(r.json.errors?.role?.[0]).toMatch(/viewer, operator, approver, admin/);
    const q = await call('GET', '/open?n=99');
    expect(q.status).toBe(422);
    expect(Object.keys(q.json.errors ?? {})).toEqual(['n']);
  });

  it('409 for a conflict the service names (a taken user name)', async () => {
    const { secret } = await tokenFor(t.db, 'admin');
    const { user } = await makeUser(t.db);
    const r = await call('POST', '/users', { token: secret, body: { name: user.name, role: 'viewer' } });
    expect([r.status, r.json.errors]).toEqual([409, { name: ['This name is taken'] }]);
  });

  it('500 carries only an error id: no SQL, no stack', async () => {
    const { secret } = await tokenFor(t.db, 'viewer');
    const r = await call('GET', '/crash', { token: secret });
    expect(r.status).toBe(500);
    expect(r.json.detail).toMatch(/error id [0-9a-f]{12}/);
    expect(r.text).not.toMatch(/SELECT|Prisma|stack|relation/);
  });
});

describe('REST: ETag and If-Match', () => {
  it('GET carries the version as ETag; If-None-Match is not answered with 304 (an answer may change without a new version)', async () => {
    const { secret } = await tokenFor(t.db, 'viewer');
    const { user } = await makeUser(t.db);
    const r = await call('GET', `/users/${user.id}`, { token: secret });
    expect(r.headers.get('etag')).toBe(`"${user.version}"`);
    const again = await call('GET', `/users/${user.id}`, { token: secret, headers: { 'if-none-match': `"${user.version}"` } });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ id: user.id });
    const other = await call('GET', `/users/${user.id}`, { token: secret, headers: { 'if-none-match': `"${user.version + 5}"` } });
    expect(other.status).toBe(200);
  });

  it('If-Match fills the version; a stale one is 412 naming the current version; a stale body version stays 409', async () => {
    const admin = await tokenFor(t.db, 'admin');
    const { user } = await makeUser(t.db);
    const ok = await call('PUT', `/users/${user.id}/role`, { token: admin.secret, body: { role: 'operator' }, headers: { 'if-match': `"${user.version}"` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('etag')).toBe(`"${user.version + 1}"`);
    const stale = await call('PUT', `/users/${user.id}/role`, { token: admin.secret, body: { role: 'admin' }, headers: { 'if-match': `"${user.version}"` } });
    expect(stale.status).toBe(412);
    expect(stale.json.currentVersion).toBe(user.version + 1);
    expect(stale.json.detail).toContain(`it is now version ${user.version + 1}`);
    const body = await call('PUT', `/users/${user.id}/role`, { token: admin.secret, body: { role: 'admin', version: user.version } });
    expect([body.status, body.json.currentVersion]).toEqual([409, user.version + 1]);
  });

  it('If-Match and a body version that disagree are 422 naming both; no version at all is 428', async () => {
    const admin = await tokenFor(t.db, 'admin');
    const { user } = await makeUser(t.db);
    const both = await call('PUT', `/users/${user.id}/role`, { token: admin.secret, body: { role: 'operator', version: 7 }, headers: { 'if-match': '"3"' } });
    expect(both.status).toBe(422);
    expect(both.json.detail).toContain('If-Match names version 3');
    expect(both.json.detail).toContain('is 7');
    const none = await call('PUT', `/users/${user.id}/role`, { token: admin.secret, body: { role: 'operator' } });
    expect([none.status, Object.keys(none.json.errors ?? {})]).toEqual([428, ['version']]);
    const path = await call('PUT', `/users/${user.id}/role`, { token: admin.secret, body: { id: '00000000-0000-4000-8000-000000000000', role: 'operator', version: 1 } });
    expect(path.status).toBe(422);
  });
});

describe('REST: Idempotency-Key', () => {
  it('the same key and body replays the first answer without a second create; another body is 422', async () => {
    const admin = await tokenFor(t.db, 'admin');
    const name = `idem-${Date.now().toString(36)}`;
    const headers = { 'idempotency-key': `k-${name}` };
    const first = await call('POST', '/users', { token: admin.secret, body: { name, role: 'viewer' }, headers });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await call('POST', '/users', { token: admin.secret, body: { name, role: 'viewer' }, headers });
    expect([again.status, again.headers.get('idempotent-replayed'), again.text]).toEqual([201, 'true', first.text]);
    expect(await t.db.user.count({ where: { name } })).toBe(1);
    const other = await call('POST', '/users', { token: admin.secret, body: { name: `${name}x`, role: 'viewer' }, headers });
    expect([other.status, Object.keys(other.json.errors ?? {})]).toEqual([422, ['Idempotency-Key']]);
    // Keys are per user: another user's same key is a new request.
    const admin2 = await tokenFor(t.db, 'admin');
    expect((await call('POST', '/users', { token: admin2.secret, body: { name: `${name}y`, role: 'viewer' }, headers })).status).toBe(201);
  });

  it('a repeat while the first is still running is 409; afterwards it replays', async () => {
    const op = await tokenFor(t.db, 'operator');
    const headers = { 'idempotency-key': 'slow-1' };
    entered = false;
    const first = call('POST', '/slow', { token: op.secret, body: { n: 5 }, headers });
    await waitFor(() => entered);
    const during = await call('POST', '/slow', { token: op.secret, body: { n: 5 }, headers });
    expect([during.status, during.json.detail]).toEqual([409, expect.stringContaining('still running')]);
    release!();
    const done = await first;
    expect([done.status, done.json]).toEqual([201, { started: 5, at: '1970-01-01T00:00:00.000Z' }]);
    const replay = await call('POST', '/slow', { token: op.secret, body: { n: 5 }, headers });
    expect([replay.status, replay.headers.get('idempotent-replayed'), replay.json]).toEqual([201, 'true', done.json]);
  });

  it('a key whose first request died while running is taken over after the abandon time, not refused for a day', async () => {
    const op = await tokenFor(t.db, 'operator');
    const headers = { 'idempotency-key': 'crashed-1' };
    entered = false;
    const first = call('POST', '/slow', { token: op.secret, body: { n: 6 }, headers });
    await waitFor(() => entered);
    const releaseFirst = release!;
    // As if its process had died long ago: the row is still "running", taken three minutes back.
    await t.db.idempotencyKey.updateMany({ where: { userId: op.user.id, key: 'crashed-1' }, data: { createdAt: new Date(Date.now() - 3 * 60_000) } });
    entered = false;
    const again = call('POST', '/slow', { token: op.secret, body: { n: 6 }, headers });
    await waitFor(() => entered);
    release!();
    expect((await again).status).toBe(201);
    releaseFirst();
    await first;
    const rows = await t.db.idempotencyKey.findMany({ where: { userId: op.user.id, key: 'crashed-1' } });
    expect(rows.map((r) => r.status)).toEqual([201]);
  });

  it('a refused request forgets its key (a corrected retry runs); keys are bounded', async () => {
    const admin = await tokenFor(t.db, 'admin');
    const headers = { 'idempotency-key': 'fix-me' };
    expect((await call('POST', '/users', { token: admin.secret, body: { name: 'BAD!', role: 'viewer' }, headers })).status).toBe(422);
    expect(await t.db.idempotencyKey.count({ where: { userId: admin.user.id } })).toBe(0);
    expect((await call('POST', '/users', { token: admin.secret, body: { name: 'BAD!', role: 'viewer' }, headers: { 'idempotency-key': 'x'.repeat(201) } })).status).toBe(400);
    expect((await call('POST', '/users', { token: admin.secret, body: { name: 'BAD!', role: 'viewer' }, headers: { 'idempotency-key': 'a b' } })).status).toBe(400);
  });

  it('a key sent to an endpoint that does not remember keys is refused in words, not silently ignored', async () => {
    const { secret } = await tokenFor(t.db, 'viewer');
    const r = await call('GET', '/system/health', { token: secret, headers: { 'idempotency-key': 'pointless' } });
    expect([r.status, r.json.errors]).toEqual([400, { 'Idempotency-Key': ['Not taken by this endpoint'] }]);
  });

  it('keys older than 24 hours are pruned on the next write', async () => {
    const admin = await tokenFor(t.db, 'admin');
    await t.db.idempotencyKey.create({ data: { userId: admin.user.id, key: 'old', route: 'POST /users', requestHash: 'x', status: 201, response: {}, createdAt: new Date(Date.now() - 25 * 3600_000) } });
    const name = `prune-${Date.now().toString(36)}`;
    expect((await call('POST', '/users', { token: admin.secret, body: { name, role: 'viewer' }, headers: { 'idempotency-key': 'new' } })).status).toBe(201);
    expect(await t.db.idempotencyKey.findMany({ where: { userId: admin.user.id }, select: { key: true } })).toEqual([{ key: 'new' }]);
  });
});

describe('REST: cursor pagination', () => {
  it('walks every item exactly once, following nextCursor and the Link header', async () => {
    const { secret } = await tokenFor(t.db, 'viewer');
    const seen: string[] = [];
    let path = '/items?limit=50';
    for (let pages = 0; pages < 100; pages++) {
      const r = await call('GET', path, { token: secret });
      expect(r.status).toBe(200);
      const items = r.json.items ?? [];
      expect(items.length).toBeLessThanOrEqual(50);
      seen.push(...items.map((i) => String(i.id)));
      if (!r.json.nextCursor) {
        expect(r.headers.get('link')).toBeNull();
        break;
      }
      const link = /^<\/api\/v1(\/items\?[^>]+)>; rel="next"$/.exec(r.headers.get('link') ?? '');
      expect(link).not.toBeNull();
      path = link![1]!;
    }
    expect(seen).toEqual(ITEMS.map((i) => i.id));
  });

  it('refuses a limit out of 1–200 and a cursor it did not give out', async () => {
    const { secret } = await tokenFor(t.db, 'viewer');
    expect((await call('GET', '/items?limit=201', { token: secret })).json.errors).toHaveProperty('limit');
    expect((await call('GET', '/items?limit=0', { token: secret })).status).toBe(422);
    expect((await call('GET', '/items?cursor=%%%', { token: secret })).json.errors).toHaveProperty('cursor');
    expect((await call('GET', '/items', { token: secret })).json.items).toHaveLength(50);
  });
});

describe('REST: JSON in, procedures that take Dates', () => {
  it('ISO strings reach a procedure whose schema takes a Date (a freeze window)', async () => {
    const { secret } = await tokenFor(t.db, 'approver');
    const startsAt = new Date(Date.now() + 86_400_000).toISOString();
    const endsAt = new Date(Date.now() + 90_000_000).toISOString();
    const r = await call('POST', '/freezes', { token: secret, body: { window: { name: 'rest-freeze', reason: 'via REST', kind: 'one_off', startsAt, endsAt } } });
    expect(r.status).toBe(201);
    const row = await t.db.freezeWindow.findFirstOrThrow({ where: { name: 'rest-freeze' } });
    expect(row.startsAt?.toISOString()).toBe(startsAt);
    // A schema that takes only a Date (superjson's type) gets one from the ISO string; other strings stay text.
    const dated = await call('POST', '/dated', { token: secret, body: { at: '2031-05-01T10:00:00Z', note: '2031-05-01' } });
    expect([dated.status, dated.json]).toEqual([200, { year: 2031, note: '2031-05-01' }]);
    const bad = await call('POST', '/freezes', { token: secret, body: { window: { name: 'rest-freeze-2', reason: 'x', kind: 'one_off', startsAt: 'tomorrow', endsAt } } });
    expect(bad.status).toBe(422);
  });
});

describe('REST: audit', () => {
  it("a token's action is audited as its user, with via token:<name>", async () => {
    const admin = await tokenFor(t.db, 'admin', { name: 'ci-pipeline' });
    const name = `aud-${Date.now().toString(36)}`;
    const r = await call('POST', '/users', { token: admin.secret, body: { name, role: 'viewer' } });
    expect(r.status).toBe(201);
    const row = await t.db.auditEvent.findFirstOrThrow({ where: { targetName: name } });
    expect([row.actorId, row.actorName, row.via]).toEqual([admin.user.id, admin.user.name, 'token:ci-pipeline']);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { makeUser } from '../db/factories';
import type { Role } from '../db/generated/enums';
import { createCaller } from '../api/root';
import { contextFor, openTestDb, type TestDb } from '../../test/context';
import { authenticateBearer, bearerRefusalWords, newTokenSecret } from './api-tokens';

let t: TestDb;
beforeAll(async () => (t = await openTestDb()));
afterAll(() => t.close());

const DAY = 86_400_000;
/** A token row written directly, so every state (even a role above the user's) can be set up. */
async function tokenFor(o: { userRole?: Role; tokenRole?: Role; active?: boolean; expiresAt?: Date; revoked?: boolean; name?: string } = {}) {
  const { user } = await makeUser(t.db, { role: o.userRole ?? 'operator', active: o.active ?? true });
  const { secret, prefix, hash } = newTokenSecret();
  const now = Date.now();
  const row = await t.db.apiToken.create({
    data: {
      userId: user.id,
      name: o.name ?? 'deploy-bot',
      tokenHash: hash,
      prefix,
      role: o.tokenRole ?? 'operator',
      createdAt: new Date(now - 2 * DAY),
      expiresAt: o.expiresAt ?? new Date(now + DAY),
      ...(o.revoked ? { revokedAt: new Date(now - 1000), revokedByName: 'someone' } : {}),
    },
  });
  return { user, row, header: `Bearer ${secret}`, secret };
}

describe('authenticateBearer', () => {
  it('refuses a missing, malformed or unknown token in words', async () => {
    expect(await authenticateBearer(t.db, null, '10.0.0.1')).toEqual({ refusal: 'missing' });
    expect(await authenticateBearer(t.db, 'Basic abc', '10.0.0.1')).toEqual({ refusal: 'malformed' });
    expect(await authenticateBearer(t.db, 'Bearer not-a-token', '10.0.0.1')).toEqual({ refusal: 'malformed' });
    expect(await authenticateBearer(t.db, `Bearer ${newTokenSecret().secret}`, '10.0.0.1')).toEqual({ refusal: 'unknown' });
    // A real token with one character changed is unknown, not someone else's.
    const { secret } = await tokenFor();
    const flipped = secret.slice(0, -1) + (secret.endsWith('a') ? 'b' : 'a');
    expect(await authenticateBearer(t.db, `Bearer ${flipped}`, '10.0.0.1')).toEqual({ refusal: 'unknown' });
    expect(bearerRefusalWords.missing).toContain('Settings → API tokens');
  });

  it('refuses an expired token, a revoked one, and one whose user is deactivated', async () => {
    const expired = await tokenFor({ expiresAt: new Date(Date.now() - 1000) });
    expect(await authenticateBearer(t.db, expired.header, '10.0.0.1')).toEqual({ refusal: 'expired' });
    const revoked = await tokenFor({ revoked: true });
    expect(await authenticateBearer(t.db, revoked.header, '10.0.0.1')).toEqual({ refusal: 'revoked' });
    const inactive = await tokenFor({ active: false });
    expect(await authenticateBearer(t.db, inactive.header, '10.0.0.1')).toEqual({ refusal: 'inactive' });
    // None of the refused ones is recorded as used.
    for (const x of [expired, revoked, inactive]) expect((await t.db.apiToken.findUniqueOrThrow({ where: { id: x.row.id } })).lastUsedAt).toBeNull();
  });

  it('acts as the user with the lower of the token’s and the user’s role, named via the token', async () => {
    const weakToken = await tokenFor({ userRole: 'admin', tokenRole: 'viewer', name: 'read-only' });
    const a = await authenticateBearer(t.db, weakToken.header, '10.0.0.1');
    expect(a).toEqual({ tokenId: weakToken.row.id, user: { id: weakToken.user.id, name: weakToken.user.name, displayName: '', role: 'viewer', sessionId: '', via: 'token:read-only', tokenExpiresAt: weakToken.row.expiresAt } });
    // A user demoted after the token was made: the token loses the difference at once.
    const demoted = await tokenFor({ userRole: 'viewer', tokenRole: 'admin' });
    const b = await authenticateBearer(t.db, demoted.header, '10.0.0.1');
    expect('user' in b && b.user.role).toBe('viewer');
  });

  it('records the last use (time and address), at most once a minute from one address', async () => {
    const { row, header } = await tokenFor();
    const t0 = new Date();
    await authenticateBearer(t.db, header, '10.0.0.7', t0);
    const first = await t.db.apiToken.findUniqueOrThrow({ where: { id: row.id } });
    expect(first.lastUsedAt?.getTime()).toBe(t0.getTime());
    expect(first.lastUsedIp).toBe('10.0.0.7');
    await authenticateBearer(t.db, header, '10.0.0.7', new Date(t0.getTime() + 30_000));
    expect((await t.db.apiToken.findUniqueOrThrow({ where: { id: row.id } })).lastUsedAt?.getTime()).toBe(t0.getTime());
    const later = new Date(t0.getTime() + 40_000);
    await authenticateBearer(t.db, header, '10.0.0.8', later);
    const moved = await t.db.apiToken.findUniqueOrThrow({ where: { id: row.id } });
    expect([moved.lastUsedAt?.getTime(), moved.lastUsedIp]).toEqual([later.getTime(), '10.0.0.8']);
  });

  it('what a token does is audited as its user, with the token’s name, and within its role', async () => {
    const { user, header } = await tokenFor({ userRole: 'admin', tokenRole: 'operator', name: 'deploy-bot', expiresAt: new Date(Date.now() + 30 * 86_400_000) });
    const auth = await authenticateBearer(t.db, header, '10.0.0.1');
    if (!('user' in auth)) throw new Error(`refused: ${auth.refusal}`);
    const caller = createCaller({ ...contextFor(t.db, null), user: auth.user });
    const made = await caller.tokens.create({ name: 'child', role: 'operator', expiresInDays: 1 });
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { action: 'token.create', targetId: made.token.id } });
    expect([audit.actorId, audit.actorName, audit.via]).toEqual([user.id, user.name, 'token:deploy-bot']);
    // The admin's operator token cannot do admin things, nor mint an admin token.
    const refused = await caller.tokens.listAll().then(() => 'ok', (e: unknown) => (e instanceof TRPCError ? e.code : String(e)));
    expect(refused).toBe('FORBIDDEN');
    await expect(caller.tokens.create({ name: 'up', role: 'admin', expiresInDays: 1 })).rejects.toThrow("A token's role can be at most yours (operator).");
  });
});

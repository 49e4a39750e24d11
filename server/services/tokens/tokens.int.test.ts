import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser } from '../../db/factories';
import type { AppError } from '../../errors';
import { hashToken } from '../../auth/sessions';
import { TOKEN_PATTERN } from '../../auth/api-tokens';
import type { Role } from '../../db/generated/enums';
import { openTestDb, type TestDb } from '../../../test/context';
import { setUserActive } from '../users/users';
import { createToken, revokeToken } from './tokens';
import { listAllTokens, listOwnTokens } from './token-reads';

let t: TestDb;
beforeAll(async () => (t = await openTestDb()));
afterAll(() => t.close());

const DAY = 86_400_000;
const errOf = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as AppError);
async function person(role: Role = 'operator') {
  const { user } = await makeUser(t.db, { role });
  return { ...user, actor: { id: user.id, name: user.name, role } };
}
const auditText = async (targetId: string) =>
  JSON.stringify((await t.db.auditEvent.findMany({ where: { targetId } })).map((a) => ({ ...a, id: a.id.toString() })));

describe('API tokens: create', () => {
  it('answers the secret once, stores only its hash and prefix, and audits neither secret nor hash', async () => {
    const me = await person();
    const { token, secret } = await createToken(t.db, me.actor, { name: 'deploy-bot', role: 'operator', expiresInDays: 30 });
    expect(secret).toMatch(TOKEN_PATTERN);
    expect(secret.startsWith(`sbt_${token.prefix}_`)).toBe(true);
    const row = await t.db.apiToken.findUniqueOrThrow({ where: { id: token.id } });
    expect(row.tokenHash).toBe(hashToken(secret));
    // No column of the stored row holds the secret.
    expect(JSON.stringify(row)).not.toContain(secret.slice(13));
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(30 * DAY);
    const audit = await auditText(token.id);
    expect(audit).toContain('token.create');
    expect(audit).not.toContain(secret.slice(13));
    expect(audit).not.toContain(row.tokenHash);
    // Lists never carry the hash, and the secret is not to be had again.
    const listed = await listOwnTokens(t.db, me.id);
    expect(listed.map((l) => l.name)).toEqual(['deploy-bot']);
    expect(JSON.stringify(listed)).not.toContain(row.tokenHash);
    expect(listed[0]).not.toHaveProperty('tokenHash');
    expect(listed[0]!.state).toBe('active');
  });

  it("caps the token's role at the user's, in words next to the role field", async () => {
    const me = await person('operator');
    for (const role of ['approver', 'admin'] as const) {
      const err = await errOf(createToken(t.db, me.actor, { name: `too-high-${role}`, role, expiresInDays: 1 }));
      expect(err?.code).toBe('BAD_REQUEST');
      expect(err?.fieldErrors?.role?.[0]).toBe("A token's role can be at most yours (operator).");
    }
    expect(await t.db.apiToken.count({ where: { userId: me.id } })).toBe(0);
    await createToken(t.db, me.actor, { name: 'same', role: 'operator', expiresInDays: 1 });
    await createToken(t.db, me.actor, { name: 'lower', role: 'viewer', expiresInDays: 1 });
    // Acting with less than the user's role (through a viewer token of an admin): capped at that.
    const admin = await person('admin');
    const err = await errOf(createToken(t.db, { ...admin.actor, role: 'viewer' }, { name: 'escalate', role: 'admin', expiresInDays: 1 }));
    expect(err?.fieldErrors?.role?.[0]).toBe("A token's role can be at most yours (viewer).");
  });

  it('takes the expiry in days or as a date within a year, refusing others in words', async () => {
    const me = await person();
    const now = new Date();
    const at = new Date(now.getTime() + 10 * DAY);
    const { token } = await createToken(t.db, me.actor, { name: 'dated', role: 'viewer', expiresAt: at });
    expect(token.expiresAt.getTime()).toBe(at.getTime());
    const past = await errOf(createToken(t.db, me.actor, { name: 'past', role: 'viewer', expiresAt: new Date(now.getTime() - 1000) }));
    expect(past?.fieldErrors).toEqual({ expiresAt: ['The expiry must be in the future'] });
    const far = await errOf(createToken(t.db, me.actor, { name: 'far', role: 'viewer', expiresAt: new Date(now.getTime() + 400 * DAY) }));
    expect(far?.fieldErrors).toEqual({ expiresAt: ['A token lives at most 365 days'] });
    for (const bad of [{ expiresInDays: 0 }, { expiresInDays: 366 }, {}, { expiresInDays: 5, expiresAt: at }]) {
      await expect(createToken(t.db, me.actor, { name: 'bad', role: 'viewer', ...bad })).rejects.toThrow();
    }
    await expect(createToken(t.db, me.actor, { name: 'x'.repeat(61), role: 'viewer', expiresInDays: 1 })).rejects.toThrow('At most 60 characters');
    expect(await t.db.apiToken.count({ where: { userId: me.id } })).toBe(1);
  });

  it('one live token per name per user: a conflict in words; free again once revoked or expired', async () => {
    const me = await person();
    const other = await person();
    const first = await createToken(t.db, me.actor, { name: 'ci', role: 'viewer', expiresInDays: 5 });
    const err = await errOf(createToken(t.db, me.actor, { name: 'ci', role: 'viewer', expiresInDays: 5 }));
    expect(err?.code).toBe('CONFLICT');
    expect(err?.message).toBe('You already have a live token named "ci": revoke it or choose another name.');
    expect(err?.fieldErrors).toEqual({ name: ['You already have a live token with this name'] });
    // Another user's "ci" is theirs.
    await createToken(t.db, other.actor, { name: 'ci', role: 'viewer', expiresInDays: 5 });
    await revokeToken(t.db, me.actor, { id: first.token.id });
    const second = await createToken(t.db, me.actor, { name: 'ci', role: 'viewer', expiresInDays: 5 });
    // An expired one is retired (revoked, on the record) when its name is reused.
    await t.db.apiToken.update({ where: { id: second.token.id }, data: { createdAt: new Date(Date.now() - 2 * DAY), expiresAt: new Date(Date.now() - DAY) } });
    await createToken(t.db, me.actor, { name: 'ci', role: 'viewer', expiresInDays: 5 });
    const retired = await t.db.apiToken.findUniqueOrThrow({ where: { id: second.token.id } });
    expect(retired.revokedByName).toBe(me.name);
    expect(await auditText(second.token.id)).toContain('expired; its name was reused');
  });

  it('a create that loses the race for a name (the partial unique index decides) is a conflict in words', async () => {
    const me = await person();
    // Another transaction holds an uncommitted "race" token: the create's check cannot see it, its
    // insert waits on ApiToken_name_live, and fails with a unique violation once the other commits.
    let pending: Promise<unknown> | undefined;
    await t.db.$transaction(async (tx) => {
      await tx.apiToken.create({ data: { userId: me.id, name: 'race', tokenHash: 'e'.repeat(64), prefix: 'racerace', role: 'viewer', expiresAt: new Date(Date.now() + DAY) } });
      pending = errOf(createToken(t.db, me.actor, { name: 'race', role: 'viewer', expiresInDays: 1 }));
      // Waits for the create to block on the index (a condition, bounded against a hang).
      for (let i = 0; ; i++) {
        const [{ waiting }] = await t.db.$queryRaw<[{ waiting: number }]>`SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
        if (waiting > 0) break;
        if (i > 400) throw new Error('the create never waited on the other transaction');
        await new Promise((r) => setTimeout(r, 10));
      }
    }, { timeout: 20_000 });
    const err = (await pending) as AppError | null;
    expect(err?.code).toBe('CONFLICT');
    expect(err?.fieldErrors).toEqual({ name: ['You already have a live token with this name'] });
    expect(await t.db.apiToken.count({ where: { userId: me.id, name: 'race', revokedAt: null } })).toBe(1);
  });
});

describe('API tokens: revoke', () => {
  it('the owner revokes their own; the revoker is named and the state shows it', async () => {
    const me = await person('viewer');
    const { token } = await createToken(t.db, me.actor, { name: 'mine', role: 'viewer', expiresInDays: 1 });
    const revoked = await revokeToken(t.db, me.actor, { id: token.id, reason: 'rotating' });
    expect(revoked).toMatchObject({ state: 'revoked', revokedByName: me.name });
    expect(await auditText(token.id)).toContain('rotating');
    const again = await errOf(revokeToken(t.db, me.actor, { id: token.id }));
    expect(again?.code).toBe('CONFLICT');
    expect(again?.message).toContain(`already revoked by ${me.name}`);
  });

  it("refuses another user's token to a non-admin; an admin revokes anyone's and sees all with owners", async () => {
    const owner = await person('approver');
    const nosy = await person('approver');
    const admin = await person('admin');
    const { token } = await createToken(t.db, owner.actor, { name: 'theirs', role: 'approver', expiresInDays: 1 });
    const err = await errOf(revokeToken(t.db, nosy.actor, { id: token.id }));
    expect(err?.code).toBe('FORBIDDEN');
    expect(err?.message).toBe('You can revoke only your own tokens; an admin can revoke anyone’s.');
    expect((await t.db.apiToken.findUniqueOrThrow({ where: { id: token.id } })).revokedAt).toBeNull();
    const all = await listAllTokens(t.db);
    expect(all.find((x) => x.id === token.id)?.owner.name).toBe(owner.name);
    const revoked = await revokeToken(t.db, admin.actor, { id: token.id, reason: 'leaked in a log' });
    expect(revoked.revokedByName).toBe(admin.name);
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { targetId: token.id, action: 'token.revoke' } });
    expect(audit.actorName).toBe(admin.name);
    expect(audit.after).toEqual({ owner: owner.name, reason: 'leaked in a log' });
    expect((await errOf(revokeToken(t.db, admin.actor, { id: '00000000-0000-4000-8000-000000000000' })))?.code).toBe('NOT_FOUND');
  });
});

describe('API tokens: deactivating a user', () => {
  it('revokes all their live tokens in the deactivation’s own transaction', async () => {
    const admin = await person('admin');
    const victim = await person('operator');
    const a = await createToken(t.db, victim.actor, { name: 'a', role: 'viewer', expiresInDays: 1 });
    const b = await createToken(t.db, victim.actor, { name: 'b', role: 'operator', expiresInDays: 1 });
    const old = await createToken(t.db, victim.actor, { name: 'old', role: 'viewer', expiresInDays: 1 });
    await revokeToken(t.db, victim.actor, { id: old.token.id });
    const keeper = await createToken(t.db, admin.actor, { name: 'keeper', role: 'viewer', expiresInDays: 1 });
    // A stale deactivation fails whole: nothing is revoked.
    await expect(setUserActive(t.db, admin.actor, { id: victim.id, active: false, version: victim.version + 5 })).rejects.toThrow();
    expect(await t.db.apiToken.count({ where: { userId: victim.id, revokedAt: null } })).toBe(2);

    await setUserActive(t.db, admin.actor, { id: victim.id, active: false, version: victim.version });
    const rows = await t.db.apiToken.findMany({ where: { id: { in: [a.token.id, b.token.id] } } });
    expect(rows.map((r) => r.revokedByName)).toEqual([admin.name, admin.name]);
    // The same transaction: PostgreSQL stamps every row a transaction writes with its id (xmin).
    const xmins = await t.db.$queryRaw<Array<{ xmin: string }>>`
      SELECT xmin::text AS xmin FROM "User" WHERE id = ${victim.id}::uuid
      UNION ALL SELECT xmin::text FROM "ApiToken" WHERE id IN (${a.token.id}::uuid, ${b.token.id}::uuid)`;
    expect(xmins).toHaveLength(3);
    expect(new Set(xmins.map((x) => x.xmin)).size).toBe(1);
    // The already revoked one keeps its first revoker; another user's token is untouched.
    expect((await t.db.apiToken.findUniqueOrThrow({ where: { id: old.token.id } })).revokedByName).toBe(victim.name);
    expect((await t.db.apiToken.findUniqueOrThrow({ where: { id: keeper.token.id } })).revokedAt).toBeNull();
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { action: 'token.revoke-all', targetId: victim.id } });
    expect(audit.after).toEqual({ tokens: ['a', 'b'], reason: 'the user was deactivated' });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../../test/context';
import { restCall, tokenFor } from '../../../../test/api-fixtures';
import { bearerRefusalWords } from '../../../auth/api-tokens';
import { setUserActive } from '../../../services/users/users';

// /api/v1/tokens through the real REST handler: a script manages its user's tokens with a token.
let t: TestDb;
beforeAll(async () => (t = await openTestDb()));
afterAll(() => t.close());

describe('REST /api/v1/tokens', () => {
  it('a token lists its user’s tokens, creates one (201, the secret once) that works at once, and revokes it', async () => {
    const { authorization, token, user } = await tokenFor(t.db, 'operator', { name: 'ci', expiresAt: new Date(Date.now() + 30 * 86_400_000) });
    expect((await restCall(t.db, 'GET', '/tokens')).status).toBe(401);
    const list = await restCall(t.db, 'GET', '/tokens', { token: authorization });
    expect(list.status).toBe(200);
    expect(list.json.items?.map((i) => i.name)).toEqual(['ci']);
    expect(list.text).not.toContain(token.tokenHash);

    // A token cannot mint one that outlives it (a leaked short-lived token would otherwise live on).
    const longer = await restCall(t.db, 'POST', '/tokens', { token: authorization, body: { name: 'long', role: 'viewer', expiresInDays: 365 } });
    expect([longer.status, longer.json.errors?.expiresInDays?.[0]]).toEqual([422, expect.stringContaining('cannot outlive it')]);
    const made = await restCall(t.db, 'POST', '/tokens', { token: authorization, body: { name: 'child', role: 'viewer', expiresInDays: 7 } });
    expect(made.status, made.text).toBe(201);
    const secret = made.json.secret as string;
    expect(secret).toMatch(/^sbt_/);
    // Acted as the user, named via the token that did it.
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { action: 'token.create', targetName: 'child', actorId: user.id } });
    expect(audit.via).toBe('token:ci');
    // The new token works, and its list never carries its secret.
    const again = await restCall(t.db, 'GET', '/tokens', { token: secret });
    expect(again.status).toBe(200);
    expect(again.text).not.toContain(secret.slice(13));

    const childId = (made.json.token as { id: string }).id;
    const revoked = await restCall(t.db, 'DELETE', `/tokens/${childId}`, { token: authorization, body: { reason: 'done with it' } });
    expect(revoked.status, revoked.text).toBe(200);
    expect(revoked.json).toMatchObject({ state: 'revoked', revokedByName: user.name });
    // The reason sent in the DELETE's body reached the audit row.
    const revokeAudit = await t.db.auditEvent.findFirstOrThrow({ where: { action: 'token.revoke', targetId: childId } });
    expect(JSON.stringify(revokeAudit.after)).toContain('done with it');
    const refused = await restCall(t.db, 'GET', '/tokens', { token: secret });
    expect([refused.status, refused.json.detail]).toEqual([401, bearerRefusalWords.revoked]);
  });

  it('refuses in problem+json: a role above the user’s (422, by field), a live name twice (409), another’s token (403)', async () => {
    const op = await tokenFor(t.db, 'operator', { name: 'op-bot', expiresAt: new Date(Date.now() + 30 * 86_400_000) });
    const high = await restCall(t.db, 'POST', '/tokens', { token: op.authorization, body: { name: 'root', role: 'admin', expiresInDays: 1 } });
    expect(high.status).toBe(422);
    expect(high.headers.get('content-type')).toContain('application/problem+json');
    expect(high.json.errors).toEqual({ role: ["A token's role can be at most yours (operator)."] });
    const twice = await restCall(t.db, 'POST', '/tokens', { token: op.authorization, body: { name: 'op-bot', role: 'viewer', expiresInDays: 1 } });
    expect(twice.status).toBe(409);
    expect(twice.json.errors).toEqual({ name: ['You already have a live token with this name'] });

    const other = await tokenFor(t.db, 'approver');
    const theirs = await restCall(t.db, 'DELETE', `/tokens/${other.token.id}`, { token: op.authorization });
    expect(theirs.status).toBe(403);
    expect((await t.db.apiToken.findUniqueOrThrow({ where: { id: other.token.id } })).revokedAt).toBeNull();
    expect((await restCall(t.db, 'GET', '/tokens/all', { token: op.authorization })).status).toBe(403);
  });

  it('an admin’s token lists every user’s tokens with the owner and revokes any', async () => {
    const admin = await tokenFor(t.db, 'admin');
    const victim = await tokenFor(t.db, 'viewer', { name: 'leaked' });
    const all = await restCall(t.db, 'GET', '/tokens/all?limit=200', { token: admin.authorization });
    expect(all.status).toBe(200);
    expect(all.json.items?.find((i) => i.id === victim.token.id)?.owner).toMatchObject({ name: victim.user.name });
    const r = await restCall(t.db, 'DELETE', `/tokens/${victim.token.id}?reason=leaked`, { token: admin.authorization });
    expect(r.status, r.text).toBe(200);
    expect((await restCall(t.db, 'GET', '/tokens', { token: victim.authorization })).status).toBe(401);
  });

  it('a viewer token of an admin acts as a viewer: no admin list, no admin token', async () => {
    const weak = await tokenFor(t.db, 'viewer', { userRole: 'admin' });
    expect((await restCall(t.db, 'GET', '/tokens/all', { token: weak.authorization })).status).toBe(403);
    const up = await restCall(t.db, 'POST', '/tokens', { token: weak.authorization, body: { name: 'up', role: 'admin', expiresInDays: 1 } });
    expect(up.json.errors).toEqual({ role: ["A token's role can be at most yours (viewer)."] });
  });

  it('deactivating the user stops their tokens at once', async () => {
    const admin = await tokenFor(t.db, 'admin');
    const bot = await tokenFor(t.db, 'operator');
    expect((await restCall(t.db, 'GET', '/tokens', { token: bot.authorization })).status).toBe(200);
    const u = await t.db.user.findUniqueOrThrow({ where: { id: bot.user.id } });
    await setUserActive(t.db, { id: admin.user.id, name: admin.user.name }, { id: u.id, active: false, version: u.version });
    const after = await restCall(t.db, 'GET', '/tokens', { token: bot.authorization });
    expect([after.status, after.json.detail]).toEqual([401, bearerRefusalWords.revoked]);
  });
});

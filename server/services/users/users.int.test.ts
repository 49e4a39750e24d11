import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser } from '../../db/factories';
import { AppError } from '../../errors';
import { getSessionUser } from '../../auth/sessions';
import { openTestDb, type TestDb } from '../../../test/context';
import { createUser, login, resetUserPassword, setUserActive, setUserRole } from './users';

let t: TestDb;
beforeAll(async () => (t = await openTestDb()));
afterAll(() => t.close());

const uniq = (p: string) => `${p}${Math.random().toString(36).slice(2, 9)}`;
const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof AppError ? e.code : String(e)));

describe('users', () => {
  it('creates a user with a generated password that works for login, and audits it', async () => {
    const { user: admin } = await makeUser(t.db, { role: 'admin' });
    const name = uniq('op');
    const r = await createUser(t.db, { id: admin.id, name: admin.name }, { name, role: 'operator' });
    expect(r.generatedPassword).toMatch(/^[A-Za-z0-9]{20}$/);
    const session = await login(t.db, { name, password: r.generatedPassword! }, { sessionHours: 1 });
    expect((await getSessionUser(t.db, session.token))?.role).toBe('operator');
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { action: 'user.create', targetId: r.user.id } });
    expect(audit.actorName).toBe(admin.name);
    expect(audit.after).toMatchObject({ name, role: 'operator' });
    // The password never reaches the audit log.
    expect(JSON.stringify({ ...audit, id: audit.id.toString() })).not.toContain(r.generatedPassword!);
  });

  it('refuses a duplicate name as a field error and writes nothing', async () => {
    const { user } = await makeUser(t.db);
    const before = await t.db.auditEvent.count();
    const err = await createUser(t.db, { id: null, name: 'test' }, { name: user.name, role: 'viewer' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).fieldErrors).toEqual({ name: ['This name is taken'] });
    expect(await t.db.auditEvent.count()).toBe(before);
  });

  it('refuses a stale role change, naming the current version and who changed it', async () => {
    const { user: admin } = await makeUser(t.db, { role: 'admin' });
    const { user } = await makeUser(t.db, { role: 'viewer' });
    await setUserRole(t.db, { id: admin.id, name: admin.name }, { id: user.id, role: 'operator', version: user.version });
    const err = (await setUserRole(t.db, { id: null, name: 'other' }, { id: user.id, role: 'approver', version: user.version }).catch((e: unknown) => e)) as AppError;
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toContain(`it is now version ${user.version + 1}`);
    expect(err.message).toContain(`by ${admin.name}`);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).role).toBe('operator');
  });

  it('never lets the last active admin be demoted or deactivated', async () => {
    // A database of its own: other tests add admins.
    const own = await openTestDb();
    try {
      const { user: admin } = await makeUser(own.db, { role: 'admin' });
      expect(await codeOf(setUserRole(own.db, { id: null, name: 'cli' }, { id: admin.id, role: 'viewer', version: admin.version }))).toBe('PRECONDITION_FAILED');
      expect(await codeOf(setUserActive(own.db, { id: null, name: 'cli' }, { id: admin.id, active: false, version: admin.version }))).toBe('PRECONDITION_FAILED');
      const { user: second } = await makeUser(own.db, { role: 'admin' });
      expect(await codeOf(setUserRole(own.db, { id: second.id, name: second.name }, { id: admin.id, role: 'viewer', version: admin.version }))).toBe('ok');
    } finally {
      await own.close();
    }
  });

  it('deactivating ends the user’s sessions and blocks login', async () => {
    const { user: admin } = await makeUser(t.db, { role: 'admin' });
    const { user, password } = await makeUser(t.db);
    const s = await login(t.db, { name: user.name, password }, { sessionHours: 1 });
    await setUserActive(t.db, { id: admin.id, name: admin.name }, { id: user.id, active: false, version: user.version });
    expect(await getSessionUser(t.db, s.token)).toBeNull();
    expect(await codeOf(login(t.db, { name: user.name, password }, { sessionHours: 1 }))).toBe('UNAUTHORIZED');
  });

  it('an admin cannot deactivate themself', async () => {
    const { user: admin } = await makeUser(t.db, { role: 'admin' });
    expect(await codeOf(setUserActive(t.db, { id: admin.id, name: admin.name }, { id: admin.id, active: false, version: admin.version }))).toBe('PRECONDITION_FAILED');
  });

  it('a password reset replaces the password and ends sessions', async () => {
    const { user, password } = await makeUser(t.db);
    const s = await login(t.db, { name: user.name, password }, { sessionHours: 1 });
    const r = await resetUserPassword(t.db, { id: null, name: 'cli' }, { id: user.id, version: user.version });
    expect(await getSessionUser(t.db, s.token)).toBeNull();
    expect(await codeOf(login(t.db, { name: user.name, password }, { sessionHours: 1 }))).toBe('UNAUTHORIZED');
    expect(await codeOf(login(t.db, { name: user.name, password: r.generatedPassword }, { sessionHours: 1 }))).toBe('ok');
  });

  it('slows down repeated failed logins and says how long to wait', async () => {
    const { user, password } = await makeUser(t.db);
    const attempt = (pw: string) => login(t.db, { name: user.name, password: pw }, { sessionHours: 1 });
    for (let i = 0; i < 3; i++) expect(await codeOf(attempt('wrong-password'))).toBe('UNAUTHORIZED');
    // After the free failures even the right password must wait.
    const err = (await attempt(password).catch((e: unknown) => e)) as AppError;
    expect(err.code).toBe('TOO_MANY_REQUESTS');
    expect(err.message).toMatch(/try again in \d+ s/);
  });

  it('expired sessions do not authenticate', async () => {
    const { user, password } = await makeUser(t.db);
    const s = await login(t.db, { name: user.name, password }, { sessionHours: 1 });
    await t.db.session.updateMany({ where: { userId: user.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await getSessionUser(t.db, s.token)).toBeNull();
  });
});

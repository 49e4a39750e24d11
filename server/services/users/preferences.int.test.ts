import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerAs, openTestDb, type TestDb } from '../../../test/context';

let t: TestDb;
beforeAll(async () => (t = await openTestDb()));
afterAll(() => t.close());

describe('the time zone preference', () => {
  it('is UTC for a new user and follows the user once changed, without touching their version', async () => {
    const { caller, user } = await callerAs(t.db, 'viewer');
    expect(user!.timeZone).toBe('utc');
    await expect(caller.users.setTimeZonePreference({ timeZone: 'local' })).resolves.toEqual({ timeZone: 'local' });
    const after = await t.db.user.findUniqueOrThrow({ where: { id: user!.id } });
    expect(after.timeZone).toBe('local');
    expect(after.version).toBe(user!.version);
  });

  it('refuses anything but utc or local, in words', async () => {
    const { caller } = await callerAs(t.db, 'viewer');
    await expect(caller.users.setTimeZonePreference({ timeZone: 'Europe/Paris' as 'utc' })).rejects.toThrow(/utc or local/);
  });
});

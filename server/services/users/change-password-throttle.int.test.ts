import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { makeUser } from '../../db/factories';
import { AppError } from '../../errors';
import { POLICIES } from '../../auth/throttle';
import { changeOwnPassword } from './users';

let t: TestDb;
beforeAll(async () => (t = await openTestDb()));
afterAll(() => t.close());

const codeOf = (p: Promise<unknown>) => p.then(() => 'OK', (err: unknown) => (err instanceof AppError ? err.code : String(err)));

describe('changing your own password', () => {
  it('checks the current password under the sign-in throttle: a stolen session cannot guess it at full speed', async () => {
    const { user, password } = await makeUser(t.db, { role: 'viewer' });
    const actor = { id: user.id, name: user.name };
    const opts = { keepSessionId: 'none', ip: '203.0.113.9' };
    const wrong = { current: 'not-the-password', next: 'a-new-password-1234' };
    for (let i = 0; i < POLICIES.nameAtAddress.free; i++) expect(await codeOf(changeOwnPassword(t.db, actor, wrong, opts))).toBe('BAD_REQUEST');
    // The next guess is refused before any password check, even the right one.
    expect(await codeOf(changeOwnPassword(t.db, actor, wrong, opts))).toBe('TOO_MANY_REQUESTS');
    expect(await codeOf(changeOwnPassword(t.db, actor, { current: password, next: 'a-new-password-1234' }, opts))).toBe('TOO_MANY_REQUESTS');
    // From another address the owner still can.
    expect(await codeOf(changeOwnPassword(t.db, actor, { current: password, next: 'a-new-password-1234' }, { ...opts, ip: '198.51.100.4' }))).toBe('OK');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { setUserActive, setUserRole } from './users';

// Two admins, a and b, are the only active admins. a demotes (or deactivates) b while a demotes
// themself, at the same moment. Each command alone sees "another admin remains"; together they
// must not leave the console without an admin. Repeated, because a race is a matter of timing.

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
afterAll(() => t.close());

const ROUNDS = 20;

async function twoAdmins(round: number) {
  // Only these two are active admins this round.
  await t.db.user.updateMany({ where: { role: 'admin' }, data: { active: false } });
  const make = (name: string) => t.db.user.create({ data: { name, role: 'admin', passwordHash: 'x' } });
  return Promise.all([make(`a-${round}`), make(`b-${round}`)]);
}

describe('the last-admin guard under concurrency', () => {
  it(`demoting the other admin and oneself at once, ${ROUNDS} times: an active admin always remains, one command refused in words`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const [a, b] = await twoAdmins(round);
      const actor = { id: a.id, name: a.name };
      const results = await Promise.allSettled([
        round % 2 === 0 ? setUserRole(t.db, actor, { id: b.id, role: 'viewer', version: b.version }) : setUserActive(t.db, actor, { id: b.id, active: false, version: b.version }),
        setUserRole(t.db, actor, { id: a.id, role: 'viewer', version: a.version }),
      ]);
      expect(await t.db.user.count({ where: { role: 'admin', active: true } }), `round ${round}`).toBeGreaterThanOrEqual(1);
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as { code: string; message: string });
      expect(refused, `round ${round}`).toHaveLength(1);
      expect(refused[0]).toMatchObject({ code: 'PRECONDITION_FAILED', message: 'This is the last active admin: make another user admin first.' });
    }
  });
});

// Two people start two rollouts of one service at the same moment: one wins, the other is told in
// words which rollout owns the service now (not "That rollout already exists" from the index).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { oneWinner, raceBehindLock } from '../../../test/race';
import { actorOf, rolloutFleet, specFor } from '../../../test/rollout-fixtures';
import { createRollout, startRollout } from './rollout-commands';

let t: TestDb;
beforeAll(async () => (t = await openTestDb()));
afterAll(() => t.close());

describe('simultaneous starts on one service', () => {
  it('the loser is refused naming the rollout that is active on the service', async () => {
    const f = await rolloutFleet(t.db);
    const a = await createRollout(t.db, actorOf(f.operator), { spec: specFor(f.service.name, [{ kind: 'setWeight', weight: 10 }], { name: 'first' }) });
    const b = await createRollout(t.db, actorOf(f.operator), { spec: specFor(f.service.name, [{ kind: 'setWeight', weight: 10 }], { name: 'second' }) });
    // Holding both rollout rows makes the two starts overlap: each is past its reads when it waits.
    const results = await raceBehindLock(t.url, `SELECT id FROM "Rollout" WHERE id IN ('${a.id}', '${b.id}') FOR UPDATE`, [
      () => startRollout(t.db, actorOf(f.operator), a),
      () => startRollout(t.db, actorOf(f.approver1), b),
    ]);
    const { winnerIndex, error } = oneWinner(results);
    const winner = winnerIndex === 0 ? 'first' : 'second';
    expect(error).toMatchObject({ code: 'CONFLICT' });
    expect(error.message).toContain(`Rollout "${winner}" is progressing on ${f.service.name}`);
    expect(await t.db.rollout.count({ where: { serviceId: f.service.id, state: 'progressing' } })).toBe(1);
  });
});

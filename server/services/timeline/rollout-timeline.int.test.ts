import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { actorOf, rolloutFleet, runUntil, specFor } from '../../../test/rollout-fixtures';
import { decideApproval } from '../rollouts/approvals';
import { createRollout, startRollout } from '../rollouts/rollout-commands';
import { listTimelineEvents } from './timeline';

let t: TestDb;
beforeAll(async () => (t = await openTestDb()));
afterAll(() => t.close());

describe('rollouts on the timeline', () => {
  it('steps, approvals, decisions and state changes appear on the one timeline and on their service', async () => {
    const from = Date.now() - 1000;
    const f = await rolloutFleet(t.db);
    const other = await rolloutFleet(t.db);
    const spec = specFor(f.service.name, [{ kind: 'setWeight', weight: 10 }, { kind: 'approval', quorum: 1, expiresInS: 600, onExpiry: 'abort' }]);
    const { id, version } = await createRollout(t.db, actorOf(f.operator), { spec });
    await startRollout(t.db, actorOf(f.operator), { id, version });
    await runUntil(t.db, id, f.service.id, (r) => r.state === 'paused');
    const request = await t.db.approvalRequest.findFirstOrThrow({ where: { rolloutId: id } });
    await decideApproval(t.db, actorOf(f.approver1), { requestId: request.id, decision: 'approve', reason: 'canary is healthy' });
    await runUntil(t.db, id, f.service.id, (r) => r.state === 'succeeded');
    const to = Date.now() + 1000;

    const mine = await listTimelineEvents(t.db, { from, to, serviceId: f.service.id });
    const rollout = mine.events.filter((e) => e.kind === 'rollout');
    expect(rollout.length).toBe(await t.db.rolloutEvent.count({ where: { rolloutId: id } }));
    expect(rollout.every((e) => e.title === `Rollout "${spec.name}" of ${f.service.name}`)).toBe(true);
    expect(rollout.find((e) => e.actor === f.approver1.name && e.detail.includes('canary is healthy'))).toBeDefined();
    expect(rollout.some((e) => e.detail.startsWith('Succeeded'))).toBe(true);
    // Newest first.
    expect(rollout.map((e) => e.at)).toEqual([...rollout.map((e) => e.at)].sort((a, b) => b - a));

    expect((await listTimelineEvents(t.db, { from, to, serviceId: other.service.id })).events.filter((e) => e.kind === 'rollout')).toEqual([]);
    expect((await listTimelineEvents(t.db, { from, to, serviceId: f.service.id, kinds: ['policy', 'change'] })).events.filter((e) => e.kind === 'rollout')).toEqual([]);
    const zone = await t.db.zone.findUniqueOrThrow({ where: { name: f.zones.b } });
    expect((await listTimelineEvents(t.db, { from, to, zoneId: zone.id })).events.filter((e) => e.kind === 'rollout')).toHaveLength(rollout.length);
  });
});

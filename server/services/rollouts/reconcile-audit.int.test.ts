// What the reconciler does by itself is audited and announced like a person's command: its aborts
// (approval rejected or expired, analysis failed) and an approval's expiry write audit rows with
// the actor "worker"; a new stateDetail (a guard's live value, an expired gate) sends a live event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { actorOf, reconcile, rolloutFleet, runUntil, specFor } from '../../../test/rollout-fixtures';
import type { RolloutStep } from '../../domain/rollouts/spec';
import { decideApproval } from './approvals';
import { createRollout, startRollout } from './rollout-commands';

let t: TestDb;
beforeAll(async () => (t = await openTestDb()));
afterAll(() => t.close());

type Fleet = Awaited<ReturnType<typeof rolloutFleet>>;
const row = (id: string) => t.db.rollout.findUniqueOrThrow({ where: { id } });
const workerAudit = (id: string) => t.db.auditEvent.findMany({ where: { targetId: id, actorName: 'worker' }, orderBy: { at: 'asc' } });
const liveFor = async (id: string) => (await t.db.liveEvent.findMany({ where: { topic: 'rollout.changed' }, orderBy: { id: 'asc' } })).map((e) => e.payload as { id: string; version: number }).filter((p) => p.id === id);

async function atGate(onExpiry: 'abort' | 'stay-paused') {
  const f = await rolloutFleet(t.db);
  const steps: RolloutStep[] = [{ kind: 'setWeight', weight: 10 }, { kind: 'approval', quorum: 1, expiresInS: 600, onExpiry }, { kind: 'setWeight', weight: 50 }];
  const { id, version } = await createRollout(t.db, actorOf(f.operator), { spec: specFor(f.service.name, steps) });
  await startRollout(t.db, actorOf(f.operator), { id, version });
  await runUntil(t.db, id, f.service.id, (r) => r.state === 'paused');
  return { f, id, request: await t.db.approvalRequest.findFirstOrThrow({ where: { rolloutId: id } }) };
}

let tickAt = Date.UTC(2026, 1, 1);
async function tickWith(f: Fleet, level: number) {
  const inst = await t.db.instance.findUniqueOrThrow({ where: { name: f.canaryInstance } });
  const at = new Date((tickAt += 1000));
  const tick = await t.db.tick.create({ data: { startedAt: at, finishedAt: at, durationMs: 1, instances: 1, leader: 'test' } });
  await t.db.telemetrySample.create({ data: { instanceId: inst.id, at, tickId: tick.id, targetWeight: 100, effectiveWeight: 100, degradation: level, breaker: 'closed', stageFill: [0.1, 0.1, 0.1, 0.1, 0.1], stageState: [] } });
}

describe('the reconciler audits what it does by itself', () => {
  it('an abort after a rejected approval is audited by "worker" with its reason', async () => {
    const { f, id, request } = await atGate('abort');
    await decideApproval(t.db, actorOf(f.approver1), { requestId: request.id, decision: 'reject', reason: 'no' });
    await reconcile(t.db, id);
    expect((await row(id)).state).toBe('aborted');
    expect(await workerAudit(id)).toEqual([expect.objectContaining({ action: 'rollout.abort', after: expect.objectContaining({ state: 'aborted', reason: 'approval_rejected' }) as unknown })]);
  });

  it('an expiry that aborts is audited twice (the expiry and the abort)', async () => {
    const { id, request } = await atGate('abort');
    await reconcile(t.db, id, new Date(request.expiresAt.getTime() + 1000));
    expect((await workerAudit(id)).map((a) => a.action).sort()).toEqual(['rollout.abort', 'rollout.approval-expire']);
  });

  it('a stay-paused expiry is audited, bumps the version and sends a live event', async () => {
    const { id, request } = await atGate('stay-paused');
    const before = await row(id);
    await reconcile(t.db, id, new Date(request.expiresAt.getTime() + 1000));
    const after = await row(id);
    expect(after).toMatchObject({ state: 'paused', pauseReason: 'awaiting_approval', version: before.version + 1 });
    expect(after.stateDetail).toMatch(/Approval expired/);
    expect((await workerAudit(id)).map((a) => a.action)).toEqual(['rollout.approval-expire']);
    expect((await liveFor(id)).at(-1)).toMatchObject({ version: after.version });
  });
});

describe('a guard\'s live value', () => {
  it('a new value in stateDetail sends a live event (no version bump: a pending override stays valid)', async () => {
    const f = await rolloutFleet(t.db);
    await tickWith(f, 2);
    const { id, version } = await createRollout(t.db, actorOf(f.operator), { spec: specFor(f.service.name, [{ kind: 'setWeight', weight: 10 }]) });
    await startRollout(t.db, actorOf(f.operator), { id, version });
    await reconcile(t.db, id);
    const held = await row(id);
    expect(held.stateDetail).toContain('at L2');
    const sent = (await liveFor(id)).length;
    await reconcile(t.db, id);
    expect((await liveFor(id)).length).toBe(sent);
    await tickWith(f, 3);
    await reconcile(t.db, id);
    const now = await row(id);
    expect(now.stateDetail).toContain('at L3');
    expect(now.version).toBe(held.version);
    expect((await liveFor(id)).length).toBe(sent + 1);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { createCaller } from '../../api/root';
import { AppError } from '../../errors';
import { contextFor, openTestDb, type TestDb } from '../../../test/context';
import { actorOf, withExactOnlyPlatform, jobsFor, platformApplies, reconcile, rolloutFleet, runUntil, specFor } from '../../../test/rollout-fixtures';
import { abortRollout, createRollout, pauseRollout, resumeRollout, retryRollout, startRollout } from './rollout-commands';
import { decideApproval, pendingApprovals } from './approvals';
import { promoteRolloutFull } from './rollout-promote';

let t: TestDb;
beforeAll(async () => (t = await openTestDb()));
afterAll(() => t.close());

const caught = async (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);

async function counts(rolloutId: string) {
  const [audit, jobs, live] = await Promise.all([
    t.db.auditEvent.count({ where: { targetType: 'rollout', targetId: rolloutId } }),
    jobsFor(t.db, rolloutId),
    t.db.liveEvent.count({ where: { topic: 'rollout.changed' } }),
  ]);
  return { audit, jobs: jobs.length, live };
}

describe('rollout commands', () => {
  it('create and start: one transaction each with audit, live event and the reconcile job (job key rollout:<id>)', async () => {
    const f = await rolloutFleet(t.db);
    const { id, version } = await createRollout(t.db, actorOf(f.operator), { spec: specFor(f.service.name, [{ kind: 'setWeight', weight: 10 }]) });
    const started = await startRollout(t.db, actorOf(f.operator), { id, version });
    expect(started.version).toBe(version + 1);
    const r = await t.db.rollout.findUniqueOrThrow({ where: { id } });
    expect(r).toMatchObject({ state: 'progressing', startedByName: f.operator.name, createdByName: f.operator.name });
    expect(await jobsFor(t.db, id)).toEqual([expect.objectContaining({ key: `rollout:${id}` })]);
    const events = await t.db.rolloutEvent.findMany({ where: { rolloutId: id } });
    expect(events.map((e) => [e.kind, e.fromState, e.toState])).toEqual([['state', 'pending', 'progressing']]);
    expect(await t.db.auditEvent.count({ where: { targetId: id, action: { in: ['rollout.create', 'rollout.start'] } } })).toBe(2);
  });

  it('a stale version is refused naming the current one, and the failed command leaves no job, audit or live event', async () => {
    const f = await rolloutFleet(t.db);
    const { id, version } = await createRollout(t.db, actorOf(f.operator), { spec: specFor(f.service.name, [{ kind: 'setWeight', weight: 10 }]) });
    await startRollout(t.db, actorOf(f.operator), { id, version });
    await pauseRollout(t.db, actorOf(f.operator), { id, version: version + 1 });
    const before = await counts(id);
    const err = await caught(resumeRollout(t.db, actorOf(f.operator), { id, version: version + 1 }));
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('CONFLICT');
    expect((err as AppError).message).toContain(`it is now version ${version + 2}; your edit was based on version ${version + 1}`);
    expect(await counts(id)).toEqual(before);
    expect((await t.db.rollout.findUniqueOrThrow({ where: { id } })).state).toBe('paused');
  });

  it('a transition the machine refuses is a conflict in words', async () => {
    const f = await rolloutFleet(t.db);
    const { id, version } = await createRollout(t.db, actorOf(f.operator), { spec: specFor(f.service.name, [{ kind: 'setWeight', weight: 10 }]) });
    const err = await caught(retryRollout(t.db, actorOf(f.operator), { id, version }));
    expect((err as AppError).message).toBe('The rollout is Pending; only a rolled-back rollout can be retried.');
  });

  it('refuses a spec the fleet or the platform cannot run, in words naming the capability', async () => {
    const f = await rolloutFleet(t.db);
    const regex = await withExactOnlyPlatform(t.db, f.service.name, () =>
      caught(createRollout(t.db, actorOf(f.operator), { spec: specFor(f.service.name, [{ kind: 'setHeaderRoute', header: 'X-Abtest-Group', match: 'regex', value: '^v2' }]) })),
    );
    expect((regex as AppError).code).toBe('PRECONDITION_FAILED');
    expect((regex as AppError).message).toMatch(/haproxy \("haproxy-[0-9a-f]+"\) adapter cannot match headers by regular expression/);
    const missing = await caught(createRollout(t.db, actorOf(f.operator), { spec: { ...specFor(f.service.name, [{ kind: 'setWeight', weight: 5 }]), canaryVersion: 'v9' } }));
    expect((missing as AppError).message).toContain(`No instance of ${f.service.name} runs v9`);
    expect(await t.db.rollout.count({ where: { serviceId: f.service.id } })).toBe(0);
  });

  it('one active rollout per service: a second start is refused naming the first', async () => {
    const f = await rolloutFleet(t.db);
    const a = await createRollout(t.db, actorOf(f.operator), { spec: specFor(f.service.name, [{ kind: 'setWeight', weight: 10 }], { name: 'first' }) });
    const b = await createRollout(t.db, actorOf(f.operator), { spec: specFor(f.service.name, [{ kind: 'setWeight', weight: 10 }], { name: 'second' }) });
    await startRollout(t.db, actorOf(f.operator), a);
    const err = await caught(startRollout(t.db, actorOf(f.operator), b));
    expect((err as AppError).message).toContain('Rollout "first" is progressing');
  });

  it('abort: back to 100 % stable with the header rules removed, as ONE routing change; rolled back once applied', async () => {
    const f = await rolloutFleet(t.db);
    const spec = specFor(f.service.name, [
      { kind: 'setHeaderRoute', header: 'X-Abtest-Group', match: 'exact', value: 'v2-canary' },
      { kind: 'setWeight', weight: 20 },
      { kind: 'pause' },
    ]);
    const { id, version } = await createRollout(t.db, actorOf(f.operator), { spec });
    await startRollout(t.db, actorOf(f.operator), { id, version });
    const paused = await runUntil(t.db, id, f.service.id, (r) => r.state === 'paused');
    const before = await t.db.service.findUniqueOrThrow({ where: { id: f.service.id } });
    expect(before.routing).toEqual({ versionWeights: { v1: 80, v2: 20 }, headerRules: [{ header: 'X-Abtest-Group', equals: 'v2-canary', version: 'v2', match: 'exact' }] });
    const blank = await caught(abortRollout(t.db, actorOf(f.operator), { id, version: paused.version, reason: '   ' }));
    expect(blank).toBeInstanceOf(Error);
    await abortRollout(t.db, actorOf(f.operator), { id, version: paused.version, reason: 'customers complain' });
    const after = await t.db.service.findUniqueOrThrow({ where: { id: f.service.id } });
    expect(after.version).toBe(before.version + 1);
    expect(after.routing).toEqual({ versionWeights: { v1: 100, v2: 0 }, headerRules: [] });
    expect((await t.db.rollout.findUniqueOrThrow({ where: { id } })).state).toBe('aborted');
    await reconcile(t.db, id);
    expect((await t.db.rollout.findUniqueOrThrow({ where: { id } })).state).toBe('aborted');
    await platformApplies(t.db, f.service.id);
    await reconcile(t.db, id);
    const done = await t.db.rollout.findUniqueOrThrow({ where: { id } });
    expect(done).toMatchObject({ state: 'rolled_back', abortReason: 'manual' });
    // Retry: a new attempt from the first step.
    await retryRollout(t.db, actorOf(f.operator), { id, version: done.version });
    expect(await t.db.rollout.findUniqueOrThrow({ where: { id } })).toMatchObject({ state: 'progressing', attempt: 2, currentStep: 0, abortReason: null });
  });
});

describe('approvals', () => {
  async function waitingForApproval(quorum: number, onExpiry: 'stay-paused' | 'abort' = 'abort') {
    const f = await rolloutFleet(t.db);
    const spec = specFor(f.service.name, [{ kind: 'setWeight', weight: 10 }, { kind: 'approval', quorum, expiresInS: 600, onExpiry }, { kind: 'setWeight', weight: 50 }]);
    const { id, version } = await createRollout(t.db, actorOf(f.operator), { spec });
    await startRollout(t.db, actorOf(f.operator), { id, version });
    await runUntil(t.db, id, f.service.id, (r) => r.state === 'paused');
    const request = await t.db.approvalRequest.findFirstOrThrow({ where: { rolloutId: id } });
    return { f, id, request };
  }

  it('the author (creator or starter) may not approve; a quorum of 2 needs 2 distinct approvers; one decision each', async () => {
    const { f, id, request } = await waitingForApproval(2);
    expect(await t.db.rollout.findUniqueOrThrow({ where: { id } })).toMatchObject({ state: 'paused', pauseReason: 'awaiting_approval' });
    // An approver who started it is an author too.
    const g = await rolloutFleet(t.db);
    const own = await createRollout(t.db, actorOf(g.operator), { spec: specFor(g.service.name, [{ kind: 'approval', quorum: 1, expiresInS: 600, onExpiry: 'abort' }]) });
    await startRollout(t.db, actorOf(g.approver1), own);
    await reconcile(t.db, own.id);
    const ownRequest = await t.db.approvalRequest.findFirstOrThrow({ where: { rolloutId: own.id } });
    const byStarter = await caught(decideApproval(t.db, actorOf(g.approver1), { requestId: ownRequest.id, decision: 'approve', reason: 'mine' }));
    expect(byStarter).toMatchObject({ code: 'FORBIDDEN', message: 'You started this rollout: its author may not decide its approvals.' });
    const byOperator = await caught(decideApproval(t.db, actorOf(f.operator), { requestId: request.id, decision: 'approve', reason: 'ship it' }));
    expect((byOperator as AppError).code).toBe('FORBIDDEN');

    expect(await pendingApprovals(t.db, f.approver1)).toEqual({ count: expect.any(Number) as number });
    const pendingBefore = (await pendingApprovals(t.db, f.approver1)).count;
    await decideApproval(t.db, actorOf(f.approver1), { requestId: request.id, decision: 'approve', reason: 'metrics look fine' });
    expect((await pendingApprovals(t.db, f.approver1)).count).toBe(pendingBefore - 1);
    const again = await caught(decideApproval(t.db, actorOf(f.approver1), { requestId: request.id, decision: 'approve', reason: 'twice' }));
    expect(again).toMatchObject({ code: 'CONFLICT' });
    expect((again as AppError).message).toMatch(/already decided/);
    await reconcile(t.db, id);
    expect(await t.db.rollout.findUniqueOrThrow({ where: { id } })).toMatchObject({ state: 'paused', currentStep: 1 });

    await decideApproval(t.db, actorOf(f.approver2), { requestId: request.id, decision: 'approve', reason: 'agreed' });
    expect((await t.db.approvalRequest.findUniqueOrThrow({ where: { id: request.id } })).state).toBe('approved');
    await reconcile(t.db, id);
    expect(await t.db.rollout.findUniqueOrThrow({ where: { id } })).toMatchObject({ state: 'progressing', currentStep: 2 });
    const decisions = await t.db.auditEvent.count({ where: { targetId: id, action: 'rollout.decide' } });
    expect(decisions).toBe(2);
    const timeline = await t.db.rolloutEvent.findMany({ where: { rolloutId: id, kind: 'decision' } });
    expect(timeline.map((e) => e.actorName).sort()).toEqual([f.approver1.name, f.approver2.name].sort());
  });

  it('a rejection aborts and rolls back', async () => {
    const { f, id, request } = await waitingForApproval(2);
    await decideApproval(t.db, actorOf(f.approver1), { requestId: request.id, decision: 'reject', reason: 'error budget spent' });
    await reconcile(t.db, id);
    expect(await t.db.rollout.findUniqueOrThrow({ where: { id } })).toMatchObject({ state: 'aborted', abortReason: 'approval_rejected' });
    expect((await t.db.service.findUniqueOrThrow({ where: { id: f.service.id } })).routing).toEqual({ versionWeights: { v1: 100, v2: 0 }, headerRules: [] });
  });

  it('expiry: on-expiry abort rolls back; stay-paused stays paused and takes no more decisions', async () => {
    const a = await waitingForApproval(1, 'abort');
    await reconcile(t.db, a.id, new Date(a.request.expiresAt.getTime() + 1000));
    expect(await t.db.rollout.findUniqueOrThrow({ where: { id: a.id } })).toMatchObject({ state: 'aborted', abortReason: 'approval_expired' });

    const s = await waitingForApproval(1, 'stay-paused');
    await reconcile(t.db, s.id, new Date(s.request.expiresAt.getTime() + 1000));
    expect(await t.db.rollout.findUniqueOrThrow({ where: { id: s.id } })).toMatchObject({ state: 'paused', pauseReason: 'awaiting_approval' });
    expect((await t.db.approvalRequest.findUniqueOrThrow({ where: { id: s.request.id } })).state).toBe('expired');
    const late = await caught(decideApproval(t.db, actorOf(s.f.approver1), { requestId: s.request.id, decision: 'approve', reason: 'late' }));
    expect((late as AppError).message).toMatch(/expired/);
  });

  it('promote-full and decide need the approver role and a reason (through the API)', async () => {
    const { f, id, request } = await waitingForApproval(1);
    const op = createCaller(contextFor(t.db, f.operator));
    const ap = createCaller(contextFor(t.db, f.approver1));
    expect(await caught(ap.rollouts.decide({ requestId: request.id, decision: 'approve', reason: ' ' }))).toMatchObject({ code: 'BAD_REQUEST' });
    // Promote-full skips the remaining gates, never an open one: decide it first.
    await ap.rollouts.decide({ requestId: request.id, decision: 'approve', reason: 'fine' });
    await reconcile(t.db, id);
    const r = await t.db.rollout.findUniqueOrThrow({ where: { id } });
    expect(await caught(op.rollouts.promoteFull({ id, version: r.version, reason: 'now' }))).toMatchObject({ code: 'FORBIDDEN' });
    const noReason = await caught(ap.rollouts.promoteFull({ id, version: r.version, reason: '' }));
    expect(noReason).toBeInstanceOf(TRPCError);
    expect((noReason as TRPCError).code).toBe('BAD_REQUEST');
    await ap.rollouts.promoteFull({ id, version: r.version, reason: 'incident fix must ship' });
    expect(await t.db.rollout.findUniqueOrThrow({ where: { id } })).toMatchObject({ state: 'promoting', currentStep: 3 });
    expect((await t.db.service.findUniqueOrThrow({ where: { id: f.service.id } })).routing).toEqual({ versionWeights: { v1: 0, v2: 100 }, headerRules: [] });
    await platformApplies(t.db, f.service.id);
    await reconcile(t.db, id);
    expect((await t.db.rollout.findUniqueOrThrow({ where: { id } })).state).toBe('succeeded');
    expect(await t.db.auditEvent.findFirst({ where: { targetId: id, action: 'rollout.promote-full' } })).toMatchObject({ actorName: f.approver1.name });
  });

  it('promote-full as a service call also refuses a blank reason', async () => {
    const { f, id } = await waitingForApproval(1);
    const r = await t.db.rollout.findUniqueOrThrow({ where: { id } });
    expect(await caught(promoteRolloutFull(t.db, actorOf(f.approver1), { id, version: r.version, reason: '  ' }))).toBeInstanceOf(Error);
    expect((await t.db.rollout.findUniqueOrThrow({ where: { id } })).state).toBe('paused');
  });
});

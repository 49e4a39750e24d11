// An approval gate is passed only by its decision: promote refuses an approval step whose request
// is not approved (or expired with "stay paused", and then only for a non-author), whether or not
// the reconciler opened it yet; promote-full refuses an open request and any author; the author
// set is everyone who created, edited or started any attempt.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RolloutStep } from '../../domain/rollouts/spec';
import { contextFor, openTestDb, type TestDb } from '../../../test/context';
import { createCaller } from '../../api/root';
import { actorOf, platformApplies, reconcile, rolloutFleet, runUntil, specFor } from '../../../test/rollout-fixtures';
import { decideApproval, pendingApprovals } from './approvals';
import { abortRollout, createRollout, retryRollout, startRollout, updateRollout } from './rollout-commands';
import { promoteRollout, promoteRolloutFull } from './rollout-promote';

let t: TestDb;
beforeAll(async () => (t = await openTestDb()));
afterAll(() => t.close());

const caught = async (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);
const gate = (onExpiry: 'abort' | 'stay-paused' = 'abort'): RolloutStep => ({ kind: 'approval', quorum: 1, expiresInS: 600, onExpiry });
const row = (id: string) => t.db.rollout.findUniqueOrThrow({ where: { id } });

async function started(steps: RolloutStep[], starter?: 'approver1') {
  const f = await rolloutFleet(t.db);
  const { id, version } = await createRollout(t.db, actorOf(f.operator), { spec: specFor(f.service.name, steps) });
  await startRollout(t.db, actorOf(starter ? f[starter] : f.operator), { id, version });
  return { f, id };
}

describe('promote and an approval gate', () => {
  it('refuses promoting past an approval step the reconciler has not opened yet (right after start)', async () => {
    const { f, id } = await started([gate(), { kind: 'setWeight', weight: 20 }]);
    const r = await row(id);
    expect(r).toMatchObject({ state: 'progressing', currentStep: 0 });
    const err = await caught(promoteRollout(t.db, actorOf(f.approver1), { id, version: r.version }));
    expect(err).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/approval step.*promote cannot skip an approval/) as unknown });
    expect(await row(id)).toMatchObject({ currentStep: 0, version: r.version });
    expect(await t.db.rolloutStepRun.count({ where: { rolloutId: id, outcome: 'skipped' } })).toBe(0);
  });

  it('refuses a second promote that would skip the gate a first promote moved onto', async () => {
    const { f, id } = await started([{ kind: 'setWeight', weight: 10 }, gate(), { kind: 'setWeight', weight: 50 }]);
    const first = await promoteRollout(t.db, actorOf(f.approver1), { id, version: (await row(id)).version });
    expect(await row(id)).toMatchObject({ state: 'progressing', currentStep: 1 });
    expect(await caught(promoteRollout(t.db, actorOf(f.approver1), { id, version: first.version }))).toMatchObject({ code: 'CONFLICT' });
    expect(await row(id)).toMatchObject({ currentStep: 1 });
    // The reconciler opens the request; once approved, promote may move on.
    await reconcile(t.db, id);
    const request = await t.db.approvalRequest.findFirstOrThrow({ where: { rolloutId: id } });
    expect(await caught(promoteRollout(t.db, actorOf(f.approver1), { id, version: (await row(id)).version }))).toMatchObject({ code: 'CONFLICT' });
    await decideApproval(t.db, actorOf(f.approver2), { requestId: request.id, decision: 'approve', reason: 'fine' });
    await promoteRollout(t.db, actorOf(f.approver1), { id, version: (await row(id)).version });
    expect(await row(id)).toMatchObject({ currentStep: 2 });
  });

  it('an expired stay-paused gate: a non-author may promote, an author may not', async () => {
    const { f, id } = await started([gate('stay-paused'), { kind: 'setWeight', weight: 50 }], 'approver1');
    await reconcile(t.db, id);
    const request = await t.db.approvalRequest.findFirstOrThrow({ where: { rolloutId: id } });
    await reconcile(t.db, id, new Date(request.expiresAt.getTime() + 1000));
    expect((await t.db.approvalRequest.findUniqueOrThrow({ where: { id: request.id } })).state).toBe('expired');
    const byStarter = await caught(promoteRollout(t.db, actorOf(f.approver1), { id, version: (await row(id)).version }));
    expect(byStarter).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/its author may not promote it past its expired approval/) as unknown });
    await promoteRollout(t.db, actorOf(f.approver2), { id, version: (await row(id)).version });
    expect(await row(id)).toMatchObject({ state: 'progressing', currentStep: 1 });
  });
});

describe('promote-full', () => {
  it('refuses while an approval request is open, and refuses the author (the starter)', async () => {
    const { f, id } = await started([{ kind: 'setWeight', weight: 10 }, gate(), { kind: 'setWeight', weight: 50 }], 'approver1');
    await runUntil(t.db, id, f.service.id, (r) => r.state === 'paused');
    const open = await caught(promoteRolloutFull(t.db, actorOf(f.approver2), { id, version: (await row(id)).version, reason: 'now' }));
    expect(open).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/open/) as unknown });
    const request = await t.db.approvalRequest.findFirstOrThrow({ where: { rolloutId: id } });
    await decideApproval(t.db, actorOf(f.approver2), { requestId: request.id, decision: 'approve', reason: 'ok' });
    await reconcile(t.db, id);
    expect(await row(id)).toMatchObject({ state: 'progressing', currentStep: 2 });
    const own = await caught(promoteRolloutFull(t.db, actorOf(f.approver1), { id, version: (await row(id)).version, reason: 'mine' }));
    expect(own).toMatchObject({ code: 'FORBIDDEN' });
    await promoteRolloutFull(t.db, actorOf(f.approver2), { id, version: (await row(id)).version, reason: 'ship it' });
    expect(await row(id)).toMatchObject({ state: 'promoting' });
  });
});

describe('the authors of a rollout', () => {
  it('an approver who edited the pending spec may not approve it, nor promote-full it', async () => {
    const f = await rolloutFleet(t.db);
    const spec = specFor(f.service.name, [gate(), { kind: 'setWeight', weight: 50 }]);
    const created = await createRollout(t.db, actorOf(f.operator), { spec });
    const edited = await updateRollout(t.db, actorOf(f.approver1), { id: created.id, version: created.version, spec: { ...spec, alpha: 0.05 } });
    await startRollout(t.db, actorOf(f.operator), edited);
    await reconcile(t.db, created.id);
    const request = await t.db.approvalRequest.findFirstOrThrow({ where: { rolloutId: created.id } });
    expect((await pendingApprovals(t.db, f.approver1)).count).toBe(0);
    const page = await createCaller(contextFor(t.db, f.approver1)).rollouts.list({});
    expect(page.find((r) => r.id === created.id)?.approval?.canDecide).toBe(false);
    expect(await createCaller(contextFor(t.db, f.approver1)).rollouts.get({ id: created.id })).toMatchObject({ isAuthor: true, canDecide: false });
    const err = await caught(decideApproval(t.db, actorOf(f.approver1), { requestId: request.id, decision: 'approve', reason: 'mine' }));
    expect(err).toMatchObject({ code: 'FORBIDDEN', message: 'You edited or started this rollout: its author may not decide its approvals.' });
  });

  it('whoever started an earlier attempt stays an author after someone else retries it', async () => {
    const { f, id } = await started([gate(), { kind: 'setWeight', weight: 50 }], 'approver1');
    await abortRollout(t.db, actorOf(f.operator), { id, version: (await row(id)).version, reason: 'again' });
    await platformApplies(t.db, f.service.id);
    await reconcile(t.db, id);
    await retryRollout(t.db, actorOf(f.operator), { id, version: (await row(id)).version });
    await reconcile(t.db, id);
    const request = await t.db.approvalRequest.findFirstOrThrow({ where: { rolloutId: id, attempt: 2 } });
    expect(await row(id)).toMatchObject({ startedById: f.operator.id });
    const err = await caught(decideApproval(t.db, actorOf(f.approver1), { requestId: request.id, decision: 'approve', reason: 'looks fine' }));
    expect(err).toMatchObject({ code: 'FORBIDDEN' });
    const full = await caught(promoteRolloutFull(t.db, actorOf(f.approver1), { id, version: (await row(id)).version, reason: 'now' }));
    expect(full).toMatchObject({ code: 'FORBIDDEN' });
  });
});

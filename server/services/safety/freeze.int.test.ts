import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { createCaller } from '../../api/root';
import { type AppError } from '../../errors';
import { contextFor, openTestDb, type TestDb } from '../../../test/context';
import { actorOf, chaosFleet, experimentOf } from '../../../test/safety-fixtures';
import { jobsFor, platformApplies, reconcile, rolloutFleet, startedRollout } from '../../../test/rollout-fixtures';
import { startRun } from '../experiments/run-stand-ins';
import { updateFreeze } from './freeze';
import { safetyStatus } from './status';

let t: TestDb;
let f: Awaited<ReturnType<typeof chaosFleet>>;
beforeAll(async () => {
  t = await openTestDb();
  f = await chaosFleet(t.db);
});
afterAll(() => t.close());

const caught = async (p: Promise<unknown>) => p.then(() => { throw new Error('expected a refusal'); }, (e: unknown) => e as AppError);
const code = (e: unknown) => (e instanceof TRPCError ? e.code : String(e));
const as = (u: Parameters<typeof contextFor>[1]) => createCaller(contextFor(t.db, u));

describe('freeze windows', () => {
  const start = new Date(Date.now() - 60_000);
  const end = new Date(Date.now() + 3_600_000);
  let windowId = '';

  it('approvers create windows; operators may not', async () => {
    expect(code(await as(f.operator).safety.freezes.create({ window: { name: 'peak', reason: 'peak traffic', kind: 'one_off', startsAt: start, endsAt: end } }).catch((e: unknown) => e))).toBe('FORBIDDEN');
    const bad = await as(f.approver).safety.freezes.create({ window: { name: 'bad', reason: 'x', kind: 'recurring', cron: '61 * * * *', durationMin: 10 } }).catch((e: unknown) => e);
    expect(code(bad)).toBe('BAD_REQUEST');
    const { id } = await as(f.approver).safety.freezes.create({ window: { name: 'peak', reason: 'peak traffic', kind: 'one_off', startsAt: start, endsAt: end, appliesToExperiments: true } });
    windowId = id;
    const status = await safetyStatus(t.db);
    expect(status.activeFreezes.map((w) => w.name)).toEqual(['peak']);
  });

  it('pauses a traffic-raising step (frozen) naming the window and its end, and wakes at the end', async () => {
    const rf = await rolloutFleet(t.db);
    const id = await startedRollout(t.db, rf, [{ kind: 'setWeight', weight: 10 }, { kind: 'setWeight', weight: 20 }]);
    const version = (await t.db.service.findUniqueOrThrow({ where: { id: rf.service.id } })).version;
    await reconcile(t.db, id);
    const r = await t.db.rollout.findUniqueOrThrow({ where: { id } });
    expect(r).toMatchObject({ state: 'paused', pauseReason: 'frozen', currentStep: 0 });
    expect(r.stateDetail).toContain('freeze window “peak” (peak traffic) until');
    expect((await t.db.service.findUniqueOrThrow({ where: { id: rf.service.id } })).version).toBe(version);
    expect((await jobsFor(t.db, id)).map((j) => j.run_at.getTime())).toEqual([end.getTime()]);

    // A person's resume is refused (it is the window's, or an approver's override).
    expect(code(await as(rf.operator).rollouts.resume({ id, version: r.version }).catch((e: unknown) => e))).toBe('CONFLICT');
    // Operators may not override; approvers may, with a reason recorded on the step run.
    expect(code(await as(rf.operator).rollouts.overrideFreeze({ id, version: r.version, reason: 'hotfix' }).catch((e: unknown) => e))).toBe('FORBIDDEN');
    await as(rf.approver1).rollouts.overrideFreeze({ id, version: r.version, reason: 'hotfix for the outage' });
    const run = await t.db.rolloutStepRun.findFirstOrThrow({ where: { rolloutId: id, stepIndex: 0 } });
    expect(run).toMatchObject({ freezeOverrideByName: rf.approver1.name, freezeOverrideReason: 'hotfix for the outage' });
    await reconcile(t.db, id);
    expect((await t.db.rollout.findUniqueOrThrow({ where: { id } })).state).toBe('progressing');
    expect((await t.db.service.findUniqueOrThrow({ where: { id: rf.service.id } })).version).toBe(version + 1);

    // The override was for that step: the next increase is held again, until the window ends.
    await platformApplies(t.db, rf.service.id);
    await reconcile(t.db, id);
    expect(await t.db.rollout.findUniqueOrThrow({ where: { id } })).toMatchObject({ state: 'paused', pauseReason: 'frozen', currentStep: 1 });
    await reconcile(t.db, id, new Date(end.getTime() + 1000));
    expect(await t.db.rollout.findUniqueOrThrow({ where: { id } })).toMatchObject({ state: 'progressing', currentStep: 1 });
    expect((await t.db.service.findUniqueOrThrow({ where: { id: rf.service.id } })).version).toBe(version + 2);
  });

  it('refuses an experiment start inside a window that applies to experiments, naming it', async () => {
    const e = await experimentOf(t.db, f);
    const err = await caught(startRun(t.db, actorOf(f.operator), { experimentId: e.id }));
    expect(err.message).toContain('freeze window “peak”');
  });

  it('edits with compare-and-set (a stale edit names the current version); removed windows stop applying', async () => {
    const w = await t.db.freezeWindow.findUniqueOrThrow({ where: { id: windowId } });
    await updateFreeze(t.db, actorOf(f.approver), { id: w.id, version: w.version, window: { name: 'peak', reason: 'peak traffic', kind: 'one_off', startsAt: start, endsAt: end, appliesToExperiments: false } });
    const err = await caught(updateFreeze(t.db, actorOf(f.approver), { id: w.id, version: w.version, window: { name: 'peak2', reason: 'x', kind: 'one_off', startsAt: start, endsAt: end } }));
    expect(err.message).toContain(`it is now version ${w.version + 1}`);
    const e = await experimentOf(t.db, f);
    await startRun(t.db, actorOf(f.operator), { experimentId: e.id });
    await as(f.approver).safety.freezes.remove({ id: w.id, version: w.version + 1 });
    expect((await safetyStatus(t.db)).activeFreezes).toEqual([]);
  });

  it('a recurring window is active during each occurrence only', async () => {
    const now = new Date();
    const m = now.getUTCMinutes();
    await as(f.approver).safety.freezes.create({ window: { name: 'nightly', reason: 'backups', kind: 'recurring', cron: `${m} * * * *`, durationMin: 5 } });
    await as(f.approver).safety.freezes.create({ window: { name: 'later', reason: 'not now', kind: 'recurring', cron: `${(m + 30) % 60} * * * *`, durationMin: 5 } });
    const names = (await safetyStatus(t.db)).activeFreezes.map((w) => w.name);
    expect(names).toEqual(['nightly']);
  });
});

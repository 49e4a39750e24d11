import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { createCaller } from '../../api/root';
import { type AppError } from '../../errors';
import { contextFor, openTestDb, type TestDb } from '../../../test/context';
import { actorOf, chaosFleet, experimentOf, runIn } from '../../../test/safety-fixtures';
import { platformApplies, reconcile, rolloutFleet, specFor, startedRollout } from '../../../test/rollout-fixtures';
import { createRollout, resumeRollout, startRollout } from '../rollouts/rollout-commands';
import { engageHalt, haltStatus, recordHaltCleared, releaseHalt } from './halt';
import { startRun } from '../experiments/run-stand-ins';

let t: TestDb;
let f: Awaited<ReturnType<typeof chaosFleet>>;
beforeAll(async () => {
  t = await openTestDb();
  f = await chaosFleet(t.db);
});
afterAll(() => t.close());

const caught = async (p: Promise<unknown>) => p.then(() => { throw new Error('expected a refusal'); }, (e: unknown) => e as AppError);
const xmin = async (table: string, id: string) => (await t.db.$queryRawUnsafe<Array<{ x: string }>>(`SELECT xmin::text AS x FROM "${table}" WHERE id = $1::uuid`, id))[0]!.x;

describe('halt-all', () => {
  it('engage: in ONE transaction pauses a progressing rollout (halted), aborts the active run and stops wanting its faults', async () => {
    const rf = await rolloutFleet(t.db);
    const rolloutId = await startedRollout(t.db, rf, [{ kind: 'setWeight', weight: 10 }, { kind: 'setWeight', weight: 20 }]);
    await reconcile(t.db, rolloutId);
    await platformApplies(t.db, rf.service.id);
    const e = await experimentOf(t.db, f);
    const run = await runIn(t.db, e.id, 'running', f);
    const other = await experimentOf(t.db, f);
    const pending = await runIn(t.db, other.id, 'pending', f);

    const res = await engageHalt(t.db, actorOf(f.operator), { reason: 'database failover' });
    expect(res).toMatchObject({ runsAborted: 2, injectionsRemoved: 4, rolloutsPaused: 1 });

    const rollout = await t.db.rollout.findUniqueOrThrow({ where: { id: rolloutId } });
    expect(rollout).toMatchObject({ state: 'paused', pauseReason: 'halted' });
    expect(rollout.stateDetail).toContain(`halt-all engaged by ${f.operator.name}`);
    for (const r of [run, pending]) {
      expect(await t.db.experimentRun.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({ state: 'recovering', abortReason: 'halted' });
      const inj = await t.db.injection.findMany({ where: { runId: r.id } });
      expect(inj.map((i) => [i.desired, i.removeReason])).toEqual([[false, 'halted'], [false, 'halted']]);
    }
    // One transaction: every row it wrote carries the same transaction id.
    const tx = await xmin('Halt', res.id);
    expect(await xmin('Rollout', rolloutId)).toBe(tx);
    expect(await xmin('ExperimentRun', run.id)).toBe(tx);
    for (const i of await t.db.injection.findMany({ where: { runId: run.id } })) expect(await xmin('Injection', i.id)).toBe(tx);
    expect(await t.db.liveEvent.count({ where: { topic: 'safety.changed' } })).toBeGreaterThanOrEqual(1);
    expect(await t.db.auditEvent.count({ where: { action: 'safety.halt.engage', targetId: res.id } })).toBe(1);
    expect(await t.db.experimentRunEvent.count({ where: { runId: run.id, kind: 'halt' } })).toBe(1);

    // The reconciler does not move a halted rollout on.
    const v = rollout.version;
    await reconcile(t.db, rolloutId);
    expect(await t.db.rollout.findUniqueOrThrow({ where: { id: rolloutId } })).toMatchObject({ state: 'paused', pauseReason: 'halted', version: v, currentStep: rollout.currentStep });
  });

  it('a second engage while engaged is refused in words', async () => {
    const err = await caught(engageHalt(t.db, actorOf(f.approver), { reason: 'again' }));
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toContain('already engaged');
    expect(err.message).toContain('database failover');
    expect(await t.db.halt.count({ where: { releasedAt: null } })).toBe(1);
  });

  it('while engaged: rollout resume and start, and experiment starts, are refused naming the halt', async () => {
    const paused = await t.db.rollout.findFirstOrThrow({ where: { pauseReason: 'halted' } });
    const resume = await caught(resumeRollout(t.db, actorOf(f.operator), { id: paused.id, version: paused.version }));
    expect(resume.message).toContain(`halt-all engaged by ${f.operator.name}`);
    expect(resume.message).toContain('database failover');
    const rf = await rolloutFleet(t.db);
    const created = await createRollout(t.db, actorOf(rf.operator), { spec: specFor(rf.service.name, [{ kind: 'setWeight', weight: 10 }]) });
    const start = await caught(startRollout(t.db, actorOf(rf.operator), created));
    expect(start.message).toContain('halt-all engaged');
    const e = await experimentOf(t.db, f);
    const run = await caught(startRun(t.db, actorOf(f.operator), { experimentId: e.id }));
    expect(run.message).toContain('halt-all engaged');
  });

  it('a rollout that got to progressing anyway is paused (halted) by its reconciler before raising traffic', async () => {
    const rf = await rolloutFleet(t.db);
    const created = await createRollout(t.db, actorOf(rf.operator), { spec: specFor(rf.service.name, [{ kind: 'setWeight', weight: 10 }]) });
    // As if its start committed a moment before the halt (the engage's read did not see it).
    await t.db.rollout.update({ where: { id: created.id }, data: { state: 'progressing', startedAt: new Date(), version: { increment: 1 } } });
    const before = await t.db.service.findUniqueOrThrow({ where: { id: rf.service.id } });
    await reconcile(t.db, created.id);
    expect(await t.db.rollout.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({ state: 'paused', pauseReason: 'halted' });
    expect((await t.db.service.findUniqueOrThrow({ where: { id: rf.service.id } })).version).toBe(before.version);
  });

  it('records faultsClearedAt once the last fault of the halt is confirmed removed', async () => {
    expect((await haltStatus(t.db)).halt).toMatchObject({ faultsClearedAt: null, faultsPending: 4 });
    const [first, ...rest] = await t.db.injection.findMany({ where: { removeReason: 'halted' } });
    await t.db.injection.update({ where: { id: first!.id }, data: { removedAt: new Date() } });
    expect(await recordHaltCleared(t.db)).toBeNull();
    const last = new Date();
    await t.db.injection.updateMany({ where: { id: { in: rest.map((i) => i.id) } }, data: { removedAt: last } });
    expect((await recordHaltCleared(t.db))?.getTime()).toBe(last.getTime());
    expect((await haltStatus(t.db)).halt?.faultsClearedAt?.getTime()).toBe(last.getTime());
  });

  it('release: refused for an operator, accepted for an approver with a reason; rollouts stay paused until resumed', async () => {
    const operator = createCaller(contextFor(t.db, f.operator));
    const refused = await operator.safety.haltRelease({ reason: 'done' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TRPCError);
    expect((refused as TRPCError).code).toBe('FORBIDDEN');
    const approver = createCaller(contextFor(t.db, f.approver));
    const empty = await approver.safety.haltRelease({ reason: '   ' }).catch((e: unknown) => e);
    expect((empty as TRPCError).code).toBe('BAD_REQUEST');
    await approver.safety.haltRelease({ reason: 'failover finished' });
    expect((await haltStatus(t.db)).engaged).toBe(false);
    const paused = await t.db.rollout.findMany({ where: { pauseReason: 'halted' } });
    expect(paused.length).toBeGreaterThan(0);
    expect(paused[0]!.stateDetail).toContain(`Halt released by ${f.approver.name}`);
    await resumeRollout(t.db, actorOf(f.operator), { id: paused[0]!.id, version: paused[0]!.version });
    expect((await t.db.rollout.findUniqueOrThrow({ where: { id: paused[0]!.id } })).state).toBe('progressing');
    await expect(releaseHalt(t.db, actorOf(f.approver), { reason: 'again' })).rejects.toThrow('not engaged');
  });
});

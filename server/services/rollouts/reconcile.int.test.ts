import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { actorOf, canaryErrorSamples, platformApplies, reconcile, rolloutFleet, runUntil, startedRollout } from '../../../test/rollout-fixtures';
import type { RolloutSpec } from '../../domain/rollouts/spec';
import { overrideRolloutGuard } from './rollout-promote';

let t: TestDb;
beforeAll(async () => (t = await openTestDb()));
afterAll(() => t.close());

type Fleet = Awaited<ReturnType<typeof rolloutFleet>>;

const started = (f: Fleet, steps: RolloutSpec['steps'], more: Partial<RolloutSpec> = {}) => startedRollout(t.db, f, steps, more);

const rollout = (id: string) => t.db.rollout.findUniqueOrThrow({ where: { id } });
const service = (id: string) => t.db.service.findUniqueOrThrow({ where: { id } });

let tickAt = Date.UTC(2026, 0, 1);
/** A telemetry tick in which `instance` reports `level` (the guards read the latest tick). */
async function tickWith(instanceName: string, level: number) {
  const inst = await t.db.instance.findUniqueOrThrow({ where: { name: instanceName } });
  const at = new Date((tickAt += 1000));
  const tick = await t.db.tick.create({ data: { startedAt: at, finishedAt: at, durationMs: 1, instances: 1, leader: 'test' } });
  await t.db.telemetrySample.create({ data: { instanceId: inst.id, at, tickId: tick.id, targetWeight: 100, effectiveWeight: 100, degradation: level, breaker: 'closed', stageFill: [0.1, 0.1, 0.1, 0.1, 0.1], stageState: [] } });
}

const samples = (f: Fleet, from: Date, seconds: number, canaryErrorRate: number, stableErrorRate: number) => canaryErrorSamples(t.db, f, from, seconds, canaryErrorRate, stableErrorRate);

describe('the rollout reconciler', () => {
  it('writes each step routing once, advances only after the platform applied it, and a retry never writes twice', async () => {
    const f = await rolloutFleet(t.db);
    const id = await started(f, [{ kind: 'setHeaderRoute', header: 'X-Abtest-Group', match: 'exact', value: 'v2-canary' }, { kind: 'setWeight', weight: 25 }]);
    const v0 = (await service(f.service.id)).version;
    await reconcile(t.db, id);
    const run0 = await t.db.rolloutStepRun.findFirstOrThrow({ where: { rolloutId: id, stepIndex: 0 } });
    expect(run0.routingVersion).toBe(v0 + 1);
    expect((await service(f.service.id)).routing).toMatchObject({ versionWeights: { v1: 100, v2: 0 }, headerRules: [{ header: 'X-Abtest-Group', equals: 'v2-canary', version: 'v2' }] });
    // A retry (the job ran again after a crash, or a timer fired) before the platform applied it:
    // no second write, no advance.
    await reconcile(t.db, id);
    await reconcile(t.db, id);
    expect((await service(f.service.id)).version).toBe(v0 + 1);
    expect(await rollout(id)).toMatchObject({ state: 'progressing', currentStep: 0, routingVersion: v0 + 1 });
    // The telemetry leader applied it: the step is done, the next one writes its routing.
    await platformApplies(t.db, f.service.id);
    await reconcile(t.db, id);
    expect(await rollout(id)).toMatchObject({ currentStep: 1, routingVersion: v0 + 2 });
    expect((await t.db.rolloutStepRun.findFirstOrThrow({ where: { rolloutId: id, stepIndex: 0 } })).state).toBe('done');
    expect((await service(f.service.id)).routing).toMatchObject({ versionWeights: { v1: 75, v2: 25 } });
    const done = await runUntil(t.db, id, f.service.id, (r) => r.state === 'succeeded');
    expect(done.finishedAt).not.toBeNull();
    expect((await service(f.service.id)).routing).toEqual({ versionWeights: { v1: 0, v2: 100 }, headerRules: [] });
    const runs = await t.db.rolloutStepRun.findMany({ where: { rolloutId: id }, orderBy: { stepIndex: 'asc' } });
    expect(runs.map((r) => [r.kind, r.state, r.routingVersion])).toEqual([
      ['setHeaderRoute', 'done', v0 + 1],
      ['setWeight', 'done', v0 + 2],
      ['promote', 'done', v0 + 3],
    ]);
    expect(runs.every((r) => r.appliedAt !== null || r.kind === 'promote')).toBe(true);
    // Every state change is on the timeline, in the machine's order.
    const states = await t.db.rolloutEvent.findMany({ where: { rolloutId: id, kind: 'state' }, orderBy: { id: 'asc' } });
    expect(states.map((e) => e.toState)).toEqual(['progressing', 'progressing', 'progressing', 'promoting', 'succeeded']);
  });

  it('a timed pause waits for its end; a pause without seconds waits for a person', async () => {
    const f = await rolloutFleet(t.db);
    const id = await started(f, [{ kind: 'pause', seconds: 30 }, { kind: 'pause' }]);
    const t0 = new Date();
    const first = await reconcile(t.db, id, t0);
    expect(await rollout(id)).toMatchObject({ state: 'paused', pauseReason: 'step_pause', currentStep: 0 });
    expect(new Date(first.wake!).getTime()).toBeGreaterThanOrEqual(t0.getTime() + 29_000);
    await reconcile(t.db, id, new Date(t0.getTime() + 10_000));
    expect(await rollout(id)).toMatchObject({ state: 'paused', currentStep: 0 });
    const next = await reconcile(t.db, id, new Date(t0.getTime() + 31_000));
    expect(await rollout(id)).toMatchObject({ state: 'paused', pauseReason: 'step_pause', currentStep: 1 });
    expect(next.wake).toBeNull();
  });

  it('guards hold a step that raises canary traffic, naming the guard and its live value; an approver override lets it through', async () => {
    const f = await rolloutFleet(t.db);
    await tickWith(f.canaryInstance, 2);
    const id = await started(f, [{ kind: 'setWeight', weight: 10 }]);
    const v0 = (await service(f.service.id)).version;
    await reconcile(t.db, id);
    const held = await rollout(id);
    expect(held).toMatchObject({ state: 'paused', pauseReason: 'guard' });
    expect(held.stateDetail).toContain(`${f.canaryInstance} at L2`);
    expect((await service(f.service.id)).version).toBe(v0);
    expect((await t.db.rolloutStepRun.findFirstOrThrow({ where: { rolloutId: id } })).heldBy).toEqual([expect.objectContaining({ guard: 'degradation', value: 2, instance: f.canaryInstance })]);
    // Still held on the next look.
    await reconcile(t.db, id);
    expect((await service(f.service.id)).version).toBe(v0);

    await overrideRolloutGuard(t.db, actorOf(f.approver1), { id, version: held.version, reason: 'the L2 is a known noisy neighbour' });
    await reconcile(t.db, id);
    expect((await service(f.service.id)).version).toBe(v0 + 1);
    const run = await t.db.rolloutStepRun.findFirstOrThrow({ where: { rolloutId: id } });
    expect(run).toMatchObject({ overrideByName: f.approver1.name, overrideReason: 'the L2 is a known noisy neighbour' });
    expect(await t.db.rolloutEvent.count({ where: { rolloutId: id, kind: 'override' } })).toBe(1);
  });

  it('a guard that clears resumes the step by itself', async () => {
    const f = await rolloutFleet(t.db);
    await tickWith(f.canaryInstance, 3);
    const id = await started(f, [{ kind: 'setWeight', weight: 10 }]);
    await reconcile(t.db, id);
    expect((await rollout(id)).pauseReason).toBe('guard');
    await tickWith(f.canaryInstance, 0);
    await reconcile(t.db, id);
    expect(await rollout(id)).toMatchObject({ state: 'progressing', routingVersion: expect.any(Number) as number });
  });

  it('a failed analysis rolls back in the same look as its verdict', async () => {
    const f = await rolloutFleet(t.db);
    const id = await started(f, [{ kind: 'setWeight', weight: 10 }, { kind: 'analysis', metrics: [{ metric: 'error-rate', maxIncreasePct: 50 }], seconds: 300 }, { kind: 'setWeight', weight: 50 }]);
    const t0 = new Date(Date.now() - 120_000);
    await reconcile(t.db, id, t0);
    await platformApplies(t.db, f.service.id);
    await reconcile(t.db, id, new Date(t0.getTime() + 1000));
    expect(await rollout(id)).toMatchObject({ state: 'progressing', currentStep: 1 });
    await samples(f, new Date(t0.getTime() + 2000), 60, 0.3, 0.005);
    const before = (await service(f.service.id)).version;
    await reconcile(t.db, id, new Date(t0.getTime() + 62_000));
    const failed = await rollout(id);
    expect(failed).toMatchObject({ state: 'aborted', abortReason: 'analysis_failed' });
    expect((await service(f.service.id)).version).toBe(before + 1);
    expect((await service(f.service.id)).routing).toEqual({ versionWeights: { v1: 100, v2: 0 }, headerRules: [] });
    const run = await t.db.analysisRun.findFirstOrThrow({ where: { rolloutId: id } });
    expect(run.verdict).toBe('fail');
    expect((run.result as { summary: string }).summary.length).toBeGreaterThan(0);
    await platformApplies(t.db, f.service.id);
    await reconcile(t.db, id);
    expect((await rollout(id)).state).toBe('rolled_back');
  });

  it('an analysis without evidence at the end of its budget is inconclusive and waits for a person', async () => {
    const f = await rolloutFleet(t.db);
    const id = await started(f, [{ kind: 'analysis', metrics: [{ metric: 'error-rate', maxIncreasePct: 50 }], seconds: 10 }]);
    const t0 = new Date();
    await reconcile(t.db, id, t0);
    await reconcile(t.db, id, new Date(t0.getTime() + 11_000));
    expect(await rollout(id)).toMatchObject({ state: 'paused', pauseReason: 'inconclusive_analysis' });
  });

  it('the background analysis starts with the first canary traffic and rolls back from any step', async () => {
    const f = await rolloutFleet(t.db);
    const id = await started(f, [{ kind: 'setWeight', weight: 10 }, { kind: 'pause' }], { backgroundAnalysis: { metrics: [{ metric: 'error-rate', maxIncreasePct: 50 }] } });
    await runUntil(t.db, id, f.service.id, (r) => r.state === 'paused');
    const applied = (await t.db.rolloutStepRun.findFirstOrThrow({ where: { rolloutId: id, stepIndex: 0 } })).appliedAt!;
    const bg = await t.db.analysisRun.findFirstOrThrow({ where: { rolloutId: id, stepIndex: -1 } });
    expect(bg.startedAt).toEqual(applied);
    await samples(f, new Date(applied.getTime() + 1000), 60, 0.3, 0.005);
    await reconcile(t.db, id, new Date(applied.getTime() + 62_000));
    expect(await rollout(id)).toMatchObject({ state: 'aborted', abortReason: 'analysis_failed' });
  });
});

describe('the reconciler and the browsers', () => {
  it('a look that changes nothing sends no live event, but keeps its timer', async () => {
    const f = await rolloutFleet(t.db);
    const id = await started(f, [{ kind: 'setWeight', weight: 10 }]);
    await reconcile(t.db, id);
    const live = await t.db.liveEvent.count({ where: { topic: 'rollout.changed' } });
    const again = await reconcile(t.db, id);
    expect(again.wake).not.toBeNull();
    expect(await t.db.liveEvent.count({ where: { topic: 'rollout.changed' } })).toBe(live);
    const jobs = await t.db.$queryRaw<Array<{ n: bigint }>>`SELECT count(*) AS n FROM graphile_worker._private_jobs WHERE key = ${`rollout:${id}`}`;
    expect(jobs[0]!.n).toBe(1n);
  });
});

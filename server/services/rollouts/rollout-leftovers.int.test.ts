// What a rollout leaves behind when it stops, and what the fleet table says about a finished one:
// approval requests nobody can decide any more are closed, analyses that stopped looking are
// closed, the verdict is the one that decided the rollout, and the measured share of a finished
// rollout is the traffic after its final routing took effect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { actorOf, platformApplies, reconcile, rolloutAt, rolloutFleet, runUntil, startedRollout } from '../../../test/rollout-fixtures';
import type { RolloutSpec } from '../../domain/rollouts/spec';
import type { AppError } from '../../errors';
import { decideApproval } from './approvals';
import { abortRollout } from './rollout-commands';
import { promoteRolloutFull } from './rollout-promote';
import { listRollouts, rolloutHistory } from './rollout-reads';

let t: TestDb;
beforeAll(async () => (t = await openTestDb()));
afterAll(() => t.close());

type Fleet = Awaited<ReturnType<typeof rolloutFleet>>;

const started = (f: Fleet, steps: RolloutSpec['steps'], more: Partial<RolloutSpec> = {}) => startedRollout(t.db, f, steps, more);

const rollout = (id: string) => t.db.rollout.findUniqueOrThrow({ where: { id } });
const caught = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);

/** Per-tick counts of both versions in the canary's zone, as the telemetry loop records them. */
async function samples(f: Fleet, from: Date, seconds: number, canaryErrorRate: number, stableErrorRate: number) {
  const rows = [];
  for (let s = 0; s < seconds; s++) {
    const at = new Date(from.getTime() + s * 1000);
    rows.push({ at, serviceId: f.service.id, appVersion: 'v2', zone: f.zones.a, instances: 1, requests: 200, errors: 200 * canaryErrorRate });
    rows.push({ at, serviceId: f.service.id, appVersion: 'v1', zone: f.zones.a, instances: 2, requests: 400, errors: 400 * stableErrorRate });
  }
  await t.db.versionSample.createMany({ data: rows });
}

const errorRate = [{ metric: 'error-rate' as const, maxIncreasePct: 50 }];
/** Samples carry no latency buckets: a latency analysis finds no evidence and keeps running. */
const latency = [{ metric: 'latency' as const, quantile: 99 as const, maxIncreasePct: 50 }];

/** Reconciles with `t0`, lets the platform apply step 0, and reconciles a second later: step 1 runs. */
async function atStepOne(f: Fleet, id: string, t0: Date) {
  await reconcile(t.db, id, t0);
  await platformApplies(t.db, f.service.id);
  await reconcile(t.db, id, new Date(t0.getTime() + 1000));
  expect(await rollout(id)).toMatchObject({ state: 'progressing', currentStep: 1 });
}

describe('a stopped rollout closes what it left open', () => {
  it('the fleet verdict of a rollout rolled back by a failed step analysis is fail, not the background run closed after it', async () => {
    const f = await rolloutFleet(t.db);
    const id = await started(f, [{ kind: 'setWeight', weight: 10 }, { kind: 'analysis', metrics: errorRate, seconds: 300 }], { backgroundAnalysis: { metrics: latency } });
    const t0 = new Date(Date.now() - 120_000);
    await atStepOne(f, id, t0);
    expect(await t.db.analysisRun.count({ where: { rolloutId: id, stepIndex: -1, verdict: 'running' } })).toBe(1);
    await samples(f, new Date(t0.getTime() + 2000), 60, 0.3, 0.005);
    await reconcile(t.db, id, new Date(t0.getTime() + 62_000));
    expect(await rollout(id)).toMatchObject({ state: 'aborted', abortReason: 'analysis_failed' });
    await platformApplies(t.db, f.service.id);
    await reconcile(t.db, id);
    expect((await rollout(id)).state).toBe('rolled_back');
    // The background run was closed when the step's run failed, not before: the most recently updated one.
    const [bg, step] = await Promise.all([-1, 1].map((stepIndex) => t.db.analysisRun.findFirstOrThrow({ where: { rolloutId: id, stepIndex } })));
    expect([bg!.verdict, step!.verdict]).toEqual(['inconclusive', 'fail']);
    expect(bg!.updatedAt.getTime()).toBeGreaterThanOrEqual(step!.updatedAt.getTime());
    const [row] = await listRollouts(t.db, f.viewer, { service: f.service.name });
    expect(row).toMatchObject({ id, state: 'rolled_back', verdict: 'fail' });
  });

  it('a step analysis still running when the background analysis rolls back is closed, its last look kept', async () => {
    const f = await rolloutFleet(t.db);
    const id = await started(f, [{ kind: 'setWeight', weight: 10 }, { kind: 'analysis', metrics: latency, seconds: 600 }], { backgroundAnalysis: { metrics: errorRate } });
    await runUntil(t.db, id, f.service.id, (r) => r.currentStep === 1);
    await reconcile(t.db, id);
    const bg = await t.db.analysisRun.findFirstOrThrow({ where: { rolloutId: id, stepIndex: -1 } });
    expect(await t.db.analysisRun.findFirstOrThrow({ where: { rolloutId: id, stepIndex: 1 } })).toMatchObject({ verdict: 'running' });
    await samples(f, new Date(bg.startedAt.getTime() + 1000), 60, 0.3, 0.005);
    await reconcile(t.db, id, new Date(bg.startedAt.getTime() + 62_000));
    expect(await rollout(id)).toMatchObject({ state: 'aborted', abortReason: 'analysis_failed' });
    const step = await t.db.analysisRun.findFirstOrThrow({ where: { rolloutId: id, stepIndex: 1 } });
    expect(step.verdict).toBe('inconclusive');
    expect(step.decidedAt).not.toBeNull();
    const result = step.result as { summary: string; metrics: unknown[] };
    expect(result.summary).toMatch(/^Stopped: the rollout was aborted \(Background analysis failed/);
    expect(result.metrics).toHaveLength(1);
    expect((await t.db.analysisRun.findFirstOrThrow({ where: { rolloutId: id, stepIndex: -1 } })).verdict).toBe('fail');
    const [row] = await listRollouts(t.db, f.viewer, { service: f.service.name });
    expect(row!.verdict).toBe('fail');
  });

  it('an abort by hand during an analysis step closes the analysis', async () => {
    const f = await rolloutFleet(t.db);
    const id = await started(f, [{ kind: 'setWeight', weight: 10 }, { kind: 'analysis', metrics: latency, seconds: 600 }]);
    await atStepOne(f, id, new Date());
    const r = await rollout(id);
    await abortRollout(t.db, actorOf(f.operator), { id, version: r.version, reason: 'wrong build' });
    const step = await t.db.analysisRun.findFirstOrThrow({ where: { rolloutId: id, stepIndex: 1 } });
    expect(step.verdict).toBe('inconclusive');
    expect((step.result as { summary: string }).summary).toMatch(/^Stopped: the rollout was aborted \(Aborted by .*: wrong build\)/);
  });

  it('an abort closes the open approval request, and decide refuses it in words', async () => {
    const { f, rollout: r } = await rolloutAt(t.db, 'approval');
    expect(r).toMatchObject({ state: 'paused', pauseReason: 'awaiting_approval' });
    const request = await t.db.approvalRequest.findFirstOrThrow({ where: { rolloutId: r.id } });
    expect(request.state).toBe('open');
    await abortRollout(t.db, actorOf(f.operator), { id: r.id, version: r.version, reason: 'not today' });
    const closed = await t.db.approvalRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(closed.state).toBe('expired');
    expect(closed.closedAt!.getTime()).toBeLessThan(closed.expiresAt.getTime());
    const event = await t.db.rolloutEvent.findFirstOrThrow({ where: { rolloutId: r.id, kind: 'approval' }, orderBy: { id: 'desc' } });
    expect(event.summary).toMatch(/^Approval request closed without a decision: the rollout was aborted \(Aborted by .*: not today\)/);
    const refused = (await caught(decideApproval(t.db, actorOf(f.approver1), { requestId: request.id, decision: 'approve', reason: 'late' }))) as AppError;
    expect(refused).toMatchObject({ code: 'CONFLICT', message: 'This approval is closed: the rollout is aborted and no longer waits for it.' });
  });

  it('promote-full does not skip an open approval: refused, the request stays open and can still be decided', async () => {
    const { f, rollout: r } = await rolloutAt(t.db, 'approval');
    const request = await t.db.approvalRequest.findFirstOrThrow({ where: { rolloutId: r.id } });
    const refused = (await caught(promoteRolloutFull(t.db, actorOf(f.approver1), { id: r.id, version: r.version, reason: 'incident fix' }))) as AppError;
    expect(refused.code).toBe('CONFLICT');
    expect((await rollout(r.id)).state).toBe('paused');
    expect(await t.db.approvalRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({ state: 'open', closedAt: null });
    await decideApproval(t.db, actorOf(f.approver2), { requestId: request.id, decision: 'reject', reason: 'not during the incident' });
    expect(await t.db.approvalDecision.count({ where: { requestId: request.id } })).toBe(1);
  });
});

describe('the measured canary share of a finished rollout', () => {
  it('is the traffic after its final routing took effect, with the time it was measured; "—" only without traffic', async () => {
    const f = await rolloutFleet(t.db);
    const id = await started(f, [{ kind: 'setWeight', weight: 50 }]);
    const done = await runUntil(t.db, id, f.service.id, (r) => r.state === 'succeeded');
    const [empty] = await listRollouts(t.db, f.viewer, { service: f.service.name });
    expect(empty).toMatchObject({ id, state: 'succeeded', measuredCanaryPct: null, measuredAt: null });
    const end = (await rollout(id)).finishedAt!;
    await t.db.rollout.update({ where: { id: done.id }, data: { startedAt: new Date(end.getTime() - 300_000) } });
    const at = (s: number) => new Date(end.getTime() + s * 1000);
    const row = (when: Date, v2: number, v1: number) => [
      { at: when, serviceId: f.service.id, appVersion: 'v2', zone: f.zones.a, instances: 1, requests: v2, errors: 0 },
      { at: when, serviceId: f.service.id, appVersion: 'v1', zone: f.zones.a, instances: 2, requests: v1, errors: 0 },
    ];
    // Before the end only: the last tick before it, and the page says when that was.
    await t.db.versionSample.createMany({ data: [...row(at(-200), 0, 100), ...row(at(-30), 60, 40), ...row(at(-2), 90, 10)] });
    const [before] = await listRollouts(t.db, f.viewer, { service: f.service.name });
    expect(before).toMatchObject({ measuredCanaryPct: 90, measuredAt: at(-2) });
    // Once ticks after the end exist, the share is where the traffic went: the latest of its first minute.
    await t.db.versionSample.createMany({ data: [...row(at(3), 80, 20), ...row(at(5), 100, 0), ...row(at(90), 0, 100)] });
    const [after] = await listRollouts(t.db, f.viewer, { service: f.service.name });
    expect(after).toMatchObject({ measuredCanaryPct: 100, measuredAt: at(5) });
  });

  it('of a rolled-back rollout drops to 0 % once the rollback moved the traffic (not the canary share before it)', async () => {
    const f = await rolloutFleet(t.db);
    const id = await started(f, [{ kind: 'setWeight', weight: 30 }, { kind: 'pause' }]);
    await runUntil(t.db, id, f.service.id, (r) => r.state === 'paused');
    const r = await rollout(id);
    await abortRollout(t.db, actorOf(f.operator), { id, version: r.version, reason: 'canary overloaded' });
    const back = await runUntil(t.db, id, f.service.id, (x) => x.state === 'rolled_back');
    const end = back.finishedAt!;
    await t.db.rollout.update({ where: { id }, data: { startedAt: new Date(end.getTime() - 120_000) } });
    const at = (s: number) => new Date(end.getTime() + s * 1000);
    const row = (when: Date, v2: number, v1: number) => [
      { at: when, serviceId: f.service.id, appVersion: 'v2', zone: f.zones.a, instances: 1, requests: v2, errors: 0 },
      { at: when, serviceId: f.service.id, appVersion: 'v1', zone: f.zones.a, instances: 2, requests: v1, errors: 0 },
    ];
    await t.db.versionSample.createMany({ data: [...row(at(-20), 30, 70), ...row(at(-1), 30, 70), ...row(at(1), 0, 100), ...row(at(2), 0, 100)] });
    const [row0] = await listRollouts(t.db, f.viewer, { service: f.service.name });
    expect(row0).toMatchObject({ id, state: 'rolled_back', desiredCanaryPct: 0, measuredCanaryPct: 0, measuredAt: at(2) });
    // The weight graph runs past the end too: its measured line ends at 0 %.
    const { points } = await rolloutHistory(t.db, { id });
    expect(points.filter((p) => p.measuredCanaryPct !== null).at(-1)).toMatchObject({ measuredCanaryPct: 0, desiredCanaryPct: 0 });
  });
});

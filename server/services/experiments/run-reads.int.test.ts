import { type TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerAs, openTestDb, type TestDb } from '../../../test/context';
import { chaosFleet, controller, latestTick, leaderConfirms, makeExperiment, runAt, sec, versionTicks } from '../../../test/experiment-fixtures';
import { startRun } from './run-start';

let t: TestDb;
beforeAll(async () => (t = await openTestDb()));
afterAll(() => t.close());

describe('run reads through the API', () => {
  it('runs.get: every target with its live health next to its fault, and each abort condition live against its threshold', async () => {
    const f = await chaosFleet(t.db);
    const e = await makeExperiment(t.db, f, { durationS: 600, abortConditions: [{ kind: 'p99-above', ms: 500, windowS: 30 }, { kind: 'degraded-at-least', count: 2 }] });
    const { id } = await startRun(t.db, f.operator, { experimentId: e.id });
    const t0 = new Date();
    await controller(t.db, id, t0);
    // Confirmed 20 s ago: the ticks below fall after the injection (values never reach back before it).
    await leaderConfirms(t.db, id, sec(t0, -20));
    await controller(t.db, id, t0);
    const target = (await t.db.experimentRunTarget.findFirstOrThrow({ where: { runId: id } })).instanceName;
    await latestTick(t.db, [{ instance: target, level: 2, breaker: 'open', fill: 0.42 }]);
    await versionTicks(t.db, f.edge.id, sec(new Date(), -5), new Date(), { ms: 250 });
    const { caller } = await callerAs(t.db, 'viewer');
    const got = await caller.experiments.runs.get({ runId: id });
    expect(got.run).toMatchObject({ id, state: 'running', experimentName: e.name, hasReport: false });
    expect(got.targets).toHaveLength(1);
    expect(got.targets[0]).toMatchObject({ instanceName: target, state: 'injected', health: { degradation: 2, breaker: 'open', effectiveWeight: 1, stageFill: [0.42, 0, 0, 0, 0] } });
    expect(got.targets[0]!.injection).toMatchObject({ desired: true, spec: { kind: 'delay', delayMs: 200, jitterMs: 300 } });
    expect(got.conditions.map((c) => [c.condition.kind, c.fired, c.threshold])).toEqual([['p99-above', false, 500], ['degraded-at-least', false, 2]]);
    expect(got.conditions[0]!.value).toBeGreaterThan(200);
    expect(got.conditions[1]!.value).toBe(1);
    expect(got.events.map((x) => x.kind)).toEqual(expect.arrayContaining(['state', 'injected']));
  });

  it('runs.list filters by state and experiment and pages newest first', async () => {
    const { experiment, run } = await runAt(t.db, 'running');
    const { caller } = await callerAs(t.db, 'viewer');
    const mine = await caller.experiments.runs.list({ experimentId: experiment.id });
    expect(mine).toMatchObject({ total: 1, page: 1 });
    expect(mine.runs[0]).toMatchObject({ id: run.id, state: 'running', experimentName: experiment.name, targets: 1, targetStates: { injected: 1 }, fault: { kind: 'delay' } });
    expect((await caller.experiments.runs.list({ experimentId: experiment.id, state: 'completed' })).total).toBe(0);
    // The Overview's "runs running" opens this filter: injecting, running or recovering.
    expect((await caller.experiments.runs.list({ experimentId: experiment.id, state: 'in-flight' })).runs.map((r) => r.id)).toEqual([run.id]);
    const page = await caller.experiments.runs.list({ pageSize: 1, page: 2 });
    expect(page.runs).toHaveLength(1);
    expect(page.total).toBeGreaterThanOrEqual(2);
  });

  it('report: JSON or Markdown once built; before that a refusal in words', async () => {
    const { caller } = await callerAs(t.db, 'viewer');
    const { experiment, run } = await runAt(t.db, 'reported');
    const md = await caller.experiments.report({ runId: run.id, format: 'markdown' });
    expect(md).toMatchObject({ format: 'markdown' });
    expect('markdown' in md && md.markdown).toContain(`${experiment.name} #1`);
    expect(await caller.experiments.report({ runId: run.id })).toMatchObject({ format: 'json', report: { layers: [] } });
    const early = await runAt(t.db, 'running');
    const err = await caller.experiments.report({ runId: early.run.id }).then(() => null, (x: unknown) => x as TRPCError);
    expect(err?.code).toBe('PRECONDITION_FAILED');
    expect(err?.message).toBe(`Run "${early.experiment.name} #1" has no report yet: it is built when the observation window after the faults ends.`);
  });
});

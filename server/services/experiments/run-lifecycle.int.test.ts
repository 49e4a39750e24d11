import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppError } from '../../errors';
import { openTestDb, type TestDb } from '../../../test/context';
import { chaosFleet, controller, LEASE_MS, leaderConfirms, leaderRemoves, makeExperiment, runOf, sec, versionTicks } from '../../../test/experiment-fixtures';
import { reportMarkdown, type RunReport } from '../../domain/experiments/report';
import { abortRun } from './run-abort';
import { startRun } from './run-start';

let t: TestDb;
beforeAll(async () => (t = await openTestDb()));
afterAll(() => t.close());

const caught = async (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);

async function jobsFor(runId: string) {
  return t.db.$queryRaw<Array<{ key: string | null; run_at: Date }>>`
    SELECT j.key, j.run_at FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks k ON k.id = j.task_id
     WHERE k.identifier = 'experiment_run_reconcile' AND j.payload->>'runId' = ${runId}`;
}

describe('a chaos run from start to report', () => {
  it('runs pending → injecting → running → recovering → completed, with leases, removal and a per-layer report', { timeout: 120_000 }, async () => {
    const f = await chaosFleet(t.db);
    const e = await makeExperiment(t.db, f, { steadyState: [{ kind: 'availability-below', pct: 99, windowS: 10 }] });
    const t0 = new Date();
    // Baseline: both layers healthy at ~20 ms for a minute before the run.
    // A tick's `at` is its end: the tick ending at the injection instant is still baseline.
    await versionTicks(t.db, f.edge.id, sec(t0, -60), sec(t0, 2), { ms: 20 });
    await versionTicks(t.db, f.data.id, sec(t0, -60), sec(t0, 2), { ms: 12 });

    const started = await startRun(t.db, f.operator, { experimentId: e.id });
    expect(started).toMatchObject({ number: 1, targets: 1 });
    let run = await runOf(t.db, started.id);
    expect(run).toMatchObject({ state: 'pending', startedByName: f.operator.name, experimentVersion: 1 });
    expect(run.targets).toHaveLength(1);
    expect(run.targets[0]!.serviceName).toBe(f.edge.name);
    expect(await jobsFor(run.id)).toEqual([expect.objectContaining({ key: `run:${run.id}` })]);
    expect(await t.db.auditEvent.count({ where: { targetId: run.id, action: 'experiment.run.start' } })).toBe(1);
    expect(await t.db.liveEvent.count({ where: { topic: 'experiment.changed', payload: { path: ['runId'], equals: run.id } } })).toBe(1);

    // The steady state holds: the controller writes one Injection per target with a lease and a hard expiry.
    expect((await controller(t.db, run.id, t0)).state).toBe('injecting');
    run = await runOf(t.db, run.id);
    expect(run.injections).toHaveLength(1);
    const inj = run.injections[0]!;
    expect(inj).toMatchObject({ desired: true, leaseOwner: 'test-worker', adapterKind: 'sim', instanceId: run.targets[0]!.instanceId });
    expect(inj.leaseExpiresAt.getTime()).toBe(t0.getTime() + LEASE_MS);
    expect(inj.expiresAt.getTime()).toBe(t0.getTime() + 10_000 + LEASE_MS + 60_000);
    // Not confirmed yet: stays injecting.
    expect((await controller(t.db, run.id, sec(t0, 0.5))).state).toBe('injecting');

    await leaderConfirms(t.db, run.id, sec(t0, 1));
    expect((await controller(t.db, run.id, sec(t0, 1))).state).toBe('running');
    run = await runOf(t.db, run.id);
    expect(run.injectedAt?.getTime()).toBe(sec(t0, 1).getTime());
    expect(run.runUntil?.getTime()).toBe(sec(t0, 11).getTime());
    expect(run.targets[0]!.state).toBe('injected');

    // The fault: the edge layer at ~250 ms for its 10 s; the data layer unchanged.
    await versionTicks(t.db, f.edge.id, sec(t0, 2), sec(t0, 13), { ms: 250 });
    await versionTicks(t.db, f.data.id, sec(t0, 2), sec(t0, 13), { ms: 12 });
    expect((await controller(t.db, run.id, sec(t0, 6))).state).toBe('running');
    expect((await runOf(t.db, run.id)).injections[0]!.leaseExpiresAt.getTime()).toBe(sec(t0, 6).getTime() + LEASE_MS);

    // Duration over: faults asked out, then the leader confirms removal.
    expect((await controller(t.db, run.id, sec(t0, 11))).state).toBe('recovering');
    run = await runOf(t.db, run.id);
    expect(run.injections[0]).toMatchObject({ desired: false, removeReason: 'completed', removedAt: null });
    expect((await controller(t.db, run.id, sec(t0, 11.5))).state).toBe('recovering');
    await leaderRemoves(t.db, run.id, sec(t0, 12));
    await versionTicks(t.db, f.edge.id, sec(t0, 13), sec(t0, 30), { ms: 20 });
    await versionTicks(t.db, f.data.id, sec(t0, 13), sec(t0, 30), { ms: 12 });
    expect((await controller(t.db, run.id, sec(t0, 12.5))).state).toBe('recovering');
    run = await runOf(t.db, run.id);
    expect(run.faultsRemovedAt?.getTime()).toBe(sec(t0, 12).getTime());
    expect(run.targets[0]!.state).toBe('recovered');

    // Observation ends at faultsRemovedAt + observeS (or when every layer healed): the report.
    const last = await controller(t.db, run.id, sec(t0, 23));
    // Ended: the controller does not re-arm itself.
    expect(last).toEqual({ state: 'completed', wake: null });
    run = await runOf(t.db, run.id);
    expect(run.endedAt).not.toBeNull();
    const report = run.report as unknown as RunReport;
    expect(report.layers.map((l) => l.layer)).toEqual(expect.arrayContaining(['access', 'data']));
    const access = report.layers.find((l) => l.layer === 'access')!;
    expect(access.delta.p99, JSON.stringify({ ...access, series: access.series.length })).toBeGreaterThan(100);
    expect(access.selfHealS).not.toBeNull();
    const data = report.layers.find((l) => l.layer === 'data')!;
    expect(Math.abs(data.delta.p99 ?? 99)).toBeLessThan(5);
    expect(reportMarkdown(report, 'x')).toContain(`| access (${f.edge.name}) |`);
    const kinds = (await t.db.experimentRunEvent.findMany({ where: { runId: run.id }, orderBy: { id: 'asc' } })).map((x) => x.kind);
    expect(kinds).toEqual(expect.arrayContaining(['state', 'steady_state', 'injected', 'removed', 'report']));
  });

  it('a steady state that does not hold ends the run aborted before any fault is written, saying which check failed and its value', { timeout: 120_000 }, async () => {
    const f = await chaosFleet(t.db);
    // Two checks: the P99 one holds, the availability one does not (5 % errors over the last minute).
    const e = await makeExperiment(t.db, f, { steadyState: [{ kind: 'p99-above', ms: 100, windowS: 10 }, { kind: 'availability-below', pct: 99, windowS: 10 }] });
    const t0 = new Date();
    await versionTicks(t.db, f.edge.id, sec(t0, -60), sec(t0, 1), { ms: 20, errors: 5 });
    const { id } = await startRun(t.db, f.operator, { experimentId: e.id });
    // One look: pending → aborted (nothing injected, so nothing to wait for); not re-armed.
    expect(await controller(t.db, id, t0)).toEqual({ state: 'aborted', wake: null });
    const run = await runOf(t.db, id);
    expect(run).toMatchObject({ abortReason: 'steady_state', injectedAt: null });
    expect(run.stateDetail).toBe('Not injected: the steady-state hypothesis does not hold: availability 95 % over 10 s < 99 %');
    expect(run.endedAt).not.toBeNull();
    // No Injection row was ever written (none removed either), and no target was injected.
    expect(run.injections).toEqual([]);
    expect(await t.db.injection.count({ where: { runId: id } })).toBe(0);
    expect(run.targets.map((x) => x.state)).not.toContain('injected');
    const check = await t.db.experimentRunEvent.findFirstOrThrow({ where: { runId: id, kind: 'steady_state' } });
    expect(check.summary).toBe('Steady state does not hold: availability 95 % over 10 s < 99 %');
    expect(check.data).toMatchObject({ condition: { kind: 'availability-below', pct: 99, windowS: 10 }, value: 95, threshold: 99 });
  });

  it('an abort condition stops the run and says which, with its value', async () => {
    const f = await chaosFleet(t.db);
    const e = await makeExperiment(t.db, f, { abortConditions: [{ kind: 'availability-below', pct: 99, windowS: 5 }, { kind: 'p99-above', ms: 100, windowS: 5 }] });
    const t0 = new Date();
    await versionTicks(t.db, f.edge.id, sec(t0, -20), sec(t0, 1), { ms: 20 });
    const { id } = await startRun(t.db, f.operator, { experimentId: e.id });
    await controller(t.db, id, t0);
    await leaderConfirms(t.db, id, sec(t0, 1));
    expect((await controller(t.db, id, sec(t0, 1))).state).toBe('running');
    // Within budget: availability fine, P99 still at baseline.
    await versionTicks(t.db, f.edge.id, sec(t0, 1), sec(t0, 3), { ms: 20 });
    expect((await controller(t.db, id, sec(t0, 2.5))).state).toBe('running');
    await versionTicks(t.db, f.edge.id, sec(t0, 3), sec(t0, 6), { ms: 250 });
    expect((await controller(t.db, id, sec(t0, 5.5))).state).toBe('recovering');
    const run = await runOf(t.db, id);
    expect(run.abortReason).toBe('abort_condition');
    expect(run.stateDetail).toMatch(/^Aborted: P99 \d+ ms over 5 s > 100 ms$/);
    const fired = await t.db.experimentRunEvent.findFirstOrThrow({ where: { runId: id, kind: 'abort_condition' } });
    expect(fired.data).toMatchObject({ condition: { kind: 'p99-above', ms: 100 }, threshold: 100 });
    expect((fired.data as { value: number }).value).toBeGreaterThan(100);
    expect(run.injections[0]).toMatchObject({ desired: false, removeReason: 'aborted' });
    await leaderRemoves(t.db, id, sec(t0, 6));
    await versionTicks(t.db, f.edge.id, sec(t0, 6), sec(t0, 20), { ms: 20 });
    expect((await controller(t.db, id, sec(t0, 6.5))).state).toBe('recovering');
    expect((await controller(t.db, id, sec(t0, 17))).state).toBe('aborted');
    const done = await runOf(t.db, id);
    expect(done.abortReason).toBe('abort_condition');
    expect((done.report as unknown as RunReport).layers.map((l) => l.layer)).toContain('access');
  });

  it('a person aborts with a reason; a stale version is refused; the run ends aborted once the faults are out', async () => {
    const f = await chaosFleet(t.db);
    const e = await makeExperiment(t.db, f);
    const t0 = new Date();
    const { id } = await startRun(t.db, f.operator, { experimentId: e.id });
    await controller(t.db, id, t0);
    await leaderConfirms(t.db, id, sec(t0, 1));
    await controller(t.db, id, sec(t0, 1));
    const seen = await runOf(t.db, id);
    expect(seen.state).toBe('running');
    const empty = await caught(abortRun(t.db, f.operator, { runId: id, reason: '   ' }));
    expect(empty).toBeTruthy();
    const stale = await caught(abortRun(t.db, f.operator, { runId: id, version: seen.version - 1, reason: 'stop' }));
    expect((stale as AppError).code).toBe('CONFLICT');
    expect((stale as AppError).message).toContain(`it is now version ${seen.version}`);
    const res = await abortRun(t.db, f.operator, { runId: id, version: seen.version, reason: 'customers complain' });
    expect(res.state).toBe('recovering');
    const run = await runOf(t.db, id);
    expect(run).toMatchObject({ abortReason: 'manual', stateDetail: `Aborted by ${f.operator.name}: customers complain` });
    expect(run.injections[0]).toMatchObject({ desired: false, removeReason: 'aborted' });
    expect(await t.db.auditEvent.count({ where: { targetId: id, action: 'experiment.run.abort' } })).toBe(1);
    // Aborting again records nothing new (the machine keeps the first reason) but is allowed while recovering.
    await leaderRemoves(t.db, id, sec(t0, 3));
    expect((await controller(t.db, id, sec(t0, 30))).state).toBe('aborted');
    const again = await caught(abortRun(t.db, f.operator, { runId: id, reason: 'again' }));
    expect((again as AppError).message).toBe('The run is Aborted; only a pending, injecting, running or recovering run can be aborted.');
  });

  it('a fault the platform never confirms removed fails the run and tells a person what to do', async () => {
    const f = await chaosFleet(t.db);
    const e = await makeExperiment(t.db, f);
    const t0 = new Date();
    const { id } = await startRun(t.db, f.operator, { experimentId: e.id });
    await controller(t.db, id, t0);
    await leaderConfirms(t.db, id, sec(t0, 1));
    await controller(t.db, id, sec(t0, 1));
    expect((await controller(t.db, id, sec(t0, 11))).state).toBe('recovering');
    expect((await controller(t.db, id, sec(t0, 20))).state).toBe('recovering');
    const asked = (await t.db.experimentRunEvent.findFirstOrThrow({ where: { runId: id, toState: 'recovering' } })).at;
    expect((await controller(t.db, id, new Date(asked.getTime() + LEASE_MS + 61_000))).state).toBe('failed');
    const run = await runOf(t.db, id);
    expect(run.targets[0]!.state).toBe('could_not_recover');
    expect(run.targets[0]!.detail).toMatch(/^The simulator still carries a 200 ms delay \(±300 ms\) on .+: restart the worker that runs the telemetry loop; the fault expires by itself at \d{4}-\d\d-\d\d /);
    expect(run.endedAt).not.toBeNull();
  });
});

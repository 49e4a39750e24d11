import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { chaosFleet, controller, LEASE_MS, leaderConfirms, leaderRemoves, makeExperiment, runOf, sec } from '../../../test/experiment-fixtures';
import { reapInjections, sweepRuns } from './reap';
import { startRun } from './run-start';

let t: TestDb;
beforeAll(async () => (t = await openTestDb()));
afterAll(() => t.close());

async function runningRun() {
  const f = await chaosFleet(t.db);
  const e = await makeExperiment(t.db, f, { durationS: 600 });
  const t0 = new Date();
  const { id } = await startRun(t.db, f.operator, { experimentId: e.id });
  await controller(t.db, id, t0);
  await leaderConfirms(t.db, id, sec(t0, 1));
  expect((await controller(t.db, id, sec(t0, 1))).state).toBe('running');
  return { f, id, t0 };
}

describe('the fault reaper', () => {
  it('leaves renewed faults alone', async () => {
    const { id, t0 } = await runningRun();
    await controller(t.db, id, sec(t0, 10));
    const res = await reapInjections(t.db, sec(t0, 10 + LEASE_MS / 1000 - 1));
    expect(res.lapsed).toBe(0);
    expect((await runOf(t.db, id)).state).toBe('running');
  });

  it('a lease nobody renewed: the fault is marked lease_lapsed, the run aborted as lease_lost, then ends aborted once removed', async () => {
    const { id, t0 } = await runningRun();
    // The controller's last renewal was at t0 + 1 s; nobody renews after (its worker is gone).
    const res = await reapInjections(t.db, sec(t0, 1 + LEASE_MS / 1000 + 0.5));
    // At least this run's fault (an earlier test's run may lapse at the same instant).
    expect(res.lapsed).toBeGreaterThanOrEqual(1);
    expect(res.runsAborted).toBeGreaterThanOrEqual(1);
    let run = await runOf(t.db, id);
    expect(run).toMatchObject({ state: 'recovering', abortReason: 'lease_lost' });
    expect(run.injections[0]).toMatchObject({ desired: false, removeReason: 'lease_lapsed', removedAt: null });
    expect(await t.db.auditEvent.count({ where: { targetId: id, action: 'experiment.run.controller' } })).toBe(1);
    // A second pass changes nothing of this run (other tests' runs may lapse meanwhile).
    const events = () => t.db.experimentRunEvent.count({ where: { runId: id } });
    const before = await events();
    await reapInjections(t.db, sec(t0, 40));
    expect(await events()).toBe(before);
    expect((await runOf(t.db, id)).version).toBe(run.version);
    await leaderRemoves(t.db, id, sec(t0, 17));
    expect((await controller(t.db, id, sec(t0, 60))).state).toBe('aborted');
    run = await runOf(t.db, id);
    expect(run.abortReason).toBe('lease_lost');
  });

  it('the controller itself aborts as lease_lost when the leader already took a lapsed fault out', async () => {
    const { id, t0 } = await runningRun();
    await t.db.injection.updateMany({ where: { runId: id }, data: { desired: false, removedAt: sec(t0, 17), removeReason: 'lease_lapsed' } });
    expect((await controller(t.db, id, sec(t0, 18))).state).toBe('recovering');
    expect((await runOf(t.db, id)).abortReason).toBe('lease_lost');
  });

  it('the sweep re-adds the controller job of every active run (keyed run:<id>)', async () => {
    const { id } = await runningRun();
    await t.db.$executeRaw`DELETE FROM graphile_worker._private_jobs j USING graphile_worker._private_tasks k WHERE k.id = j.task_id AND k.identifier = 'experiment_run_reconcile'`;
    const { enqueued } = await sweepRuns(t.db);
    expect(enqueued).toBeGreaterThanOrEqual(1);
    const jobs = await t.db.$queryRaw<Array<{ key: string }>>`
      SELECT j.key FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks k ON k.id = j.task_id
       WHERE k.identifier = 'experiment_run_reconcile' AND j.payload->>'runId' = ${id}`;
    expect(jobs).toEqual([{ key: `run:${id}` }]);
  });
});

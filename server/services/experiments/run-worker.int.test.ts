// Chaos runs driven by real worker processes (graphile-worker, the run controller, the telemetry
// loop's leader converging the simulator to the Injection rows): nothing in these tests plays the
// platform. The second test SIGKILLs the worker mid-run: another worker's controller takes the
// run over (the sweep re-adds its job, it renews the leases under its own id) and finishes it.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { chaosFleet, makeExperiment, runOf, type ChaosFleet } from '../../../test/experiment-fixtures';
import { sigkill, spawnWorker, type Child } from '../../../test/processes';
import { defaultPolicies } from '../../domain/policy-defaults';
import type { RunReport } from '../../domain/experiments/report';
import { startRun } from './run-start';
import { sessionsBlockedBy } from '../../../test/race';

let t: TestDb;
let f: ChaosFleet;
beforeAll(async () => {
  t = await openTestDb();
  for (const [kind, document] of Object.entries(defaultPolicies)) {
    await t.db.policy.create({ data: { kind: kind as keyof typeof defaultPolicies, scope: 'global', document } });
  }
  f = await chaosFleet(t.db);
});
afterAll(() => t.close());

const ENV = { SWITCHBACK_TICK_MS: '250' };

/** Runs `wait`; when it fails, the error carries the workers' output as it is then. */
async function withOutput(procs: Child[], wait: () => Promise<unknown>) {
  try {
    await wait();
  } catch (e) {
    throw new Error(`${(e as Error).message}\nworker output:\n${procs.map((p) => p.output().slice(-3000)).join('\n---\n')}`, { cause: e });
  }
}

/** Polls the run until `done`; fails with the workers' output when it does not get there. */
async function until(runId: string, done: (state: string) => boolean, procs: Child[], timeout = 150_000) {
  await withOutput(procs, () => expect.poll(async () => (await runOf(t.db, runId)).state, { timeout, interval: 200 }).toSatisfy(done));
}

describe('a chaos run on real workers and the simulator', () => {
  it('goes from start to a completed report with nothing played by the test', { timeout: 360_000 }, async () => {
    const w = spawnWorker(t.url, ENV);
    try {
      const e = await makeExperiment(t.db, f);
      const { id } = await startRun(t.db, f.operator, { experimentId: e.id });
      await until(id, (s) => s === 'running', [w]);
      const running = await runOf(t.db, id);
      expect(running.injections).toHaveLength(1);
      expect(running.injections[0]!.injectedAt).not.toBeNull();
      expect(running.injections[0]!.leaseOwner).toContain(`:${w.child.pid}:`);
      await until(id, (s) => s === 'completed' || s === 'aborted' || s === 'failed', [w]);
      const run = await runOf(t.db, id);
      expect(run.state).toBe('completed');
      expect(run.injections[0]).toMatchObject({ desired: false, removeReason: 'completed' });
      expect(run.injections[0]!.removedAt).not.toBeNull();
      expect(run.targets[0]!.state).toBe('recovered');
      const report = run.report as unknown as RunReport;
      expect(report.layers.map((l) => l.layer)).toEqual(['access', 'data']);
      // The simulator measured the injected delay at the access layer during the fault.
      expect(report.layers[0]!.during.p99).not.toBeNull();
    } finally {
      await sigkill(w);
    }
  });

  it('SIGKILL of the worker mid-run: another worker takes the run over under its own lease and finishes it', { timeout: 600_000 }, async () => {
    // A lease long enough to outlast B's start on a loaded machine (tens of seconds): with the
    // default 15 s, B's reaper found A's lease lapsed and aborted the run as lease_lost before B's
    // controller could take it over — right for the product, but not what this case is about
    // (reap.int.test.ts covers the lapse). B must still take the run over and finish it.
    const env = { ...ENV, SWITCHBACK_FAULT_LEASE_MS: '300000' };
    const a = spawnWorker(t.url, env);
    let b: Child | null = null;
    const lock = new pg.Client({ connectionString: t.url });
    await lock.connect();
    try {
      const e = await makeExperiment(t.db, f, { durationS: 20 });
      const { id } = await startRun(t.db, f.operator, { experimentId: e.id });
      await until(id, (s) => s === 'running', [a]);
      expect((await runOf(t.db, id)).injections[0]!.leaseOwner).toContain(`:${a.child.pid}:`);
      // Catch A inside a look: the test holds the run's row lock, so A's next controller job
      // blocks in its transaction with the job claimed. Then kill -9: the job stays locked.
      await lock.query('BEGIN');
      await lock.query('SELECT id FROM "ExperimentRun" WHERE id = $1 FOR UPDATE', [id]);
      await expect
        .poll(() => sessionsBlockedBy(lock), { timeout: 120_000, interval: 100 })
        .toBeGreaterThan(0);
      await sigkill(a);
      await lock.query('COMMIT');
      const stuck = await t.db.$queryRaw<Array<{ n: bigint }>>`
        SELECT count(*) AS n FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks k ON k.id = j.task_id
         WHERE k.identifier = 'experiment_run_reconcile' AND j.locked_at IS NOT NULL`;
      expect(stuck[0]!.n).toBe(1n);
      b = spawnWorker(t.url, env);
      const pidB = b.child.pid;
      await withOutput([b], () => expect.poll(async () => (await runOf(t.db, id)).injections[0]!.leaseOwner, { timeout: 180_000, interval: 200 }).toContain(`:${pidB}:`));
      await until(id, (s) => s === 'completed' || s === 'aborted' || s === 'failed', [b]);
      const run = await runOf(t.db, id);
      expect({ state: run.state, abortReason: run.abortReason }).toEqual({ state: 'completed', abortReason: null });
      expect(run.injections[0]).toMatchObject({ removeReason: 'completed' });
    } finally {
      await sigkill(a);
      if (b) await sigkill(b);
      await lock.end();
    }
  });
});

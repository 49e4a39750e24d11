// The lease on the simulator: the process renewing a fault's lease is SIGKILLed while the leader
// survives; the leader takes the fault out of the simulator within the lease and says why.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { makeInjection, makeRunningRun, seedDefaultPolicies } from '../../../test/fault-fixtures';
import { renewedOnce, sigkill, spawnLeaseHolder, spawnWorker } from '../../../test/processes';
import { createPool } from '../../db/client';
import { makeFleet, makeUser } from '../../db/factories';
import { experimentSpecSchema } from '../../domain/experiments/spec';
import { startRun } from '../../services/experiments/run-start';
import { createSimAdapter, simConfigSchema } from '../../platform/sim';
import { TelemetryLoop } from './loop';

let t: TestDb;
let pool: pg.Pool;
let instanceId: string;
const LEASE_MS = 5000;

beforeAll(async () => {
  t = await openTestDb();
  // The app's pool options (its sessions in UTC), as the worker's loop has them: a plain pg.Pool
  // took the server’s TimeZone (America/Los_Angeles under that TZ) and read every lease as ending
  // 8 h after it did: a lapsed lease stayed live, and the row was never marked lease_lapsed.
  pool = createPool(t.url, 6);
  pool.on('error', () => undefined);
  await seedDefaultPolicies(t.db);
  await makeFleet(t.db, {
    regions: [{ name: 'r1', zones: [{ name: 'z1', clusters: ['c1'] }] }],
    services: [{ name: 'api', placement: [{ cluster: 'c1', versions: { v1: 3 } }], routing: { versionWeights: { v1: 100 }, headerRules: [] } }],
  });
  instanceId = (await t.db.instance.findFirstOrThrow()).id;
});
afterAll(async () => {
  await pool.end();
  await t.close();
});

describe('the lease holder dies, the leader survives (simulator)', () => {
  it("the simulator's faults are empty within the lease and the row says lease_lapsed", { timeout: 120_000 }, async () => {
    const sim = createSimAdapter(simConfigSchema.parse({ seed: 3 }));
    const loop = new TelemetryLoop({ url: t.url, pool, db: t.db, tickMs: 250, log: () => undefined, workerId: 'leader', electionPollMs: 200, openAdapter: () => Promise.resolve(sim) });
    loop.start();
    const { runId } = await makeRunningRun(t.db);
    // A long first lease while the holder process starts; from its first renewal on, LEASE_MS.
    const id = await makeInjection(t.db, { runId, instanceId, spec: { kind: 'delay', delayMs: 200, jitterMs: 300 }, adapterKind: 'sim', leaseMs: 60_000 });
    const holder = spawnLeaseHolder(t.url, [id], LEASE_MS, 500);
    try {
      await expect.poll(() => renewedOnce(holder), { timeout: 30_000, interval: 50 }).toBe(true);
      const firstLease = Date.now() + LEASE_MS;
      await expect.poll(async () => (await sim.listFaults()).map((f) => f.id), { timeout: 30_000, interval: 100 }).toEqual([id]);
      await expect.poll(async () => (await t.db.injection.findUniqueOrThrow({ where: { id } })).injectedAt !== null, { timeout: 60_000, interval: 50 }).toBe(true);
      // Renewed by the holder: it stays past the lease it had after its first renewal.
      while (Date.now() < firstLease + 1500) expect((await sim.listFaults()).map((f) => f.id)).toEqual([id]);

      const killedAt = Date.now();
      await sigkill(holder);
      await expect.poll(async () => (await sim.listFaults()).length, { timeout: 30_000, interval: 50 }).toBe(0);
      const goneMs = Date.now() - killedAt;
      console.log(`[fault-kill-sim] SIGKILL of the lease holder → fault gone from the simulator after ${goneMs} ms (lease ${LEASE_MS} ms)`);
      // Not a bound on this test's own event loop (the simulator's clock moves only when the loop
      // ticks): the last expiry the leader pushed is at most one lease after the kill (the last
      // renewal came before it; 1 s for the database's clock against ours), and it is gone.
      expect((await t.db.injection.findUniqueOrThrow({ where: { id } })).platformExpiresAt!.getTime()).toBeLessThanOrEqual(killedAt + LEASE_MS + 1000);
      await expect.poll(async () => (await t.db.injection.findUniqueOrThrow({ where: { id } })).removeReason, { timeout: 60_000, interval: 50 }).toBe('lease_lapsed');
      expect(loop.stats.leader).toBe(true);
    } finally {
      await sigkill(holder);
      await loop.stop();
    }
  });

  it('a real run whose controller worker is SIGKILLed (the leader survives): its fault leaves the simulator within the lease, marked lease_lapsed', { timeout: 300_000 }, async () => {
    const sim = createSimAdapter(simConfigSchema.parse({ seed: 5 }));
    const loop = new TelemetryLoop({ url: t.url, pool, db: t.db, tickMs: 250, log: () => undefined, workerId: 'leader2', electionPollMs: 200, openAdapter: () => Promise.resolve(sim) });
    loop.start();
    // Jobs only (the run controller): the test's loop is the leader that holds the simulator.
    const worker = spawnWorker(t.url, { SWITCHBACK_TELEMETRY_LOOP: 'false', SWITCHBACK_FAULT_LEASE_MS: String(LEASE_MS) });
    try {
      await expect.poll(() => loop.stats.ticks, { timeout: 30_000, interval: 100 }).toBeGreaterThanOrEqual(2);
      const { user } = await makeUser(t.db, { role: 'operator' });
      const spec = experimentSpecSchema.parse({
        fault: { kind: 'delay', delayMs: 200, jitterMs: 300 },
        targets: { regions: [], zones: [], clusters: [], services: ['api'], versions: [], labels: {} },
        selection: { mode: 'one' },
        blastRadius: { maxServicePct: 50, maxZonePct: null, maxClusterPct: null },
        durationS: 600,
        baselineS: 10,
        observeS: 10,
      });
      const e = await t.db.experiment.create({ data: { name: 'api-jitter', spec: JSON.parse(JSON.stringify(spec)) as object, createdByName: user.name, createdById: user.id } });
      const { id: runId } = await startRun(t.db, { id: user.id, name: user.name, role: 'operator' }, { experimentId: e.id });
      const run = () => t.db.experimentRun.findUniqueOrThrow({ where: { id: runId }, include: { injections: true } });
      // Past pending / injecting; a run that ended instead says why (guard, steady state, …).
      await expect.poll(async () => ['pending', 'injecting'].includes((await run()).state), { timeout: 120_000, interval: 200 }).toBe(false);
      const started = await run();
      expect({ state: started.state, detail: started.stateDetail }).toMatchObject({ state: 'running' });
      const [inj] = (await run()).injections;
      // 'running' means the injection is written; the leader's fault sync puts it in the simulator at
      // its next tick (a loaded machine's tick can come seconds later: CI at load 12 saw none yet).
      await expect.poll(async () => (await sim.listFaults()).map((f) => f.id), { timeout: 30_000, interval: 100 }).toEqual([inj!.id]);
      // Renewed by the worker's controller: it stays past its first lease.
      while (Date.now() < inj!.createdAt.getTime() + LEASE_MS + 1500) expect((await sim.listFaults()).map((f) => f.id)).toEqual([inj!.id]);

      const killedAt = Date.now();
      await sigkill(worker);
      await expect.poll(async () => (await sim.listFaults()).length, { timeout: 30_000, interval: 50 }).toBe(0);
      const goneMs = Date.now() - killedAt;
      console.log(`[fault-kill-sim] SIGKILL of the run's controller worker → fault gone from the simulator after ${goneMs} ms (lease ${LEASE_MS} ms)`);
      // The last expiry pushed (not the test's event loop, see above) is at most one lease after the kill.
      expect((await run()).injections[0]!.platformExpiresAt!.getTime()).toBeLessThanOrEqual(killedAt + LEASE_MS + 1000);
      await expect.poll(async () => (await run()).injections.map((x) => [x.desired, x.removeReason]), { timeout: 60_000, interval: 50 }).toEqual([[false, 'lease_lapsed']]);
      expect(loop.stats.leader).toBe(true);
    } catch (err) {
      console.log(worker.output().slice(-3000));
      throw err;
    } finally {
      await sigkill(worker);
      await loop.stop();
    }
  });
});

// The lease on the simulator: the process renewing a fault's lease is SIGKILLed while the leader
// survives; the leader takes the fault out of the simulator within the lease and says why.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { makeInjection, makeRunningRun } from '../../../test/fault-fixtures';
import { sigkill, spawnLeaseHolder } from '../../../test/processes';
import { makeFleet } from '../../db/factories';
import { defaultPolicies } from '../../domain/policy-defaults';
import { createSimAdapter, simConfigSchema } from '../../platform/sim';
import { TelemetryLoop } from './loop';

let t: TestDb;
let pool: pg.Pool;
let instanceId: string;
const LEASE_MS = 5000;

beforeAll(async () => {
  t = await openTestDb();
  pool = new pg.Pool({ connectionString: t.url, max: 6 });
  pool.on('error', () => undefined);
  for (const [kind, document] of Object.entries(defaultPolicies)) {
    await t.db.policy.create({ data: { kind: kind as keyof typeof defaultPolicies, scope: 'global', document } });
  }
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
    const id = await makeInjection(t.db, { runId, instanceId, spec: { kind: 'delay', delayMs: 200, jitterMs: 300 }, adapterKind: 'sim', leaseMs: LEASE_MS });
    const firstLease = (await t.db.injection.findUniqueOrThrow({ where: { id } })).leaseExpiresAt.getTime();
    const holder = spawnLeaseHolder(t.url, [id], LEASE_MS, 500);
    try {
      await expect.poll(async () => (await sim.listFaults()).map((f) => f.id), { timeout: 30_000, interval: 100 }).toEqual([id]);
      await expect.poll(async () => (await t.db.injection.findUniqueOrThrow({ where: { id } })).injectedAt !== null, { timeout: 10_000, interval: 50 }).toBe(true);
      // Renewed by the holder: it stays past its first lease.
      await expect.poll(() => holder.output().includes('renewed'), { timeout: 30_000, interval: 100 }).toBe(true);
      while (Date.now() < firstLease + 1500) expect((await sim.listFaults()).map((f) => f.id)).toEqual([id]);

      const killedAt = Date.now();
      await sigkill(holder);
      await expect.poll(async () => (await sim.listFaults()).length, { timeout: 30_000, interval: 50 }).toBe(0);
      const goneMs = Date.now() - killedAt;
      console.log(`[fault-kill-sim] SIGKILL of the lease holder → fault gone from the simulator after ${goneMs} ms (lease ${LEASE_MS} ms)`);
      expect(goneMs).toBeLessThanOrEqual(LEASE_MS + 3000);
      await expect.poll(async () => (await t.db.injection.findUniqueOrThrow({ where: { id } })).removeReason, { timeout: 10_000, interval: 50 }).toBe('lease_lapsed');
      expect(loop.stats.leader).toBe(true);
    } finally {
      await sigkill(holder);
      await loop.stop();
    }
  });
});

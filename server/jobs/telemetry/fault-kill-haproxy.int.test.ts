// The dead man's switch on a real HAProxy: every worker and the process renewing the lease are
// SIGKILLed while a fault acts; HAProxy drops it by itself at the last expiry the leader pushed
// (within the lease), with nobody left to remove it. A worker started later records why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { activeHaproxyLab, makeInjection, makeRunningRun, seedDefaultPolicies } from '../../../test/fault-fixtures';
import { renewedOnce, sigkill, spawnLeaseHolder, spawnWorker, type Child } from '../../../test/processes';
import { burst, type HaproxyLab } from '../../platform/haproxy/testing/harness';

let t: TestDb;
let lab: HaproxyLab;
let instanceId: string;
const LEASE_MS = 5000;

beforeAll(async () => {
  t = await openTestDb();
  await seedDefaultPolicies(t.db);
  lab = await activeHaproxyLab(t.db, { shop: { v1: 2, v2: 1 } });
  instanceId = (await t.db.instance.findFirstOrThrow({ where: { name: 'shop-v1-1' } })).id;
});
afterAll(async () => {
  await t.close();
  await lab.close();
});

const in503 = async (n = 40) => (await burst(lab.frontends.shop!, n, { concurrency: 4 })).byStatus[503] ?? 0;
const row = (id: string) => t.db.injection.findUniqueOrThrow({ where: { id } });

describe('SIGKILL every worker while a fault acts (HAProxy)', () => {
  it('requests stop seeing the injected 503s within the lease, removed by HAProxy itself; a worker started later marks the row lease_lapsed', { timeout: 180_000 }, async () => {
    const env = { SWITCHBACK_FAULT_LEASE_MS: String(LEASE_MS) };
    const procs: Child[] = [spawnWorker(t.url, env), spawnWorker(t.url, env)];
    try {
      await expect.poll(() => t.db.tick.count(), { timeout: 60_000, interval: 200 }).toBeGreaterThanOrEqual(2);
      const { runId } = await makeRunningRun(t.db);
      // A long first lease while the holder process starts; from its first renewal on, LEASE_MS.
      const id = await makeInjection(t.db, { runId, instanceId, backend: 'shop', spec: { kind: 'http-error', status: 503, pct: 100 }, adapterKind: 'haproxy', leaseMs: 60_000 });
      const holder = spawnLeaseHolder(t.url, [id], LEASE_MS, 500);
      procs.push(holder);
      await expect.poll(() => renewedOnce(holder), { timeout: 30_000, interval: 50 }).toBe(true);
      const firstLease = Date.now() + LEASE_MS;
      await expect.poll(async () => (await row(id)).injectedAt !== null, { timeout: 30_000, interval: 100 }).toBe(true);
      await expect.poll(() => in503(), { timeout: 10_000, interval: 100 }).toBe(40);
      // The workers move HAProxy's expiry forward while the lease is renewed: past the first lease it still acts.
      while (Date.now() < firstLease + 1500) expect(await in503(8)).toBe(8);

      // kill -9 everything that could renew or remove the fault.
      const killedAt = Date.now();
      await Promise.all(procs.map(sigkill));
      // Timed from the start of the first probe that saw no 503 (a probe itself is slow on a busy machine).
      let probeStart = 0;
      const probe = () => ((probeStart = Date.now()), in503(10));
      await expect.poll(probe, { timeout: 30_000, interval: 50 }).toBe(0);
      const goneMs = probeStart - killedAt;
      console.log(`[fault-kill-haproxy] SIGKILL of every worker → 503s gone after ${goneMs} ms (lease ${LEASE_MS} ms)`);
      // HAProxy's own clock: the last expiry pushed is at most one lease after the last renewal
      // (before the kill), rounded down to the second; the slack covers the probe bursts.
      expect(goneMs).toBeLessThanOrEqual(LEASE_MS + 3000);
      // Nobody alive removed it: the row still wants it; only HAProxy's expiry map stopped it.
      expect(await row(id)).toMatchObject({ desired: true, removedAt: null });

      // A worker started afterwards leads and records what happened.
      procs.push(spawnWorker(t.url, env));
      await expect.poll(async () => (await row(id)).removeReason, { timeout: 60_000, interval: 200 }).toBe('lease_lapsed');
      expect(await row(id)).toMatchObject({ desired: false });
      expect(await in503()).toBe(0);
    } catch (err) {
      for (const p of procs) console.log(p.output().slice(-3000));
      throw err;
    } finally {
      await Promise.all(procs.map(sigkill));
    }
  });
});

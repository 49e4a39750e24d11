// The acceptance case on a real HAProxy with a real run: an operator starts a run through
// the service, real worker processes inject its 503s and renew the lease every tick, then every
// worker is SIGKILLed mid-run. HAProxy drops the fault by itself within the lease; the next worker
// records the lapse (lease_lapsed) and the run ends aborted with lease_lost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { activeHaproxyLab, allowFullBlastRadius, count503, experimentOn, leadingWorkers, seedDefaultPolicies, startRunning } from '../../../test/fault-fixtures';
import { sigkill, spawnWorker, type Child } from '../../../test/processes';
import { makeUser } from '../../db/factories';
import type { HaproxyLab } from '../../platform/haproxy/testing/harness';

let t: TestDb;
let lab: HaproxyLab;
const LEASE_MS = 5000;

beforeAll(async () => {
  t = await openTestDb();
  await seedDefaultPolicies(t.db);
  // One server: the run's fault hits every request, whatever weights the loop gives.
  lab = await activeHaproxyLab(t.db, { shop: { v1: 1 } });
  await allowFullBlastRadius(t.db);
});
afterAll(async () => {
  await t.close();
  await lab.close();
});

const in503 = (n = 40) => count503(lab.frontends.shop!, n);

describe('SIGKILL every worker mid-run (HAProxy, a real run)', () => {
  it('the run injects through the workers; after kill -9 of all of them HAProxy drops the 503s within the lease; the next worker aborts the run as lease_lost', { timeout: 300_000 }, async () => {
    const { user } = await makeUser(t.db, { role: 'operator' });
    const operator = { id: user.id, name: user.name, role: 'operator' as const };
    const e = await experimentOn(t.db, operator, ['shop'], { kind: 'http-error', status: 503, pct: 100 });
    const env = { SWITCHBACK_FAULT_LEASE_MS: String(LEASE_MS) };
    const procs: Child[] = await leadingWorkers(t.db, t.url, env);
    try {
      // Past pending / injecting; a run that ended instead says why (guard, steady state, …).
      const runId = await startRunning(t.db, operator, { experimentId: e.id });
      const run = () => t.db.experimentRun.findUniqueOrThrow({ where: { id: runId }, include: { injections: true } });
      await expect.poll(() => in503(), { timeout: 10_000, interval: 100 }).toBe(40);
      const [inj] = (await run()).injections;
      const firstLease = inj!.createdAt.getTime() + LEASE_MS;
      // The workers' controller renews, the leader pushes: past the first lease the fault still acts.
      while (Date.now() < firstLease + 1500) expect(await in503(8)).toBe(8);
      expect((await run()).state).toBe('running');

      const killedAt = Date.now();
      await Promise.all(procs.map(sigkill));
      // Timed from the start of the first probe that saw no 503 (a probe itself is slow on a busy machine).
      let probeStart = 0;
      const probe = () => ((probeStart = Date.now()), in503(10));
      await expect.poll(probe, { timeout: 30_000, interval: 50 }).toBe(0);
      const goneMs = probeStart - killedAt;
      console.log(`[fault-kill-run] SIGKILL of every worker mid-run → 503s gone after ${goneMs} ms (lease ${LEASE_MS} ms)`);
      expect(goneMs).toBeLessThanOrEqual(LEASE_MS + 3000);
      // Removed by HAProxy's own expiry: no process was alive to touch the rows.
      expect((await run()).injections.every((x) => x.removedAt === null)).toBe(true);

      procs.push(spawnWorker(t.url, env));
      await expect.poll(async () => (await run()).state, { timeout: 90_000, interval: 200 }).toBe('aborted');
      const after = await run();
      expect(after.abortReason).toBe('lease_lost');
      expect(after.injections.map((x) => [x.desired, x.removeReason])).toEqual([[false, 'lease_lapsed']]);
      expect(await in503()).toBe(0);
    } catch (err) {
      for (const p of procs) console.log(p.output().slice(-3000));
      throw err;
    } finally {
      await Promise.all(procs.map(sigkill));
    }
  });
});

// Halt-all on a real HAProxy, as an operator presses it during an incident: real worker processes
// run two chaos runs (503s on one service, a delay on another) and a canary rollout on a third;
// engageHalt aborts both runs, stops wanting their faults (removeReason halted) and pauses the
// rollout in one transaction. Requests through HAProxy stop seeing the 503s and the delay, the
// leader records every removal and the halt's faultsClearedAt, the runs end aborted (halted), a
// new run is refused naming the halt, and an approver releases it with a reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { activeHaproxyLab, allowFullBlastRadius, count503, experimentOn, leadingWorkers, seedDefaultPolicies, startRunning } from '../../../test/fault-fixtures';
import { sigkill, type Child } from '../../../test/processes';
import { specFor } from '../../../test/rollout-fixtures';
import { makeUser } from '../../db/factories';
import type { AppError } from '../../errors';
import { burst, type HaproxyLab } from '../../platform/haproxy/testing/harness';
import { startRun } from '../../services/experiments/run-start';
import { createRollout, startRollout } from '../../services/rollouts/rollout-commands';
import { engageHalt, haltStatus, releaseHalt } from '../../services/safety/halt';

let t: TestDb;
let lab: HaproxyLab;
const DELAY_MS = 2000;
const REASON = 'payment provider incident';

beforeAll(async () => {
  t = await openTestDb();
  await seedDefaultPolicies(t.db);
  // One server for each faulted service: a run's fault hits every request, whatever weights the loop gives.
  lab = await activeHaproxyLab(t.db, { shop: { v1: 1 }, slow: { v1: 1 }, cart: { v1: 2, v2: 1 } });
  await allowFullBlastRadius(t.db);
});
afterAll(async () => {
  await t?.close();
  await lab?.close();
});

const in503 = (n = 40) => count503(lab.frontends.shop!, n);
/** The quickest of 4 requests through the delayed service: never below the delay while it acts. */
const quickestSlow = async () => {
  const b = await burst(lab.frontends.slow!, 4, { concurrency: 4 });
  return b.failures > 0 ? -1 : Math.min(...b.latenciesMs);
};
const caught = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a refusal'); }, (e: unknown) => e as AppError);

describe('halt-all on HAProxy (real runs, a real rollout)', () => {
  it('removes the runs’ 503s and delay from HAProxy, records them halted and the halt cleared, ends the runs aborted, pauses the rollout, refuses new runs until an approver releases', { timeout: 400_000 }, async () => {
    const person = async (role: 'operator' | 'approver') => {
      const { user } = await makeUser(t.db, { role });
      return { id: user.id, name: user.name, role };
    };
    const operator = await person('operator');
    const approver = await person('approver');
    const e503 = await experimentOn(t.db, operator, ['shop'], { kind: 'http-error', status: 503, pct: 100 });
    const eDelay = await experimentOn(t.db, operator, ['slow'], { kind: 'delay', delayMs: DELAY_MS, jitterMs: 0 });
    const procs: Child[] = await leadingWorkers(t.db, t.url, { SWITCHBACK_WORKER_CONCURRENCY: '2' }, 1);
    try {
      // A canary rollout on cart, progressing through the workers: 10 % applied by HAProxy, then a
      // long analysis (no traffic reaches cart, so it stays undecided and the rollout progressing).
      const rollout = await createRollout(t.db, operator, {
        spec: specFor('cart', [{ kind: 'setWeight', weight: 10 }, { kind: 'analysis', metrics: [{ metric: 'error-rate', maxIncreasePct: 50 }], seconds: 3600 }, { kind: 'pause' }]),
      });
      await startRollout(t.db, operator, rollout);
      const rolloutNow = () => t.db.rollout.findUniqueOrThrow({ where: { id: rollout.id } });
      await expect.poll(async () => { const r = await rolloutNow(); return [r.state, r.currentStep, r.stateDetail]; }, { timeout: 60_000, interval: 200 }).toEqual(['progressing', 1, expect.any(String)]);

      // The 503 run first; the delay run next to it in the lab's one zone, where the 503s may
      // already trip the topology guard: an approver overrides it with a reason.
      const run503 = await startRunning(t.db, operator, { experimentId: e503.id });
      const runDelay = await startRunning(t.db, approver, { experimentId: eDelay.id, guardOverrideReason: 'the 503 run next door is part of the same drill' });
      await expect.poll(() => in503(), { timeout: 20_000, interval: 100 }).toBe(40);
      await expect.poll(quickestSlow, { timeout: 20_000, interval: 100 }).toBeGreaterThanOrEqual(DELAY_MS - 10);
      const runIds = [run503, runDelay];
      expect(await t.db.injection.count({ where: { runId: { in: runIds }, desired: true, injectedAt: { not: null }, removedAt: null } })).toBe(2);

      const res = await engageHalt(t.db, operator, { reason: REASON });
      expect(res).toMatchObject({ runsAborted: 2, injectionsRemoved: 2, rolloutsPaused: 1 });

      // Requests through HAProxy stop seeing both faults (the leader converges on the NOTIFY).
      await expect.poll(() => in503(), { timeout: 60_000, interval: 100 }).toBe(0);
      await expect.poll(async () => { const q = await quickestSlow(); return q >= 0 && q < DELAY_MS - 10; }, { timeout: 60_000, interval: 100 }).toBe(true);

      // Every fault removed by the leader for the halt; the halt records when the last one went.
      const injections = () => t.db.injection.findMany({ where: { runId: { in: runIds } } });
      await expect.poll(async () => (await injections()).every((i) => i.removedAt !== null), { timeout: 30_000, interval: 100 }).toBe(true);
      const removed = await injections();
      expect(removed.map((i) => [i.desired, i.removeReason])).toEqual([[false, 'halted'], [false, 'halted']]);
      await expect.poll(async () => (await t.db.halt.findUniqueOrThrow({ where: { id: res.id } })).faultsClearedAt, { timeout: 30_000, interval: 100 }).not.toBeNull();
      const halt = await t.db.halt.findUniqueOrThrow({ where: { id: res.id } });
      expect(halt.faultsClearedAt!.getTime()).toBe(Math.max(...removed.map((i) => i.removedAt!.getTime())));
      expect(halt).toMatchObject({ engagedByName: operator.name, reason: REASON, releasedAt: null });
      expect((await haltStatus(t.db)).halt).toMatchObject({ faultsPending: 0 });

      // The runs end aborted for the halt once the faults are out and the observation is over.
      const runs = () => t.db.experimentRun.findMany({ where: { id: { in: runIds } } });
      await expect.poll(async () => (await runs()).map((r) => r.state), { timeout: 120_000, interval: 200 }).toEqual(['aborted', 'aborted']);
      for (const r of await runs()) {
        expect(r.abortReason).toBe('halted');
        expect(r.stateDetail).toContain(`halt-all engaged by ${operator.name}`);
        expect(r.stateDetail).toContain(REASON);
        expect(r.faultsRemovedAt).not.toBeNull();
      }

      // While engaged: a new run is refused naming the halt; the rollout stays paused at 10 %.
      const refused = await caught(startRun(t.db, operator, { experimentId: e503.id }));
      expect(refused.code).toBe('CONFLICT');
      expect(refused.message).toContain(`halt-all engaged by ${operator.name}`);
      expect(refused.message).toContain(REASON);
      expect(await t.db.experimentRun.count({ where: { experimentId: e503.id } })).toBe(1);
      const paused = await rolloutNow();
      expect(paused).toMatchObject({ state: 'paused', pauseReason: 'halted', currentStep: 1 });
      expect((await t.db.service.findUniqueOrThrow({ where: { name: 'cart' } })).routing).toMatchObject({ versionWeights: { v1: 90, v2: 10 } });

      // An approver releases with a reason; nothing comes back into HAProxy, the rollout waits for a person.
      await releaseHalt(t.db, approver, { reason: 'provider recovered' });
      expect(await t.db.halt.findUniqueOrThrow({ where: { id: res.id } })).toMatchObject({ releasedByName: approver.name, releaseReason: 'provider recovered' });
      expect((await haltStatus(t.db)).engaged).toBe(false);
      expect(await in503()).toBe(0);
      expect(await rolloutNow()).toMatchObject({ state: 'paused', pauseReason: 'halted' });
    } catch (err) {
      for (const p of procs) console.log(p.output().slice(-3000));
      throw err;
    } finally {
      await Promise.all(procs.map(sigkill));
      // Nothing left engaged for whoever reads this database next.
      if ((await haltStatus(t.db)).engaged) await releaseHalt(t.db, approver, { reason: 'test cleanup' }).catch(() => undefined);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { LATENCY_BUCKETS_MS, addBuckets, emptyBuckets, quantileOf } from '../../domain/latency-buckets';
import type { InstanceTelemetry } from '../../domain/model';
import type { FaultInjection, FaultSpec } from '../adapter';
import { DEFAULT_HEADER_MIX } from './config';
import { demoSim, pick, runTicks } from './test-fleet';

const canary = { header: 'X-Abtest-Group', value: 'v2-canary' };
const CANARY_SHARE = DEFAULT_HEADER_MIX['X-Abtest-Group=v2-canary']!; // 3 % of all requests
// payment-svc has no header rules: its instances see the cohort at its share of all requests.
const payment = 'payment-svc-euw-a-1-v1-1';
// order-api pins the canary group to v2 (header rule) and sends 10 % of the rest there too.
const orderV2 = 'order-api-euw-a-1-v2-1';
const orderV1 = 'order-api-euw-a-1-v1-1';

/** Twin runs on one seed; `b` carries the faults from tick 5 on. Ticks 8–37 of both. */
async function twin(faults: Array<{ instanceId: string; spec: FaultSpec; cohort?: FaultInjection['cohort'] }>) {
  const a = await demoSim();
  const b = await demoSim();
  await runTicks(a.sim, a.at, 0, 5);
  await runTicks(b.sim, b.at, 0, 5);
  const r = await b.sim.syncFaults(faults.map((f, k) => ({ id: `f${k}`, ...f, expiresAt: b.at(1000) })));
  expect(r.failed).toEqual([]);
  return { a: (await runTicks(a.sim, a.at, 5, 33)).slice(3), b: (await runTicks(b.sim, b.at, 5, 33)).slice(3), sim: b.sim };
}

const errorRatio = (ticks: InstanceTelemetry[][], id: string) => ticks.reduce((s, t) => s + pick(t, id).errors!, 0) / ticks.reduce((s, t) => s + pick(t, id).requests!, 0);
const merged = (ticks: InstanceTelemetry[][], id: string) => ticks.reduce((acc, t) => addBuckets(acc, pick(t, id).latencyBuckets!), emptyBuckets());
const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);
/** Share of the requests slower than the bound of bucket `b` (LATENCY_BUCKETS_MS[b]). */
const slowerThan = (counts: number[], b: number) => sum(counts.slice(b + 1)) / sum(counts);
const near = (actual: number, expected: number, relTol: number) => expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(Math.abs(expected) * relTol);

describe('sim: cohort-scoped faults', () => {
  it('http-error hits the cohort’s share of each instance’s requests, as routing sends it there', async () => {
    const r = await twin([
      { instanceId: payment, spec: { kind: 'http-error', status: 503, pct: 100 }, cohort: canary },
      { instanceId: orderV2, spec: { kind: 'http-error', status: 503, pct: 100 }, cohort: canary },
      { instanceId: orderV1, spec: { kind: 'http-error', status: 503, pct: 100 }, cohort: canary },
    ]);
    // Share at payment: 3 %; at an order-api v2 instance: 3 % / (3 % + 97 % × 10 %) ≈ 23.6 %; at v1: none.
    near(errorRatio(r.b, payment) - errorRatio(r.a, payment), CANARY_SHARE, 0.25);
    near(errorRatio(r.b, orderV2) - errorRatio(r.a, orderV2), CANARY_SHARE / (CANARY_SHARE + (1 - CANARY_SHARE) * 0.1), 0.15);
    expect(errorRatio(r.b, orderV1)).toBeLessThan(0.005);
  });

  it('packet loss fails only cohort requests: the share × the chance a request loses one packet twice', async () => {
    const r = await twin([{ instanceId: payment, spec: { kind: 'loss', pct: 50 }, cohort: canary }]);
    const failOfCohort = 1 - Math.pow(1 - 0.25, 6);
    near(errorRatio(r.b, payment) - errorRatio(r.a, payment), CANARY_SHARE * failOfCohort, 0.3);
  });

  it('delay slows the cohort’s requests like an unscoped delay slows all, and leaves the median of the rest', async () => {
    const delay: FaultSpec = { kind: 'delay', delayMs: 200, jitterMs: 300 };
    const r = await twin([{ instanceId: payment, spec: delay, cohort: canary }]);
    const all = await twin([{ instanceId: payment, spec: delay }]);
    const a = merged(r.a, payment);
    const b = merged(r.b, payment);
    const c = merged(all.b, payment);
    // The median (97 % undelayed) stays; the p99 falls inside the delayed cohort (its 2/3 quantile).
    near(quantileOf(b, 0.5)!, quantileOf(a, 0.5)!, 0.15);
    expect(quantileOf(b, 0.99)! - quantileOf(a, 0.99)!).toBeGreaterThan(150);
    // Requests slower than 450 ms (none without the fault): the cohort's share of what the same delay
    // on every request gives.
    const b450 = LATENCY_BUCKETS_MS.indexOf(450);
    expect(slowerThan(a, b450)).toBeLessThan(0.0005);
    near(slowerThan(b, b450), CANARY_SHARE * slowerThan(c, b450), 0.25);
    expect(slowerThan(c, b450)).toBeGreaterThan(0.15);
    // Reported quantiles are those of the mixture too.
    const p99 = (ticks: InstanceTelemetry[][]) => ticks.reduce((s, t) => s + pick(t, payment).p99Ms!, 0) / ticks.length;
    expect(p99(r.b) - p99(r.a)).toBeGreaterThan(150);
  });

  it('refuses a cohort on whole-instance faults and on a value no request carries, in words', async () => {
    const { sim, at } = await demoSim();
    expect(sim.capabilities().faultCohortKinds?.sort()).toEqual(['delay', 'http-error', 'loss']);
    await expect(sim.injectFault({ id: 'k', instanceId: payment, spec: { kind: 'kill' }, cohort: canary, expiresAt: at(60) })).rejects.toThrow(/kill fault hits the whole instance and cannot be scoped to a cohort/);
    const r = await sim.syncFaults([
      { id: 'drain', instanceId: payment, spec: { kind: 'drain' }, cohort: canary, expiresAt: at(60) },
      { id: 'nobody', instanceId: payment, spec: { kind: 'delay', delayMs: 100, jitterMs: 0 }, cohort: { header: 'x-abtest-group', value: 'v9' }, expiresAt: at(60) },
      { id: 'ok', instanceId: payment, spec: { kind: 'delay', delayMs: 100, jitterMs: 0 }, cohort: { header: 'x-abtest-group', value: 'v2-canary' }, expiresAt: at(60) },
    ]);
    expect(r.failed.map((f) => f.id)).toEqual(['drain', 'nobody']);
    expect(r.failed[0]!.error).toMatch(/drain fault hits the whole instance/);
    expect(r.failed[1]!.error).toMatch(/no simulated request carries x-abtest-group: v9 \(its values are v1-stable, v2-canary, v2-beta\)/);
    // Header names are case-insensitive; the cohort is kept as given.
    expect(await sim.listFaults()).toEqual([{ id: 'ok', instanceId: payment, spec: { kind: 'delay', delayMs: 100, jitterMs: 0 }, cohort: { header: 'x-abtest-group', value: 'v2-canary' }, expiresAt: at(60) }]);
  });
});

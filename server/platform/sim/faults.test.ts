import { describe, expect, it } from 'vitest';
import type { InstanceTelemetry } from '../../domain/model';
import type { FaultSpec } from '../adapter';
import { demoSim, meanOf, pick, runTicks } from './test-fleet';

// A healthy, busy instance (not in the hot zone) and one of its peers.
const target = 'payment-svc-euw-a-1-v1-1';
const peer = 'payment-svc-euw-a-1-v1-2';

/**
 * Twin runs on the same seed: `a` untouched, `b` with the fault on `target` from tick 10 to its
 * expiry at tick 20. Returns ticks 12–19 (fault active) and 26–33 (after expiry) of both.
 */
async function twin(spec: FaultSpec) {
  const a = await demoSim();
  const b = await demoSim();
  await runTicks(a.sim, a.at, 0, 10);
  await runTicks(b.sim, b.at, 0, 10);
  await b.sim.injectFault({ id: 'fault-1', instanceId: target, spec, expiresAt: b.at(20) });
  const ra = await runTicks(a.sim, a.at, 10, 24);
  const rb = await runTicks(b.sim, b.at, 10, 10);
  const listedDuring = await b.sim.listFaults();
  rb.push(...(await runTicks(b.sim, b.at, 20, 14)));
  return { a: ra.slice(2, 10), b: rb.slice(2, 10), aAfter: ra.slice(16), bAfter: rb.slice(16), listedDuring, sim: b.sim, at: b.at };
}

const m = (ticks: InstanceTelemetry[][], f: (t: InstanceTelemetry) => number | undefined, id = target) => meanOf(ticks, id, f);
const errorRatio = (ticks: InstanceTelemetry[][]) => ticks.reduce((s, tick) => s + pick(tick, target).errors!, 0) / ticks.reduce((s, tick) => s + pick(tick, target).requests!, 0);
const near = (actual: number, expected: number, relTol: number) => expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(Math.abs(expected) * relTol);

describe('sim adapter: faults', () => {
  it('delay with normal jitter adds N(delay, jitter) clamped at 0 to the latency, then disappears', async () => {
    const r = await twin({ kind: 'delay', delayMs: 200, jitterMs: 300 });
    // p50 + 200; p99 + 200 + 2.326·300; mean + E[max(0, N(200, 300))] ≈ 245 ms.
    near(m(r.b, (t) => t.p50Ms) - m(r.a, (t) => t.p50Ms), 200, 0.15);
    near(m(r.b, (t) => t.p99Ms) - m(r.a, (t) => t.p99Ms), 898, 0.15);
    near(m(r.b, (t) => t.rtMs) - m(r.a, (t) => t.rtMs), 245, 0.15);
    // Throughput and CPU are the instance's own: unchanged.
    near(m(r.b, (t) => t.cpuPct), m(r.a, (t) => t.cpuPct), 0.05);
    near(m(r.bAfter, (t) => t.p50Ms), m(r.aAfter, (t) => t.p50Ms), 0.1);
    expect(r.listedDuring.map((f) => f.id)).toEqual(['fault-1']);
    expect(await r.sim.listFaults()).toEqual([]);
  });

  it('packet loss fails requests and adds retransmit latency', async () => {
    const r = await twin({ kind: 'loss', pct: 20 });
    expect(errorRatio(r.b)).toBeGreaterThan(0.1);
    expect(errorRatio(r.a)).toBeLessThan(0.01);
    expect(m(r.b, (t) => t.p95Ms) - m(r.a, (t) => t.p95Ms)).toBeGreaterThan(150);
    expect(errorRatio(r.bAfter)).toBeLessThan(0.01);
  });

  it('http-error answers pct of the requests with errors and leaves latency alone', async () => {
    const r = await twin({ kind: 'http-error', status: 503, pct: 30 });
    near(errorRatio(r.b), 0.3, 0.15);
    near(m(r.b, (t) => t.p50Ms), m(r.a, (t) => t.p50Ms), 0.1);
    expect(errorRatio(r.bAfter)).toBeLessThan(0.01);
  });

  it('kill reports the instance down with no measures, and it comes back at expiry', async () => {
    const r = await twin({ kind: 'kill' });
    for (const tick of r.b) expect(pick(tick, target)).toEqual({ instanceId: target, up: false });
    for (const tick of r.bAfter) expect(pick(tick, target).up).toBe(true);
    expect(m(r.bAfter, (t) => t.rps)).toBeGreaterThan(100);
    // Killed, it still gets its share from the balancer (those requests fail), so peers carry the same load.
    near(m(r.b, (t) => t.rps, peer), m(r.a, (t) => t.rps, peer), 0.05);
  });

  it('kill shows in describe() while active', async () => {
    const { sim, at } = await demoSim();
    await sim.readTelemetry(at(0));
    await sim.injectFault({ id: 'k', instanceId: target, spec: { kind: 'kill' }, expiresAt: at(5) });
    const up = async () => (await sim.describe()).instances.find((i) => i.name === target)!.up;
    expect(await up()).toBe(false);
    await sim.readTelemetry(at(5));
    expect(await up()).toBe(true);
  });

  it('drain takes the instance out of the split until expiry', async () => {
    const r = await twin({ kind: 'drain' });
    for (const tick of r.b) expect(pick(tick, target).rps).toBe(0);
    expect(m(r.b, (t) => t.rps, peer)).toBeGreaterThan(m(r.a, (t) => t.rps, peer));
    expect(m(r.bAfter, (t) => t.rps)).toBeGreaterThan(100);
  });

  it('cpu-stress adds CPU and removes capacity, then the instance recovers', async () => {
    const r = await twin({ kind: 'cpu-stress', pct: 30 });
    expect(m(r.b, (t) => t.cpuPct) - m(r.a, (t) => t.cpuPct)).toBeGreaterThan(20);
    expect(m(r.b, (t) => t.p95Ms)).toBeGreaterThan(1.5 * m(r.a, (t) => t.p95Ms));
    near(m(r.bAfter, (t) => t.cpuPct), m(r.aAfter, (t) => t.cpuPct), 0.1);
  });

  it('buffer-saturation holds one stage at fillPct', async () => {
    const r = await twin({ kind: 'buffer-saturation', stage: 'state', fillPct: 97 });
    for (const tick of r.b) {
      const stages = pick(tick, target).stages!;
      expect(stages[3]!.fill).toBeGreaterThanOrEqual(0.97);
      expect(stages[4]!.fill).toBeLessThan(0.6);
      expect(stages[2]!.outputBlocked).toBe(true);
    }
    for (const tick of r.bAfter) expect(pick(tick, target).stages![3]!.fill).toBeLessThan(0.5);
  });

  it('buffer-saturation of a bottleneck leaves no room for its backlog, which backs up upstream', async () => {
    const hot = 'order-api-euw-b-1-v1-1';
    const a = await demoSim();
    const b = await demoSim();
    await b.sim.injectFault({ id: 'sat', instanceId: hot, spec: { kind: 'buffer-saturation', stage: 'execution', fillPct: 100 }, expiresAt: b.at(60) });
    const ra = await runTicks(a.sim, a.at, 0, 3);
    const rb = await runTicks(b.sim, b.at, 0, 3);
    expect(pick(rb[2]!, hot).stages![4]!.fill).toBe(1);
    expect(pick(rb[2]!, hot).stages![3]!.fill).toBeGreaterThan(pick(ra[2]!, hot).stages![3]!.fill + 0.3);
    expect(pick(rb[2]!, hot).stages![3]!.outputBlocked).toBe(true);
  });

  it('lists, replaces and removes faults, and validates them', async () => {
    const { sim, at } = await demoSim();
    await sim.readTelemetry(at(0));
    const expiresAt = at(30);
    await sim.injectFault({ id: 'x', instanceId: target, spec: { kind: 'loss', pct: 5 }, expiresAt });
    await sim.injectFault({ id: 'x', instanceId: target, spec: { kind: 'loss', pct: 7 }, expiresAt });
    expect(await sim.listFaults()).toEqual([{ id: 'x', instanceId: target, spec: { kind: 'loss', pct: 7 }, expiresAt }]);
    await sim.removeFault('x');
    await sim.removeFault('x');
    expect(await sim.listFaults()).toEqual([]);
    await expect(sim.injectFault({ id: 'y', instanceId: target, spec: { kind: 'loss', pct: 150 }, expiresAt })).rejects.toThrow(/pct: expected a percentage/);
    await expect(sim.injectFault({ id: 'y', instanceId: 'nope', spec: { kind: 'kill' }, expiresAt })).rejects.toThrow(/unknown instance/);
    await expect(sim.injectFault({ id: 'y', instanceId: target, spec: { kind: 'kill' }, expiresAt: new Date(NaN) })).rejects.toThrow(/expiresAt/);
  });

  it('stops a removed fault at the next tick', async () => {
    const { sim, at } = await demoSim();
    await sim.injectFault({ id: 'z', instanceId: target, spec: { kind: 'kill' }, expiresAt: at(100) });
    expect(pick(await sim.readTelemetry(at(0)), target).up).toBe(false);
    await sim.removeFault('z');
    expect(pick(await sim.readTelemetry(at(1)), target).up).toBe(true);
  });
});

describe('sim adapter: controls', () => {
  it('multiplies a service demand until its expiry', async () => {
    const a = await demoSim();
    const b = await demoSim();
    b.sim.setControls({ demand: [{ serviceId: 'svc:payment-svc', factor: 1.5, until: b.at(10).toISOString() }], stress: [] });
    const ra = await runTicks(a.sim, a.at, 0, 20);
    const rb = await runTicks(b.sim, b.at, 0, 20);
    near(m(rb.slice(0, 10), (t) => t.rps) / m(ra.slice(0, 10), (t) => t.rps), 1.5, 0.05);
    near(m(rb.slice(10), (t) => t.rps) / m(ra.slice(10), (t) => t.rps), 1, 0.05);
    // Other services are untouched.
    near(m(rb.slice(0, 10), (t) => t.rps, 'order-api-euw-a-1-v1-1'), m(ra.slice(0, 10), (t) => t.rps, 'order-api-euw-a-1-v1-1'), 0.02);
  });

  it('stresses an instance until its expiry', async () => {
    const a = await demoSim();
    const b = await demoSim();
    b.sim.setControls({ stress: [{ instanceId: target, cpuPct: 25, until: b.at(10).toISOString() }] });
    const ra = await runTicks(a.sim, a.at, 0, 25);
    const rb = await runTicks(b.sim, b.at, 0, 25);
    expect(m(rb.slice(2, 10), (t) => t.cpuPct) - m(ra.slice(2, 10), (t) => t.cpuPct)).toBeGreaterThan(15);
    near(m(rb.slice(15), (t) => t.cpuPct), m(ra.slice(15), (t) => t.cpuPct), 0.1);
  });

  it('refuses invalid controls', async () => {
    const { sim } = await demoSim();
    expect(() => sim.setControls({ demand: [{ serviceId: 'svc:x', factor: 2, until: 'soon' }] })).toThrow(/until: expected an ISO date-time/);
  });
});

import { describe, expect, it } from 'vitest';
import type { FaultInjection } from '../adapter';
import { demoSim, pick, runTicks } from './test-fleet';

const target = 'payment-svc-euw-a-1-v1-1';
const other = 'inventory-svc-euw-a-1-v1-1';

describe('sim: syncFaults converges to the desired set', () => {
  it('is idempotent: the same set sent again changes nothing, in the fault list or the telemetry', async () => {
    const a = await demoSim();
    const b = await demoSim();
    const desired = (at: (k: number) => Date): FaultInjection[] => [
      { id: 'd', instanceId: target, spec: { kind: 'delay', delayMs: 200, jitterMs: 300 }, expiresAt: at(30) },
      { id: 'e', instanceId: other, spec: { kind: 'http-error', status: 503, pct: 20 }, expiresAt: at(30) },
    ];
    expect(await a.sim.syncFaults(desired(a.at))).toEqual({ failed: [] });
    for (let k = 0; k < 3; k++) expect(await b.sim.syncFaults(desired(b.at))).toEqual({ failed: [] });
    expect(await b.sim.listFaults()).toEqual(desired(b.at));
    const ra = await runTicks(a.sim, a.at, 0, 5);
    const rb: Awaited<ReturnType<typeof runTicks>> = [];
    for (let k = 0; k < 5; k++) {
      rb.push(await b.sim.readTelemetry(b.at(k)));
      await b.sim.syncFaults(desired(b.at));
    }
    expect(rb).toEqual(ra);
  });

  it('removes every fault not in the set, and an earlier version of a fault now refused', async () => {
    const { sim, at } = await demoSim();
    await sim.injectFault({ id: 'stray', instanceId: other, spec: { kind: 'kill' }, expiresAt: at(30) });
    await sim.syncFaults([{ id: 'x', instanceId: target, spec: { kind: 'loss', pct: 5 }, expiresAt: at(30) }]);
    expect((await sim.listFaults()).map((f) => f.id)).toEqual(['x']);
    expect(pick(await sim.readTelemetry(at(0)), other).up).toBe(true);
    const r = await sim.syncFaults([{ id: 'x', instanceId: target, spec: { kind: 'kill' }, cohort: { header: 'X-Device-Type', value: 'ios' }, expiresAt: at(30) }]);
    expect(r.failed.map((f) => f.id)).toEqual(['x']);
    expect(await sim.listFaults()).toEqual([]);
    expect(await sim.syncFaults([])).toEqual({ failed: [] });
  });

  it('expires a fault at its expiresAt on the simulator’s own clock (no caller needed), and a re-sent later expiry extends it', async () => {
    const { sim, at } = await demoSim();
    const kill = (expiresAt: Date): FaultInjection => ({ id: 'k', instanceId: target, spec: { kind: 'kill' }, expiresAt });
    await sim.syncFaults([kill(at(5))]);
    expect(pick(await sim.readTelemetry(at(0)), target).up).toBe(false);
    expect(pick(await sim.readTelemetry(at(3)), target).up).toBe(false);
    // The controller renews its lease: the expiry moves forward.
    await sim.syncFaults([kill(at(10))]);
    expect((await sim.listFaults())[0]!.expiresAt).toEqual(at(10));
    expect(pick(await sim.readTelemetry(at(6)), target).up).toBe(false);
    expect(pick(await sim.readTelemetry(at(9)), target).up).toBe(false);
    // Nobody renews it any more: the simulator drops it at 10 by itself.
    expect(pick(await sim.readTelemetry(at(10)), target).up).toBe(true);
    expect(await sim.listFaults()).toEqual([]);
  });

  it('drops an unrenewed delay at its expiry: the latency returns to the same-seed baseline', async () => {
    const a = await demoSim();
    const b = await demoSim();
    await b.sim.syncFaults([{ id: 'd', instanceId: target, spec: { kind: 'delay', delayMs: 300, jitterMs: 0 }, expiresAt: b.at(8) }]);
    const ra = await runTicks(a.sim, a.at, 0, 20);
    const rb = await runTicks(b.sim, b.at, 0, 20);
    const p50 = (ticks: typeof ra, from: number, to: number) => ticks.slice(from, to).reduce((s, t) => s + pick(t, target).p50Ms!, 0) / (to - from);
    expect(p50(rb, 2, 8) - p50(ra, 2, 8)).toBeGreaterThan(250);
    expect(Math.abs(p50(rb, 12, 20) - p50(ra, 12, 20))).toBeLessThan(0.1 * p50(ra, 12, 20));
  });
});

import { describe, expect, it } from 'vitest';
import { defaultWeightPolicy } from '../../domain/policy-defaults';
import { STAGES, type InstanceTelemetry } from '../../domain/model';
import type { SimAdapter } from './adapter';
import { demoFleetView, demoSim, meanOf, pick, runTicks } from './test-fleet';

const HOT = 'eu-west-b';
const thresholds = defaultWeightPolicy.thresholds;
// An order-api v1 instance in the hot zone and one in a healthy zone.
const hotOrder = 'order-api-euw-b-1-v1-1';
const coldOrder = 'order-api-euw-a-1-v1-1';

/** The same irregular sequence of calls of every kind, for the determinism tests. */
async function script(sim: SimAdapter, start: number): Promise<InstanceTelemetry[][]> {
  const at = (s: number) => new Date(start + s * 1000);
  const out: InstanceTelemetry[][] = [];
  out.push(await sim.readTelemetry(at(0)));
  await sim.applyWeights([{ instanceId: hotOrder, weight: 40 }, { instanceId: coldOrder, weight: 80 }]);
  await sim.injectFault({ id: 'f1', instanceId: 'payment-svc-euw-a-1-v1-1', spec: { kind: 'delay', delayMs: 200, jitterMs: 300 }, expiresAt: at(6) });
  await sim.injectFault({ id: 'f2', instanceId: 'inventory-svc-use-a-1-v1-1', spec: { kind: 'loss', pct: 10 }, expiresAt: at(9) });
  sim.setControls({ demand: [{ serviceId: 'svc:edge-gateway', factor: 1.5, until: at(7).toISOString() }], stress: [{ instanceId: coldOrder, cpuPct: 30, until: at(5).toISOString() }] });
  for (const s of [0.7, 1.9, 2.4, 3.4, 5.1, 6.2, 7.3, 8, 9.5, 10.1]) out.push(await sim.readTelemetry(at(s)));
  await sim.applyServiceRouting('svc:order-api', { versionWeights: { v1: 50, v2: 50 }, headerRules: [] });
  await sim.setInstanceState('edge-gateway-use-b-1-v1-1', 'drain');
  for (const s of [11, 12.5, 13, 14, 30]) out.push(await sim.readTelemetry(at(s)));
  return out;
}

describe('sim adapter: platform contract', () => {
  it('says what it can do and describes the fleet it was given', async () => {
    const { sim, fleet } = await demoSim();
    const caps = sim.capabilities();
    expect(sim.kind).toBe('sim');
    expect(caps.measures).toEqual(expect.arrayContaining(['cpu', 'memory', 'p50', 'p95', 'p99', 'connections', 'rps', 'errors', 'stages', 'concurrency']));
    expect(caps.faults.sort()).toEqual(['buffer-saturation', 'cpu-stress', 'delay', 'drain', 'http-error', 'kill', 'loss']);
    expect(caps).toMatchObject({ weights: true, routing: true, adminState: true, discovery: false });
    const topo = await sim.describe();
    expect(topo.instances).toHaveLength(84);
    expect(topo.instances[0]).toEqual({ name: fleet.instances[0]!.name, service: fleet.instances[0]!.serviceName, address: '', up: true });
  });

  it('reports every measure for every instance of the fleet', async () => {
    const { sim, at, fleet } = await demoSim();
    const tick = await sim.readTelemetry(at(0));
    expect(tick.map((t) => t.instanceId)).toEqual(fleet.instances.map((i) => i.id));
    for (const t of tick) {
      expect(t.up).toBe(true);
      for (const k of ['cpuPct', 'memPct', 'p50Ms', 'p95Ms', 'p99Ms', 'rtMs', 'connections', 'rps', 'requests', 'errors', 'timeouts', 'activeRequests', 'maxConcurrency', 'ingressWriteTimeouts'] as const) {
        expect(Number.isFinite(t[k]), `${t.instanceId} ${k}`).toBe(true);
      }
      expect(t.stages).toHaveLength(STAGES.length);
      expect(t.p50Ms!).toBeLessThanOrEqual(t.p95Ms!);
      expect(t.p95Ms!).toBeLessThanOrEqual(t.p99Ms!);
      expect(t.errors! + t.timeouts!).toBeLessThanOrEqual(t.requests!);
      expect(t.activeRequests!).toBeLessThanOrEqual(t.maxConcurrency!);
    }
  });

  it('refuses ids it does not know and bad values, and everything once closed', async () => {
    const { sim } = await demoSim();
    await expect(sim.applyWeights([{ instanceId: 'nope', weight: 5 }])).rejects.toThrow(/unknown instance nope/);
    await expect(sim.applyWeights([{ instanceId: hotOrder, weight: -1 }])).rejects.toThrow(/finite number/);
    await expect(sim.setInstanceState('nope', 'drain')).rejects.toThrow(/unknown instance/);
    await expect(sim.applyServiceRouting('svc:nope', { versionWeights: {}, headerRules: [] })).rejects.toThrow(/unknown service/);
    await expect(sim.readTelemetry(new Date(NaN))).rejects.toThrow(/valid date/);
    await sim.close();
    await expect(sim.readTelemetry(new Date())).rejects.toThrow(/closed/);
  });
});

describe('sim adapter: determinism', () => {
  it('gives identical telemetry for the same seed and calls, different for another seed', async () => {
    const a = await demoSim({ seed: 7 });
    const b = await demoSim({ seed: 7 });
    const c = await demoSim({ seed: 8 });
    const ra = await script(a.sim, a.start);
    expect(await script(b.sim, b.start)).toEqual(ra);
    expect(await script(c.sim, c.start)).not.toEqual(ra);
  });

  it('gives each instance its own random stream', async () => {
    const { sim, at } = await demoSim();
    const ticks = await runTicks(sim, at, 0, 5);
    const series = (id: string) => ticks.map((tick) => pick(tick, id).rps);
    // Twins: same service, version, cluster and weight; only their names differ.
    expect(series('payment-svc-euw-a-1-v1-2')).not.toEqual(series('payment-svc-euw-a-1-v1-1'));
  });

  it('does not depend on the order of the fleet', async () => {
    const fleet = demoFleetView();
    const reversed = { services: [...fleet.services].reverse(), instances: [...fleet.instances].reverse() };
    const a = await demoSim({}, fleet);
    const b = await demoSim({}, reversed);
    const ra = await script(a.sim, a.start);
    const rb = await script(b.sim, b.start);
    const byId = (ticks: InstanceTelemetry[][]) => ticks.map((tick) => [...tick].sort((x, y) => x.instanceId.localeCompare(y.instanceId)));
    expect(byId(rb)).toEqual(byId(ra));
  });

  it('keeps its state across setFleet with the same instances', async () => {
    const a = await demoSim();
    const b = await demoSim();
    const ra = await runTicks(a.sim, a.at, 0, 12);
    const rb = await runTicks(b.sim, b.at, 0, 6);
    await b.sim.setFleet(demoFleetView());
    rb.push(...(await runTicks(b.sim, b.at, 6, 6)));
    expect(rb).toEqual(ra);
  });

  it('steps 1 s on the first call and clamps later steps to 0.2–5 s', async () => {
    const { sim, start } = await demoSim({ spikeProbability: 0 });
    // rps is arrivals per second; arrivals = ingress inputs + rejected writes.
    const impliedDt = (tick: InstanceTelemetry[]) =>
      tick.reduce((s, t) => s + t.stages![0]!.inputs + t.ingressWriteTimeouts!, 0) / tick.reduce((s, t) => s + t.rps!, 0);
    expect(impliedDt(await sim.readTelemetry(new Date(start)))).toBeCloseTo(1, 2);
    expect(impliedDt(await sim.readTelemetry(new Date(start + 2_000)))).toBeCloseTo(2, 2);
    expect(impliedDt(await sim.readTelemetry(new Date(start + 62_000)))).toBeCloseTo(5, 2);
    expect(impliedDt(await sim.readTelemetry(new Date(start + 62_050)))).toBeCloseTo(0.2, 2);
  });
});

describe('sim adapter: the hot zone', () => {
  it('crosses the alert thresholds within 60 ticks while the other zones stay below', async () => {
    const { sim, at, fleet } = await demoSim({ spikeProbability: 0 });
    const zone = new Map(fleet.instances.map((i) => [i.id, i.zone]));
    const ticks = await runTicks(sim, at, 0, 60);
    const crossed = new Set<string>();
    const bufferHigh = new Set<string>();
    for (const tick of ticks) {
      for (const t of tick) {
        if (zone.get(t.instanceId) === HOT) {
          if (t.cpuPct! > thresholds.cpuPct || t.p95Ms! > thresholds.p95Ms) crossed.add(t.instanceId);
          if (t.stages![STAGES.indexOf('execution')]!.fill >= 0.6) bufferHigh.add(t.instanceId);
        } else {
          expect(t.cpuPct!, t.instanceId).toBeLessThan(thresholds.cpuPct);
          expect(t.p95Ms!, t.instanceId).toBeLessThan(thresholds.p95Ms);
          expect(t.connections!, t.instanceId).toBeLessThan(thresholds.connections);
          expect(t.stages![STAGES.indexOf('execution')]!.fill, t.instanceId).toBeLessThan(0.6);
        }
      }
    }
    const hot = fleet.instances.filter((i) => i.zone === HOT).map((i) => i.id);
    expect(hot).toHaveLength(16);
    expect([...crossed].sort()).toEqual(hot.sort());
    // Most hot instances back up to the bottleneck's elevated watermark.
    expect(bufferHigh.size).toBeGreaterThanOrEqual(12);
    // Overload builds up over time: the ingress is clear at first, later the backlog reaches it,
    // upstream stages are blocked by full buffers and writes time out.
    const first = pick(ticks[0]!, hotOrder);
    expect(first.stages![0]!.fill).toBeLessThan(0.6);
    expect(first.ingressWriteTimeouts).toBe(0);
    const later = ticks.slice(30).map((tick) => pick(tick, hotOrder));
    expect(later.some((t) => t.ingressWriteTimeouts! > 0)).toBe(true);
    expect(later.every((t) => t.stages![3]!.outputBlocked && t.stages![3]!.fill > 0.9)).toBe(true);
    expect(later.every((t) => t.activeRequests! > 0.8 * t.maxConcurrency!)).toBe(true);
    expect(later.reduce((s, t) => s + t.errors! + t.timeouts!, 0)).toBeGreaterThan(0);
    // A busy healthy instance holds thousands of connections (Little's law).
    expect(pick(ticks[59]!, coldOrder).connections!).toBeGreaterThan(1500);
  });

  it('relieves a hot instance a few ticks after its weight is lowered', async () => {
    const a = await demoSim();
    const b = await demoSim();
    await runTicks(a.sim, a.at, 0, 20);
    await runTicks(b.sim, b.at, 0, 20);
    await b.sim.applyWeights([{ instanceId: hotOrder, weight: 15 }]);
    const ra = await runTicks(a.sim, a.at, 20, 12);
    const rb = await runTicks(b.sim, b.at, 20, 12);
    // Traffic moves at once; CPU and latency follow once the backlog has drained (state carried
    // between ticks: the first tick after the cut still serves the queue at full CPU).
    expect(pick(rb[0]!, hotOrder).rps!).toBeLessThan(0.3 * pick(ra[0]!, hotOrder).rps!);
    expect(pick(rb[0]!, hotOrder).cpuPct!).toBeGreaterThan(95);
    expect(pick(rb[0]!, hotOrder).stages![4]!.fill).toBeGreaterThan(0.9);
    const late = (r: InstanceTelemetry[][]) => r.slice(8);
    expect(meanOf(late(rb), hotOrder, (t) => t.cpuPct)).toBeLessThan(meanOf(late(ra), hotOrder, (t) => t.cpuPct) - 30);
    expect(meanOf(late(rb), hotOrder, (t) => t.p95Ms)).toBeLessThan(0.25 * meanOf(late(ra), hotOrder, (t) => t.p95Ms));
    expect(meanOf(late(rb), hotOrder, (t) => t.stages![4]!.fill)).toBeLessThan(0.3);
    expect(meanOf(late(rb), hotOrder, (t) => t.connections)).toBeLessThan(0.6 * meanOf(late(ra), hotOrder, (t) => t.connections));
    // Its traffic went to the other v1 instances.
    expect(meanOf(rb, coldOrder, (t) => t.rps)).toBeGreaterThan(meanOf(ra, coldOrder, (t) => t.rps));
  });
});

describe('sim adapter: admin state', () => {
  it('sends no traffic to a drained or maintained instance, and resumes when ready', async () => {
    const { sim, at } = await demoSim();
    await runTicks(sim, at, 0, 5);
    await sim.setInstanceState(coldOrder, 'drain');
    await sim.setInstanceState(hotOrder, 'maintenance');
    const during = await runTicks(sim, at, 5, 5);
    for (const tick of during) {
      expect(pick(tick, coldOrder).rps).toBe(0);
      expect(pick(tick, hotOrder).rps).toBe(0);
      expect(pick(tick, coldOrder).up).toBe(true);
    }
    // Keep-alive connections close over time rather than at once.
    const conns = during.map((tick) => pick(tick, coldOrder).connections!);
    expect(conns[0]!).toBeGreaterThan(1000);
    expect(conns[4]!).toBeLessThan(conns[0]!);
    expect(conns[4]!).toBeGreaterThan(0);
    // In-flight work finishes, then the instance is idle.
    expect(pick(during[4]!, hotOrder).requests).toBe(0);
    expect(pick(during[4]!, coldOrder).stages!.every((s) => s.inputs === 0 && s.outputs === 0)).toBe(true);
    await sim.setInstanceState(coldOrder, 'ready');
    expect(pick(await sim.readTelemetry(at(10)), coldOrder).rps!).toBeGreaterThan(100);
  });
});

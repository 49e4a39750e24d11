import { describe, expect, it } from 'vitest';
import { addBuckets, emptyBuckets, quantileOf } from '../../domain/latency-buckets';
import type { InstanceTelemetry } from '../../domain/model';
import { DEMO_CALLS, demoCalls } from './calls';
import { DEMO_SIM_CONFIG, simConfigSchema, describeIssues } from './config';
import { demoFleetView, demoSim, meanOf, runTicks } from './test-fleet';

// The demo fleet's layers (prisma/demo-fleet.ts labels): the report groups services by them.
const LAYER_OF: Record<string, Layer> = { 'edge-gateway': 'access', 'order-api': 'service', 'inventory-svc': 'data', 'payment-svc': 'data' };
const LAYERS = ['access', 'service', 'data'] as const;
type Layer = (typeof LAYERS)[number];
interface LayerStats {
  p99: number;
  availability: number;
}

/** Per layer over ticks: P99 of the merged histograms and availability = 1 − errors / requests. */
function layerStats(ticks: readonly InstanceTelemetry[][], serviceOf: ReadonlyMap<string, string>): Record<Layer, LayerStats> {
  const out = {} as Record<Layer, LayerStats>;
  for (const layer of LAYERS) {
    const buckets = emptyBuckets();
    let requests = 0;
    let errors = 0;
    for (const tick of ticks) {
      for (const t of tick) {
        if (!t.up || LAYER_OF[serviceOf.get(t.instanceId)!] !== layer) continue;
        addBuckets(buckets, t.latencyBuckets!);
        requests += t.requests!;
        errors += t.errors!;
      }
    }
    out[layer] = { p99: quantileOf(buckets, 0.99)!, availability: 1 - errors / requests };
  }
  return out;
}

// The demo fleet with its call graph, clean (no hot zone, no spikes) so that every change comes from the fault.
const CLEAN = { ...DEMO_SIM_CONFIG, hotZone: null, spikeProbability: 0, calls: demoCalls() };
const SEED_JITTER = { kind: 'delay', delayMs: 200, jitterMs: 300 } as const;

describe('sim: call graph and layers', () => {
  it('the seed’s jitter on edge-gateway hurts deeper layers more, by the callers’ hedges; without the fault nothing moves', { timeout: 30_000 }, async () => {
    const base = await demoSim(CLEAN);
    const hit = await demoSim(CLEAN);
    const serviceOf = new Map(base.fleet.instances.map((i) => [i.id, i.serviceName]));
    const edge = base.fleet.instances.filter((i) => i.serviceName === 'edge-gateway').map((i) => i.id);
    const warm = await runTicks(base.sim, base.at, 0, 60);
    await runTicks(hit.sim, hit.at, 0, 60);
    const r = await hit.sim.syncFaults(edge.map((id) => ({ id: `jitter-${id}`, instanceId: id, spec: SEED_JITTER, expiresAt: hit.at(120) })));
    expect(r.failed).toEqual([]);
    const a = await runTicks(base.sim, base.at, 60, 60);
    const b = await runTicks(hit.sim, hit.at, 60, 60);
    const sa = layerStats(a, serviceOf);
    const sb = layerStats(b, serviceOf);
    const p99Up = (l: Layer) => sb[l].p99 - sa[l].p99;
    const loss = (l: Layer) => sa[l].availability - sb[l].availability;
    console.log(LAYERS.map((l) => `${l}: P99 ${sa[l].p99.toFixed(0)} → +${p99Up(l).toFixed(0)} ms, availability ${(100 * sa[l].availability).toFixed(2)} → ${(100 * sb[l].availability).toFixed(2)} %`).join('; '));

    // Fidelity on the targets: their median rises by the configured delay (same-run baseline).
    const addedP50 = edge.reduce((s, id) => s + meanOf(b, id, (t) => t.p50Ms) - meanOf(a, id, (t) => t.p50Ms), 0) / edge.length;
    expect(Math.abs(addedP50 - SEED_JITTER.delayMs)).toBeLessThanOrEqual(0.15 * SEED_JITTER.delayMs);

    // Deeper layers suffer more: P99 increase and availability loss grow with depth. The access
    // layer's P99 carries the delay itself (≈ 200 + 2.33 × 300 ms); the layers below it only the
    // load its hedges (and order-api's, in turn) send them.
    expect(p99Up('access')).toBeGreaterThan(800);
    expect(p99Up('access')).toBeLessThan(p99Up('service'));
    expect(p99Up('service')).toBeLessThan(p99Up('data'));
    expect(loss('access')).toBeLessThan(loss('service'));
    expect(loss('service')).toBeLessThan(loss('data'));

    // Without the fault none of it: the baseline's own window against the minute before it.
    const before = layerStats(warm.slice(30), serviceOf);
    for (const l of LAYERS) {
      expect(Math.abs(sa[l].p99 - before[l].p99), l).toBeLessThan(50);
      expect(Math.abs(sa[l].availability - before[l].availability), l).toBeLessThan(0.0005);
    }
  });
});

describe('sim: call graph state', () => {
  it('keeps hedge delays and load factors across setFleet with the same instances', async () => {
    const a = await demoSim({ ...DEMO_SIM_CONFIG, calls: demoCalls() });
    const b = await demoSim({ ...DEMO_SIM_CONFIG, calls: demoCalls() });
    const faults = (at: (k: number) => Date) => [{ id: 'j', instanceId: 'edge-gateway-euw-a-1-v1-1', spec: SEED_JITTER, expiresAt: at(60) }];
    await a.sim.syncFaults(faults(a.at));
    await b.sim.syncFaults(faults(b.at));
    const ra = await runTicks(a.sim, a.at, 0, 24);
    const rb = await runTicks(b.sim, b.at, 0, 12);
    await b.sim.setFleet(demoFleetView());
    rb.push(...(await runTicks(b.sim, b.at, 12, 12)));
    expect(rb).toEqual(ra);
  });
});

describe('sim: calls setting', () => {
  it('is off unless set, and takes the demo graph', () => {
    expect(simConfigSchema.parse({}).calls).toEqual({});
    expect(simConfigSchema.parse(DEMO_SIM_CONFIG).calls).toEqual({});
    expect(simConfigSchema.parse({ calls: DEMO_CALLS }).calls).toEqual(DEMO_CALLS);
  });

  it('refuses self-calls, cycles and bad names in words; ignores services the fleet does not have', async () => {
    const msg = (calls: unknown) => describeIssues(simConfigSchema.safeParse({ calls }).error!);
    expect(msg({ a: ['a'] })).toBe('calls: a calls itself');
    expect(msg({ a: ['b'], b: ['c'], c: ['a'] })).toBe('calls: the graph has a cycle (a → b → c → a)');
    expect(msg({ a: [''] })).toMatch(/calls\.a\.0: expected service names/);
    expect(msg({ a: 'b' })).toMatch(/calls\.a: /);
    const { sim, at } = await demoSim({ calls: { 'edge-gateway': ['nope'], ghost: ['order-api'] } });
    const plain = await demoSim({});
    expect(await sim.readTelemetry(at(0))).toEqual(await plain.sim.readTelemetry(plain.at(0)));
  });
});

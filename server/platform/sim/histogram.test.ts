import { describe, expect, it } from 'vitest';
import { LATENCY_BUCKET_COUNT, addBuckets, bucketOf, emptyBuckets, quantileOf } from '../../domain/latency-buckets';
import type { InstanceTelemetry } from '../../domain/model';
import { bucketFractions, sampleHistogram } from './histogram';
import { demoSim, runTicks } from './test-fleet';

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);

describe('sim latency histogram: the distribution of the reported quantiles', () => {
  const shapes: Array<[string, number, number, number]> = [
    ['fast and tight', 6.2, 9.1, 11.4],
    ['queueing', 21, 80, 140],
    ['slow with a tail', 420, 1900, 3600],
    ['capped at the timeout', 5000, 5000, 5000],
  ];
  for (const [name, p50, p95, p99] of shapes) {
    it(`puts p50 / p95 / p99 back in their own buckets (${name})`, () => {
      const f = bucketFractions(p50, p95, p99, 5000);
      expect(f).toHaveLength(LATENCY_BUCKET_COUNT);
      expect(sum(f)).toBeCloseTo(1, 12);
      for (const x of f) expect(x).toBeGreaterThanOrEqual(-1e-12);
      for (const [q, p] of [[0.5, p50], [0.95, p95], [0.99, p99]] as const) {
        expect(bucketOf(quantileOf(f, q)!), `q${q}`).toBe(bucketOf(p));
      }
    });
  }

  it('draws exactly the answered requests plus the timeouts (at the timeout), deterministically per stream', () => {
    const a = sampleHistogram(new Uint32Array([7]), 0, 5000, 12, 21, 80, 140, 5000);
    const b = sampleHistogram(new Uint32Array([7]), 0, 5000, 12, 21, 80, 140, 5000);
    expect(a).toEqual(b);
    expect(sum(a)).toBe(5012);
    expect(a[bucketOf(5000)]).toBeGreaterThanOrEqual(12);
    expect(sampleHistogram(new Uint32Array([7]), 0, 0, 0, 21, 80, 140, 5000)).toEqual(emptyBuckets());
    // Small counts go through the exact path and still add up.
    expect(sum(sampleHistogram(new Uint32Array([9]), 0, 17, 0, 21, 80, 140, 5000))).toBe(17);
  });

  it('samples the fractions without bias over many draws', () => {
    const f = bucketFractions(21, 80, 140, 5000);
    const state = new Uint32Array([3]);
    const total = emptyBuckets();
    for (let k = 0; k < 400; k++) addBuckets(total, sampleHistogram(state, 0, 500, 0, 21, 80, 140, 5000));
    const n = sum(total);
    for (let b = 0; b < LATENCY_BUCKET_COUNT; b++) expect(Math.abs(total[b]! / n - f[b]!), `bucket ${b}`).toBeLessThan(0.005);
  });
});

describe('sim latency histogram: per instance and tick', () => {
  it('declares the capability and fills buckets consistent with the reported p50 / p95 / p99', async () => {
    const { sim, at } = await demoSim();
    expect(sim.capabilities().latencyHistogram).toBe(true);
    const ticks = await runTicks(sim, at, 0, 30);
    let checked = 0;
    let sameBucket = 0;
    for (const tick of ticks.slice(5)) {
      for (const t of tick) {
        expect(t.latencyBuckets, t.instanceId).toHaveLength(LATENCY_BUCKET_COUNT);
        // Every completed request is in the histogram; ingress rejections never got a latency.
        expect(sum(t.latencyBuckets!)).toBe(t.requests! - t.ingressWriteTimeouts!);
        if (sum(t.latencyBuckets!) < 300) continue;
        for (const [q, p] of [[0.5, t.p50Ms!], [0.95, t.p95Ms!], [0.99, t.p99Ms!]] as const) {
          const got = bucketOf(quantileOf(t.latencyBuckets!, q)!);
          expect(Math.abs(got - bucketOf(p)), `${t.instanceId} q${q}: ${quantileOf(t.latencyBuckets!, q)} vs ${p}`).toBeLessThanOrEqual(1);
          checked++;
          if (got === bucketOf(p)) sameBucket++;
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
    // One bucket off happens where a quantile sits near a bound (sampling noise); most land exactly.
    expect(sameBucket / checked).toBeGreaterThan(0.7);
  });

  it('a killed instance reports no histogram', async () => {
    const { sim, at, fleet } = await demoSim();
    const id = fleet.instances[0]!.id;
    await sim.injectFault({ id: 'k', instanceId: id, spec: { kind: 'kill' }, expiresAt: at(100) });
    const tick = await sim.readTelemetry(at(0));
    expect(tick.find((t) => t.instanceId === id)).toEqual({ instanceId: id, up: false });
  });
});

/** Per version over ticks: requests, errors, a histogram and the mean CPU. */
function byVersion(ticks: InstanceTelemetry[][], versionOf: Map<string, string>) {
  const out = new Map<string, { requests: number; errors: number; buckets: number[]; cpu: number; n: number }>();
  for (const tick of ticks) {
    for (const t of tick) {
      const v = versionOf.get(t.instanceId)!;
      const o = out.get(v) ?? { requests: 0, errors: 0, buckets: emptyBuckets(), cpu: 0, n: 0 };
      o.requests += t.requests!;
      o.errors += t.errors!;
      addBuckets(o.buckets, t.latencyBuckets!);
      o.cpu += t.cpuPct!;
      o.n++;
      out.set(v, o);
    }
  }
  return out;
}

describe('sim version behaviour', () => {
  it('a version carries its latency factor, error rate and CPU factor; the others are untouched', async () => {
    const runs = async (versions: Array<{ version: string; latencyFactor?: number; errorPct?: number; cpuFactor?: number }>) => {
      const { sim, at, fleet } = await demoSim();
      sim.setControls({ versions });
      const orderOnly = new Map(fleet.instances.filter((i) => i.serviceName === 'order-api' && i.zone !== 'eu-west-b').map((i) => [i.id, i.appVersion]));
      const ticks = (await runTicks(sim, at, 0, 40)).slice(5).map((tick) => tick.filter((t) => orderOnly.has(t.instanceId)));
      return byVersion(ticks, orderOnly);
    };
    const plain = await runs([]);
    const bad = await runs([{ version: 'v2', latencyFactor: 1.5, errorPct: 5, cpuFactor: 1.4 }]);
    const v1 = (m: typeof plain) => m.get('v1')!;
    const v2 = (m: typeof plain) => m.get('v2')!;
    // Without behaviour v2 has the base error rate (its latency differs from v1 only by its load).
    expect(v2(plain).errors / v2(plain).requests).toBeLessThan(0.003);
    // The bad v2: 5 % errors, p50 and p95 about ×1.5, more CPU; v1 unchanged.
    expect(v2(bad).errors / v2(bad).requests).toBeGreaterThan(0.04);
    expect(v2(bad).errors / v2(bad).requests).toBeLessThan(0.06);
    for (const q of [0.5, 0.95]) {
      const ratio = quantileOf(v2(bad).buckets, q)! / quantileOf(v2(plain).buckets, q)!;
      expect(ratio, `q${q}`).toBeGreaterThan(1.3);
      expect(ratio, `q${q}`).toBeLessThan(1.7);
    }
    expect(v2(bad).cpu / v2(bad).n).toBeGreaterThan((v2(plain).cpu / v2(plain).n) * 1.2);
    expect(v1(bad).errors / v1(bad).requests).toBeLessThan(0.003);
    expect(quantileOf(v1(bad).buckets, 0.95)).toBeCloseTo(quantileOf(v1(plain).buckets, 0.95)!, 0);
  });

  it('refuses bad version settings in words', async () => {
    const { sim } = await demoSim();
    expect(() => sim.setControls({ versions: [{ version: 'v2', errorPct: 120 }] })).toThrow(/errorPct: expected a percentage from 0 to 100/);
    expect(() => sim.setControls({ versions: [{ version: 'v2' }, { version: 'v2' }] })).toThrow(/each version at most once/);
    expect(() => sim.setControls({ versions: [{ version: 'v2', speed: 2 } as never] })).toThrow(/unknown version behaviour field "speed"/);
  });
});

import { describe, expect, it } from 'vitest';
import { addBuckets, emptyBuckets, quantileOf } from '../../latency-buckets';
import { bucketProbabilities, simulateTicks } from './simulate';

describe('seeded tick simulator', () => {
  const sim = { ticks: 300, requestsPerTick: 9000, canaryShare: 0.05, errorRate: 0.003, p95Ms: 120, canaryErrorFactor: 2, canaryLatencyFactor: 1.3 };

  it('delivers the stated traffic split, error rates and p95 (from the bucket counts)', () => {
    const ticks = simulateTicks({ ...sim, seed: 1 });
    const sum = (f: (t: (typeof ticks)[number]) => number) => ticks.reduce((s, t) => s + f(t), 0);
    const nc = sum((t) => t.canary.requests);
    const ns = sum((t) => t.stable.requests);
    expect(nc / (nc + ns)).toBeCloseTo(0.05, 2);
    expect((nc + ns) / ticks.length).toBeGreaterThan(8900);
    expect((nc + ns) / ticks.length).toBeLessThan(9100);
    expect(sum((t) => t.stable.errors) / ns).toBeCloseTo(0.003, 3);
    expect(sum((t) => t.canary.errors) / nc).toBeCloseTo(0.006, 3);
    const hs = emptyBuckets();
    const hc = emptyBuckets();
    for (const t of ticks) {
      addBuckets(hs, t.stable.buckets!);
      addBuckets(hc, t.canary.buckets!);
      expect(t.stable.buckets!.reduce((s, c) => s + c, 0)).toBe(t.stable.requests);
    }
    // Interpolated inside a ×1.5 bucket: within 10 % of the lognormal's own p95.
    expect(quantileOf(hs, 0.95)! / 120).toBeGreaterThan(0.9);
    expect(quantileOf(hs, 0.95)! / 120).toBeLessThan(1.1);
    expect(quantileOf(hc, 0.95)! / 156).toBeGreaterThan(0.9);
    expect(quantileOf(hc, 0.95)! / 156).toBeLessThan(1.1);
  });

  it('bucket probabilities sum to 1', () => {
    expect(bucketProbabilities(120, 0.5).reduce((s, p) => s + p, 0)).toBeCloseTo(1, 12);
  });

  it('the same seed gives the same ticks; another seed does not', () => {
    expect(simulateTicks({ ...sim, seed: 5 })).toEqual(simulateTicks({ ...sim, seed: 5 }));
    expect(simulateTicks({ ...sim, seed: 6 })).not.toEqual(simulateTicks({ ...sim, seed: 5 }));
  });
});

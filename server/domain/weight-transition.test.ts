import { describe, expect, it } from 'vitest';
import { seededRandom } from './seeded-random';
import { effectiveAt, retarget, settledAt, type WeightRamp } from './weight-transition';

const T0 = 1_700_000_000_000;

describe('effectiveAt (SPEC §3.1: linear over the 30 s smoothing window)', () => {
  const ramp: WeightRamp = { from: 100, target: 55, startedAt: T0 };

  it('golden: 100 → 55 is 77.5 halfway, 55 at the end and after', () => {
    expect(effectiveAt(ramp, T0, 30)).toBe(100);
    expect(effectiveAt(ramp, T0 + 10_000, 30)).toBeCloseTo(85, 10);
    expect(effectiveAt(ramp, T0 + 15_000, 30)).toBeCloseTo(77.5, 10);
    expect(effectiveAt(ramp, T0 + 30_000, 30)).toBe(55);
    expect(effectiveAt(ramp, T0 + 600_000, 30)).toBe(55);
  });

  it('before the ramp started it reports the starting value', () => {
    expect(effectiveAt(ramp, T0 - 5000, 30)).toBe(100);
  });

  it('the window is the policy value', () => {
    expect(effectiveAt(ramp, T0 + 5000, 10)).toBeCloseTo(77.5, 10);
    expect(effectiveAt(ramp, T0 + 10_000, 10)).toBe(55);
  });

  it('a zero window means no smoothing', () => {
    expect(effectiveAt(ramp, T0, 0)).toBe(55);
  });
});

describe('retarget', () => {
  it('a new target mid-ramp starts from the current effective value (no jump)', () => {
    const first: WeightRamp = { from: 100, target: 40, startedAt: T0 };
    const now = T0 + 10_000;
    const next = retarget(first, 90, now, 30);
    expect(next).toEqual({ from: 80, target: 90, startedAt: now });
    expect(effectiveAt(next, now, 30)).toBe(effectiveAt(first, now, 30));
    expect(effectiveAt(next, now + 30_000, 30)).toBe(90);
  });

  it('the same target keeps the running ramp', () => {
    const first: WeightRamp = { from: 100, target: 40, startedAt: T0 };
    expect(retarget(first, 40, T0 + 10_000, 30)).toBe(first);
  });

  it('without a ramp the target is reached at once', () => {
    expect(retarget(null, 70, T0, 30)).toEqual(settledAt(70, T0));
    expect(effectiveAt(settledAt(70, T0), T0, 30)).toBe(70);
  });
});

describe('effectiveAt — properties (seeded)', () => {
  it('monotone, within [min(from,target), max(from,target)], equal to target from the window end', () => {
    const rnd = seededRandom(42);
    for (let i = 0; i < 200; i++) {
      const windowS = rnd.pick([1, 5, 30, 60, 120]);
      const ramp: WeightRamp = { from: rnd.int(0, 100), target: rnd.int(0, 100), startedAt: T0 + rnd.int(0, 10_000) };
      const lo = Math.min(ramp.from, ramp.target);
      const hi = Math.max(ramp.from, ramp.target);
      const dir = Math.sign(ramp.target - ramp.from);
      let prev = effectiveAt(ramp, T0, windowS);
      for (let now = T0; now <= ramp.startedAt + windowS * 1000 + 5000; now += rnd.int(1, 1500)) {
        const e = effectiveAt(ramp, now, windowS);
        expect(e).toBeGreaterThanOrEqual(lo);
        expect(e).toBeLessThanOrEqual(hi);
        expect((e - prev) * dir).toBeGreaterThanOrEqual(0);
        if (dir === 0) expect(e).toBe(ramp.target);
        if (now >= ramp.startedAt + windowS * 1000) expect(e).toBe(ramp.target);
        prev = e;
      }
    }
  });

  it('through random retargets the effective weight never jumps and never moves faster than the window allows', () => {
    const rnd = seededRandom(4242);
    for (let run = 0; run < 50; run++) {
      const windowS = 30;
      let ramp: WeightRamp = settledAt(rnd.int(0, 100), T0);
      let now = T0;
      let prev = effectiveAt(ramp, now, windowS);
      for (let k = 0; k < 200; k++) {
        const dt = rnd.int(200, 3000);
        now += dt;
        const before = effectiveAt(ramp, now, windowS);
        // Never faster than a full-range swing over the window.
        expect(Math.abs(before - prev)).toBeLessThanOrEqual((100 * dt) / (windowS * 1000) + 1e-9);
        if (rnd.chance(0.2)) ramp = retarget(ramp, rnd.int(0, 100), now, windowS);
        const after = effectiveAt(ramp, now, windowS);
        expect(after).toBeCloseTo(before, 9);
        expect(after).toBeGreaterThanOrEqual(0);
        expect(after).toBeLessThanOrEqual(100);
        prev = after;
      }
      // Left alone for a window, it reaches the last target.
      expect(effectiveAt(ramp, now + windowS * 1000, windowS)).toBe(ramp.target);
    }
  });
});

import { describe, expect, it } from 'vitest';
import {
  advanceIngress,
  advanceLadder,
  advanceWatermark,
  INGRESS_RETRY_BASE_MS,
  INGRESS_RETRY_MAX_MS,
  ladderCause,
  newIngress,
  newLadder,
  newWatermark,
  retryDelayMs,
  type WatermarkLevel,
} from './degradation';
import type { WatermarkPolicy } from './model';
import { defaultWatermarkPolicy } from './policy-defaults';
import { seededRandom } from './seeded-random';

const p: WatermarkPolicy = defaultWatermarkPolicy;
const T0 = 1_700_000_000_000;
const S = 1000;

describe('stage watermarks (SPEC §3.3: 60 / 85 / 95 % held 5 s)', () => {
  it.each([
    [0, 'normal'],
    [0.599, 'normal'],
    [0.6, 'elevated'],
    [0.849, 'elevated'],
    [0.85, 'degraded'],
    [0.97, 'degraded'],
  ] as const)('fill %s → %s', (fill, level) => {
    expect(advanceWatermark(newWatermark(), fill, T0, p)).toBe(level);
  });

  it('≥ 95 % held for 5 s breaks the stage; not a tick earlier', () => {
    const w = newWatermark();
    for (let s = 0; s < 5; s++) expect(advanceWatermark(w, 0.96, T0 + s * S, p)).toBe('degraded');
    expect(advanceWatermark(w, 0.96, T0 + 5 * S, p)).toBe('broken');
  });

  it('a dip below 95 % restarts the hold', () => {
    const w = newWatermark();
    advanceWatermark(w, 0.96, T0, p);
    advanceWatermark(w, 0.96, T0 + 3 * S, p);
    advanceWatermark(w, 0.9, T0 + 4 * S, p);
    expect(advanceWatermark(w, 0.96, T0 + 6 * S, p)).toBe('degraded');
    expect(advanceWatermark(w, 0.96, T0 + 10 * S, p)).toBe('degraded');
    expect(advanceWatermark(w, 0.96, T0 + 11 * S, p)).toBe('broken');
  });

  it('a broken stage stays broken until it drains below the elevated watermark', () => {
    const w = { level: 'broken' as WatermarkLevel, highSince: T0 };
    expect(advanceWatermark(w, 0.9, T0 + S, p)).toBe('broken');
    expect(advanceWatermark(w, 0.61, T0 + 2 * S, p)).toBe('broken');
    expect(advanceWatermark(w, 0.59, T0 + 3 * S, p)).toBe('normal');
    expect(w.highSince).toBeNull();
  });

  it('watermarks and hold come from the policy', () => {
    const q = { ...p, elevatedPct: 50, degradePct: 70, breakPct: 80, breakHoldS: 2 };
    expect(advanceWatermark(newWatermark(), 0.55, T0, q)).toBe('elevated');
    expect(advanceWatermark(newWatermark(), 0.75, T0, q)).toBe('degraded');
    const w = newWatermark();
    advanceWatermark(w, 0.85, T0, q);
    expect(advanceWatermark(w, 0.85, T0 + 2 * S, q)).toBe('broken');
  });
});

describe('ladderCause', () => {
  const at = (...levels: WatermarkLevel[]) => ladderCause(levels.map((level) => ({ level })), p);
  it('L0 when every stage is below 85 %', () => expect(at('normal', 'elevated', 'normal', 'elevated', 'normal').level).toBe(0));
  it('L1 when a stage is degraded', () => expect(at('normal', 'degraded', 'normal', 'elevated', 'normal')).toEqual({ level: 1, broken: 0, degraded: 1 }));
  it('L2 when a stage is broken', () => expect(at('normal', 'degraded', 'normal', 'broken', 'normal')).toEqual({ level: 2, broken: 1, degraded: 2 }));
  it('L3 (route switch) when 2 stages are broken', () => expect(at('broken', 'normal', 'normal', 'broken', 'normal').level).toBe(3));
  it('the route switch count comes from the policy', () => {
    expect(ladderCause([{ level: 'broken' }, { level: 'broken' }], { ...p, routeSwitchMinBrokenStages: 3 }).level).toBe(2);
    expect(ladderCause([{ level: 'broken' }], { ...p, routeSwitchMinBrokenStages: 1 }).level).toBe(3);
  });
});

describe('degradation ladder (hysteresis)', () => {
  it('climbs at once, even several levels', () => {
    const l = newLadder();
    expect(advanceLadder(l, 1, T0, p)).toEqual({ from: 0, to: 1, heldS: 0 });
    expect(advanceLadder(l, 3, T0 + S, p)).toEqual({ from: 1, to: 3, heldS: 0 });
    expect(l.level).toBe(3);
  });

  it('steps down one level at a time, each after the cause has been gone for stepDownHoldS', () => {
    const l = newLadder(3);
    const levels: number[] = [];
    for (let s = 0; s <= 95; s++) {
      advanceLadder(l, 0, T0 + s * S, p);
      levels.push(l.level);
    }
    expect(levels[29]).toBe(3);
    expect(levels[30]).toBe(2);
    expect(levels[59]).toBe(2);
    expect(levels[60]).toBe(1);
    expect(levels[89]).toBe(1);
    expect(levels[90]).toBe(0);
    expect(levels[95]).toBe(0);
  });

  it('a returning cause resets the hold', () => {
    const l = newLadder(2);
    advanceLadder(l, 1, T0, p);
    advanceLadder(l, 1, T0 + 20 * S, p);
    advanceLadder(l, 2, T0 + 21 * S, p);
    expect(advanceLadder(l, 1, T0 + 40 * S, p)).toBeNull();
    expect(advanceLadder(l, 1, T0 + 69 * S, p)).toBeNull();
    expect(advanceLadder(l, 1, T0 + 70 * S, p)).toEqual({ from: 2, to: 1, heldS: 30 });
  });

  it('a cause that drops only part of the way steps down to it and stays', () => {
    const l = newLadder(3);
    advanceLadder(l, 2, T0, p);
    expect(advanceLadder(l, 2, T0 + 30 * S, p)).toEqual({ from: 3, to: 2, heldS: 30 });
    expect(advanceLadder(l, 2, T0 + 300 * S, p)).toBeNull();
    expect(l.level).toBe(2);
  });

  it('the hold comes from the policy', () => {
    const l = newLadder(1);
    advanceLadder(l, 0, T0, { ...p, stepDownHoldS: 5 });
    expect(advanceLadder(l, 0, T0 + 5 * S, { ...p, stepDownHoldS: 5 })?.to).toBe(0);
  });

  it('never goes below L0', () => {
    const l = newLadder(0);
    for (let s = 0; s < 200; s++) expect(advanceLadder(l, 0, T0 + s * S, p)).toBeNull();
    expect(l.level).toBe(0);
  });
});

describe('watermarks + ladder — properties (seeded random fill sequences)', () => {
  it('stays in L0..L3, never below what the stages call for, and never steps down inside the hold time', () => {
    const rnd = seededRandom(2718);
    const hold = p.stepDownHoldS * S;
    const reached = new Set<number>();
    let downs = 0;
    for (let run = 0; run < 60; run++) {
      const marks = Array.from({ length: 5 }, () => newWatermark());
      const ladder = newLadder();
      let lastChange = T0;
      let calmFrom: number | null = null;
      const fills = Array.from({ length: 5 }, () => rnd.next());
      let now = T0;
      for (let k = 0; k < 400; k++) {
        now += rnd.int(800, 1200);
        // Random walk with occasional jumps, so every watermark and the break hold are exercised.
        for (let i = 0; i < 5; i++) fills[i] = rnd.chance(0.05) ? rnd.next() : Math.min(1, Math.max(0, fills[i]! + rnd.range(-0.08, 0.08)));
        for (let i = 0; i < 5; i++) advanceWatermark(marks[i]!, fills[i]!, now, p);
        const cause = ladderCause(marks, p).level;
        const before = ladder.level;
        const step = advanceLadder(ladder, cause, now, p);
        expect([0, 1, 2, 3]).toContain(ladder.level);
        expect(ladder.level).toBeGreaterThanOrEqual(cause);
        if (step) {
          expect(step.from).toBe(before);
          expect(step.to).toBe(ladder.level);
          reached.add(step.to);
          if (step.to < step.from) {
            downs++;
            expect(step.from - step.to).toBe(1);
            expect(now - lastChange).toBeGreaterThanOrEqual(hold);
            expect(calmFrom).not.toBeNull();
            expect(now - calmFrom!).toBeGreaterThanOrEqual(hold);
          }
          lastChange = now;
        } else expect(ladder.level).toBe(before);
        // Track since when the cause has been below the level, independently of the implementation.
        calmFrom = cause < ladder.level ? (step && step.to < step.from ? now : (calmFrom ?? now)) : null;
      }
    }
    // The sequences did exercise every level and the way down.
    expect([...reached].sort()).toEqual([0, 1, 2, 3]);
    expect(downs).toBeGreaterThan(20);
  });
});

describe('ingress buffer (SPEC §3.3: 3 consecutive write timeouts isolate it, retries back off)', () => {
  it('isolates after 3 consecutive ticks with write timeouts, not after 2', () => {
    const s = newIngress();
    expect(advanceIngress(s, 4, T0, p)).toBeNull();
    expect(advanceIngress(s, 1, T0 + S, p)).toBeNull();
    expect(advanceIngress(s, 0, T0 + 2 * S, p)).toBeNull();
    expect(advanceIngress(s, 2, T0 + 3 * S, p)).toBeNull();
    expect(advanceIngress(s, 2, T0 + 4 * S, p)).toBeNull();
    const step = advanceIngress(s, 2, T0 + 5 * S, p);
    expect(step).toMatchObject({ from: 'closed', to: 'open' });
    expect(step!.cause).toContain('3 consecutive ticks');
    expect(s.retryAt).toBe(T0 + 5 * S + INGRESS_RETRY_BASE_MS);
  });

  it('the count comes from the policy', () => {
    const s = newIngress();
    const q = { ...p, ingress: { ...p.ingress, timeoutsToIsolate: 1 } };
    expect(advanceIngress(s, 1, T0, q)?.to).toBe('open');
  });

  it('retries with exponential backoff and recovers after a clean retry', () => {
    const s = newIngress();
    for (let k = 0; k < 3; k++) advanceIngress(s, 1, T0 + k * S, p);
    let now = T0 + 2 * S;
    const delays: number[] = [];
    for (let attempt = 0; attempt < 7; attempt++) {
      const retryAt = s.retryAt!;
      delays.push(retryAt - now);
      expect(advanceIngress(s, 5, retryAt - 1, p)).toBeNull();
      expect(advanceIngress(s, 5, retryAt, p)).toMatchObject({ from: 'open', to: 'half-open' });
      now = retryAt + S;
      expect(advanceIngress(s, 3, now, p)).toMatchObject({ from: 'half-open', to: 'open' });
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 32_000]);
    expect(advanceIngress(s, 0, s.retryAt!, p)?.to).toBe('half-open');
    expect(advanceIngress(s, 0, s.retryAt! + S, p)).toMatchObject({ from: 'half-open', to: 'closed' });
    expect(s).toMatchObject({ state: 'closed', timeoutTicks: 0, attempt: 0 });
  });

  it('backoff is capped', () => {
    expect(retryDelayMs(0)).toBe(INGRESS_RETRY_BASE_MS);
    expect(retryDelayMs(60)).toBe(INGRESS_RETRY_MAX_MS);
  });
});

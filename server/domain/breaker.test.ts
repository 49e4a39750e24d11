import { describe, expect, it } from 'vitest';
import { advanceBreaker, BREAKER_TRANSITIONS, newBreaker, windowStats, type BreakerObservation, type BreakerRuntime } from './breaker';
import type { BreakerPolicy } from './model';
import { defaultBreakerPolicy } from './policy-defaults';
import { seededRandom } from './seeded-random';

const p: BreakerPolicy = defaultBreakerPolicy;
const T0 = 1_700_000_040_000;
const S = 1000;
const ok = (over: Partial<BreakerObservation> = {}): BreakerObservation => ({ requests: 100, failures: 0, rtMs: 100, activeRequests: 20, maxConcurrency: 128, ...over });

/** A closed breaker that has learned T = rt from `n` ticks of steady traffic, ending at the returned time. */
function warmed(n = 30, rt = 100, policy = p): { b: BreakerRuntime; now: number } {
  const b = newBreaker();
  let now = T0;
  for (let k = 0; k < n; k++, now += S) expect(advanceBreaker(b, ok({ rtMs: rt }), now, policy)).toBeNull();
  return { b, now };
}

function openedAdaptively(): { b: BreakerRuntime; now: number } {
  const { b, now } = warmed();
  expect(advanceBreaker(b, ok({ rtMs: 200, activeRequests: 120 }), now, p)?.to).toBe('open');
  return { b, now };
}

describe('EWMA threshold (SPEC §3.4: T ← α·rt + (1−α)·T, α = 0.2)', () => {
  it('starts at the first response time and follows the EWMA', () => {
    const b = newBreaker();
    advanceBreaker(b, ok({ rtMs: 100 }), T0, p);
    expect(b.threshold).toBe(100);
    advanceBreaker(b, ok({ rtMs: 200 }), T0 + S, p);
    expect(b.threshold).toBeCloseTo(120, 10);
    advanceBreaker(b, ok({ rtMs: 50 }), T0 + 2 * S, p);
    expect(b.threshold).toBeCloseTo(106, 10);
  });

  it('α comes from the policy', () => {
    const b = newBreaker();
    const q = { ...p, alpha: 0.5 };
    advanceBreaker(b, ok({ rtMs: 100 }), T0, q);
    advanceBreaker(b, ok({ rtMs: 200 }), T0 + S, q);
    expect(b.threshold).toBeCloseTo(150, 10);
  });

  it('ticks without requests or without rt do not move it', () => {
    const { b, now } = warmed();
    advanceBreaker(b, ok({ requests: 0, rtMs: null }), now, p);
    advanceBreaker(b, ok({ rtMs: null }), now + S, p);
    expect(b.threshold).toBeCloseTo(100, 10);
  });
});

describe('closed → open, adaptive rule (≥ minSamples samples in the window)', () => {
  it('opens when rt > 1.5·T and active requests > 0.8 × max concurrency', () => {
    const { b, now } = warmed();
    const step = advanceBreaker(b, ok({ rtMs: 151, activeRequests: 103 }), now, p);
    expect(step).toMatchObject({ from: 'closed', to: 'open', values: { rt: 151, threshold: 100, activeRequests: 103, maxConcurrency: 128 } });
    expect(step!.cause).toBe('rt 151 ms > 1.5 × threshold 100 ms with 103 of 128 requests in flight');
    expect(b.state).toBe('open');
    expect(b.openedAt).toBe(now);
  });

  it('judges rt against T before this tick updates it', () => {
    // Updated first, T would be 110.2 and 151 would stay under 1.5 × 110.2.
    const { b, now } = warmed();
    expect(advanceBreaker(b, ok({ rtMs: 151, activeRequests: 110 }), now, p)?.to).toBe('open');
  });

  it('stays closed at exactly 1.5·T, or at exactly 0.8 × max concurrency', () => {
    const a = warmed();
    expect(advanceBreaker(a.b, ok({ rtMs: 150, activeRequests: 120 }), a.now, p)).toBeNull();
    const c = warmed();
    expect(advanceBreaker(c.b, ok({ rtMs: 400, activeRequests: 102.4 }), c.now, p)).toBeNull();
  });

  it('a slow instance that is not near its concurrency limit stays closed (and T learns the new normal)', () => {
    const { b, now } = warmed();
    expect(advanceBreaker(b, ok({ rtMs: 400, activeRequests: 50 }), now, p)).toBeNull();
    expect(b.threshold).toBeCloseTo(160, 10);
  });

  it('factor and concurrency fraction come from the policy', () => {
    const q = { ...p, factor: 2, concurrencyFraction: 0.5 };
    const { b, now } = warmed(30, 100, q);
    expect(advanceBreaker(b, ok({ rtMs: 190, activeRequests: 100 }), now, q)).toBeNull();
    expect(advanceBreaker(b, ok({ rtMs: 260, activeRequests: 70 }), now + S, q)?.to).toBe('open');
  });

  it('does not learn T from the tick that opens it', () => {
    const { b } = openedAdaptively();
    expect(b.threshold).toBeCloseTo(100, 10);
  });

  it('in adaptive mode a high error ratio alone does not open it (the static rule is only the fallback)', () => {
    const { b, now } = warmed();
    expect(advanceBreaker(b, ok({ failures: 90 }), now, p)).toBeNull();
  });
});

describe('closed → open, static fallback (< minSamples samples in the window)', () => {
  it('opens when the window error ratio exceeds 50 %', () => {
    const b = newBreaker();
    expect(advanceBreaker(b, ok({ failures: 40 }), T0, p)).toBeNull();
    const step = advanceBreaker(b, ok({ failures: 70 }), T0 + S, p);
    expect(step).toMatchObject({ from: 'closed', to: 'open', values: { errorRatio: 0.55, samples: 2, windowRequests: 200 } });
    expect(step!.cause).toBe('error ratio 55 % > 50 % (static rule: 2 of 20 samples in 60 s)');
  });

  it('exactly 50 % stays closed', () => {
    expect(advanceBreaker(newBreaker(), ok({ failures: 50 }), T0, p)).toBeNull();
  });

  it('ignores rt while the window is too thin to trust T', () => {
    const { b, now } = warmed(10);
    expect(advanceBreaker(b, ok({ rtMs: 1000, activeRequests: 128 }), now, p)).toBeNull();
  });

  it('samples older than the window drop out, and the breaker falls back to the static rule', () => {
    const { b, now } = warmed(30);
    expect(windowStats(b).samples).toBe(30);
    // A minute and more of silence empties the window.
    advanceBreaker(b, ok({ requests: 0, rtMs: null }), now + 65 * S, p);
    expect(windowStats(b).samples).toBe(0);
    expect(advanceBreaker(b, ok({ failures: 80 }), now + 66 * S, p)?.to).toBe('open');
  });

  it('minSamples and staticErrorRatio come from the policy', () => {
    const q = { ...p, minSamples: 2, staticErrorRatio: 0.2 };
    const b = newBreaker();
    expect(advanceBreaker(b, ok({ failures: 30 }), T0, q)?.to).toBe('open');
    const c = newBreaker();
    advanceBreaker(c, ok(), T0, q);
    expect(advanceBreaker(c, ok({ failures: 90 }), T0 + S, q)).toBeNull();
  });
});

describe('open → half-open → closed / open', () => {
  it('goes half-open once the cool-down has elapsed, not before', () => {
    const { b, now } = openedAdaptively();
    expect(advanceBreaker(b, ok({ rtMs: 300 }), now + 9 * S, p)).toBeNull();
    expect(advanceBreaker(b, ok(), now + 10 * S, p)).toMatchObject({ from: 'open', to: 'half-open' });
  });

  it('closes after halfOpenProbes consecutive good ticks', () => {
    const { b, now } = openedAdaptively();
    let t = now + 10 * S;
    advanceBreaker(b, ok(), t, p);
    for (let k = 1; k < 5; k++) expect(advanceBreaker(b, ok(), (t += S), p)).toBeNull();
    expect(advanceBreaker(b, ok(), (t += S), p)).toMatchObject({ from: 'half-open', to: 'closed', cause: '5 good probe ticks in a row' });
    expect(b.state).toBe('closed');
  });

  it('a bad probe re-opens it and restarts the cool-down', () => {
    const { b, now } = openedAdaptively();
    let t = now + 10 * S;
    advanceBreaker(b, ok(), t, p);
    advanceBreaker(b, ok(), (t += S), p);
    advanceBreaker(b, ok(), (t += S), p);
    const step = advanceBreaker(b, ok({ rtMs: 180 }), (t += S), p);
    expect(step).toMatchObject({ from: 'half-open', to: 'open', cause: 'probe failed: rt 180 ms > 1.5 × threshold 100 ms' });
    expect(b.openedAt).toBe(t);
    expect(advanceBreaker(b, ok(), t + 9 * S, p)).toBeNull();
    expect(advanceBreaker(b, ok(), t + 10 * S, p)?.to).toBe('half-open');
  });

  it('a probe tick with too many failures re-opens it', () => {
    const { b, now } = openedAdaptively();
    advanceBreaker(b, ok(), now + 10 * S, p);
    expect(advanceBreaker(b, ok({ failures: 60 }), now + 11 * S, p)?.cause).toBe('probe failed: error ratio 60 % > 50 %');
  });

  it('probes must be consecutive: ticks without requests neither count nor break the run', () => {
    const { b, now } = openedAdaptively();
    let t = now + 10 * S;
    advanceBreaker(b, ok(), t, p);
    for (let k = 0; k < 4; k++) advanceBreaker(b, ok(), (t += S), p);
    expect(advanceBreaker(b, ok({ requests: 0, rtMs: null }), (t += S), p)).toBeNull();
    expect(b.state).toBe('half-open');
    expect(advanceBreaker(b, ok(), (t += S), p)?.to).toBe('closed');
  });

  it('T does not learn while open or half-open', () => {
    const { b, now } = openedAdaptively();
    let t = now;
    advanceBreaker(b, ok({ rtMs: 900 }), (t += S), p);
    advanceBreaker(b, ok({ rtMs: 140 }), (t += 10 * S), p);
    for (let k = 0; k < 5; k++) advanceBreaker(b, ok({ rtMs: 140 }), (t += S), p);
    expect(b.state).toBe('closed');
    expect(b.threshold).toBeCloseTo(100, 10);
  });

  it('closing clears the window, so the failures that opened it cannot re-open it at once', () => {
    const b = newBreaker();
    advanceBreaker(b, ok({ failures: 90 }), T0, p);
    expect(b.state).toBe('open');
    let t = T0 + 10 * S;
    advanceBreaker(b, ok(), t, p);
    for (let k = 0; k < 5; k++) advanceBreaker(b, ok({ failures: 10 }), (t += S), p);
    expect(b.state).toBe('closed');
    expect(windowStats(b)).toEqual({ samples: 0, requests: 0, failures: 0 });
    expect(advanceBreaker(b, ok({ failures: 40 }), (t += S), p)).toBeNull();
  });

  it('cool-down and probe count come from the policy', () => {
    const q = { ...p, coolDownS: 3, halfOpenProbes: 1 };
    const b = newBreaker();
    advanceBreaker(b, ok({ failures: 90 }), T0, q);
    expect(advanceBreaker(b, ok(), T0 + 3 * S, q)?.to).toBe('half-open');
    expect(advanceBreaker(b, ok(), T0 + 4 * S, q)?.to).toBe('closed');
  });
});

describe('breaker — transition table (seeded)', () => {
  it('random traffic only walks the four transitions of the table, and walks all of them', () => {
    const rnd = seededRandom(1618);
    const table = new Set(BREAKER_TRANSITIONS.map((r) => `${r.from}>${r.to}`));
    const seen = new Set<string>();
    for (let run = 0; run < 40; run++) {
      const b = newBreaker();
      let now = T0;
      for (let k = 0; k < 600; k++) {
        now += rnd.int(500, 1500);
        const slow = rnd.chance(0.1);
        const obs = ok({
          requests: rnd.chance(0.1) ? 0 : rnd.int(1, 200),
          rtMs: slow ? rnd.range(200, 800) : rnd.range(80, 120),
          activeRequests: slow ? rnd.int(100, 128) : rnd.int(0, 128),
        });
        obs.failures = rnd.chance(0.05) ? obs.requests : Math.floor(obs.requests * rnd.range(0, 0.1));
        const before = b.state;
        const step = advanceBreaker(b, obs, now, p);
        if (step) {
          expect(table.has(`${step.from}>${step.to}`)).toBe(true);
          expect(step.from).toBe(before);
          expect(step.to).toBe(b.state);
          seen.add(`${step.from}>${step.to}`);
        } else expect(b.state).toBe(before);
      }
    }
    expect([...seen].sort()).toEqual([...table].sort());
  });
});

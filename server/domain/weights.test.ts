import { describe, expect, it } from 'vitest';
import type { RecomputeTrigger, WeightExplanation, WeightPolicy } from './model';
import { defaultWeightPolicy } from './policy-defaults';
import { seededRandom } from './seeded-random';
import { computeWeight, describeTerm, describeTrigger, explanationFromValues, explanationValues } from './weights';

const linear: WeightPolicy = defaultWeightPolicy;
const exp: WeightPolicy = { ...defaultWeightPolicy, model: 'exp-latency' };
const none = { cpuPct: null, p95Ms: null, connections: null };

describe('computeWeight — linear-decay (SPEC §3.1)', () => {
  it('golden: CPU 40 %, P95 1240 ms, 600 connections → 55, with the penalty of each input', () => {
    const { target, terms } = computeWeight(linear, { cpuPct: 40, p95Ms: 1240, connections: 600 });
    expect(target).toBe(55);
    expect(terms).toEqual([
      { input: 'p95', value: 1240, unit: 'ms', penalty: 31 },
      { input: 'cpu', value: 40, unit: '%', penalty: 12 },
      { input: 'connections', value: 600, unit: '', penalty: 2.4 },
    ]);
  });

  it('an idle instance keeps the whole base; a saturated one drops to 0', () => {
    expect(computeWeight(linear, { cpuPct: 0, p95Ms: 0, connections: 0 }).target).toBe(100);
    expect(computeWeight(linear, { cpuPct: 100, p95Ms: 2000, connections: 5000 }).target).toBe(0);
  });

  it('latency carries the largest coefficient: the same normalised load costs most on P95', () => {
    const lat = computeWeight(linear, { cpuPct: null, p95Ms: 1000, connections: null }).target;
    const cpu = computeWeight(linear, { cpuPct: 50, p95Ms: null, connections: null }).target;
    const conn = computeWeight(linear, { cpuPct: null, p95Ms: null, connections: 2500 }).target;
    expect([lat, cpu, conn]).toEqual([75, 85, 90]);
  });

  it('normalised inputs are clamped to [0, 1]', () => {
    const over = computeWeight(linear, { cpuPct: 250, p95Ms: 9000, connections: 80_000 });
    expect(over.terms.map((t) => t.penalty)).toEqual([50, 30, 20]);
    expect(over.target).toBe(0);
    const under = computeWeight(linear, { cpuPct: -5, p95Ms: -10, connections: -1 });
    expect(under.target).toBe(100);
    expect(under.terms.every((t) => t.penalty === 0)).toBe(true);
  });

  it('a missing input takes nothing off and has no term', () => {
    expect(computeWeight(linear, none)).toEqual({ target: 100, terms: [] });
    const r = computeWeight(linear, { cpuPct: 40, p95Ms: null, connections: 600 });
    expect(r.target).toBe(86); // 100 − 12 − 2.4 = 85.6
    expect(r.terms.map((t) => t.input)).toEqual(['cpu', 'connections']);
  });

  it('non-finite readings count as missing', () => {
    expect(computeWeight(linear, { cpuPct: Number.NaN, p95Ms: Infinity, connections: null })).toEqual({ target: 100, terms: [] });
  });

  it('rounds half up (54.5 → 55) without float noise deciding', () => {
    // lat_n = 0.91 → 100 × (1 − 0.455) = 54.5
    expect(computeWeight(linear, { cpuPct: null, p95Ms: 1820, connections: null }).target).toBe(55);
    // 100 × (1 − 0.5·0.62 − 0.3·0.4 − 0.2·0.12) is 54.599999… in floating point
    expect(computeWeight(linear, { cpuPct: 40, p95Ms: 1240, connections: 600 }).target).toBe(55);
  });

  it('takes every constant from the policy: base, normalisers, coefficients', () => {
    const inputs = { cpuPct: 40, p95Ms: 1240, connections: 600 };
    expect(computeWeight({ ...linear, base: 200 }, inputs).target).toBe(109); // 200 × 0.546
    const normalisers = { cpuPct: 80, p95Ms: 2480, connections: 1200 };
    const r = computeWeight({ ...linear, normalisers }, inputs);
    expect(r.terms.map((t) => t.penalty)).toEqual([25, 15, 10]);
    expect(r.target).toBe(50);
    const coefficients = { latency: 0.1, cpu: 0.6, connections: 0.3 };
    const c = computeWeight({ ...linear, coefficients }, inputs);
    expect(c.terms.map((t) => t.penalty)).toEqual([6.2, 24, 3.6]);
    expect(c.target).toBe(66);
  });

  it('clamps to [0, base] when the coefficients sum above 1', () => {
    const heavy = { ...linear, coefficients: { latency: 1, cpu: 1, connections: 1 } };
    expect(computeWeight(heavy, { cpuPct: 90, p95Ms: 1800, connections: 4000 }).target).toBe(0);
  });

  it('a zero normaliser cannot divide by zero: that input takes nothing off', () => {
    const r = computeWeight({ ...linear, normalisers: { cpuPct: 0, p95Ms: 2000, connections: 5000 } }, { cpuPct: 50, p95Ms: 0, connections: 0 });
    expect(r.target).toBe(100);
  });
});

describe('computeWeight — exp-latency', () => {
  it('golden: base × (1 − max(cpu_n, mem_n)) × exp(−p95 / scale)', () => {
    const r = computeWeight(exp, { cpuPct: 50, p95Ms: 100, connections: 4000, memPct: 20 });
    const raw = 100 * 0.5 * Math.exp(-1);
    expect(r.target).toBe(18);
    expect(r.terms.map((t) => t.input)).toEqual(['p95', 'cpu']);
    expect(r.terms.reduce((s, t) => s + t.penalty, 0)).toBeCloseTo(100 - raw, 5);
  });

  it('the load term is whichever of CPU and memory is higher', () => {
    const r = computeWeight(exp, { cpuPct: 30, p95Ms: 0, connections: null, memPct: 70 });
    expect(r.target).toBe(30);
    expect(r.terms).toEqual([
      { input: 'p95', value: 0, unit: 'ms', penalty: 0 },
      { input: 'memory', value: 70, unit: '%', penalty: 70 },
    ]);
  });

  it('uses the policy latency scale and ignores connections', () => {
    const r = computeWeight({ ...exp, latencyScaleMs: 200 }, { cpuPct: null, p95Ms: 100, connections: 5000 });
    expect(r.target).toBe(Math.round(100 * Math.exp(-0.5)));
    expect(r.terms).toHaveLength(1);
    expect(r.terms[0]!.penalty).toBeCloseTo(100 * (1 - Math.exp(-0.5)), 5);
  });

  it('splits the points symmetrically between the two factors', () => {
    // fLoad = 0.5, fLat = e^-1: load takes base·0.5·(1+e^-1)/2, latency base·(1−e^-1)·1.5/2.
    const r = computeWeight(exp, { cpuPct: 50, p95Ms: 100, connections: null });
    const e = Math.exp(-1);
    expect(r.terms[0]!.penalty).toBeCloseTo((100 * (1 - e) * 1.5) / 2, 5);
    expect(r.terms[1]!.penalty).toBeCloseTo((100 * 0.5 * (1 + e)) / 2, 5);
  });
});

describe('computeWeight — properties (seeded)', () => {
  it('target is an integer in [0, base]; penalties ≥ 0 and account for base − raw weight', () => {
    const rnd = seededRandom(20260101);
    for (let i = 0; i < 2000; i++) {
      const model = rnd.pick(['linear-decay', 'exp-latency'] as const);
      const policy: WeightPolicy = {
        ...defaultWeightPolicy,
        model,
        base: rnd.int(1, 500),
        normalisers: { cpuPct: rnd.range(10, 200), p95Ms: rnd.range(100, 5000), connections: rnd.range(100, 10_000) },
        coefficients: { latency: rnd.range(0, 1), cpu: rnd.range(0, 1), connections: rnd.range(0, 1) },
        latencyScaleMs: rnd.range(10, 1000),
      };
      const maybe = (lo: number, hi: number) => (rnd.chance(0.15) ? null : rnd.range(lo, hi));
      const inputs = { cpuPct: maybe(-10, 150), p95Ms: maybe(-10, 6000), connections: maybe(-10, 12_000), memPct: maybe(0, 100) };
      const { target, terms } = computeWeight(policy, inputs);
      expect(Number.isInteger(target)).toBe(true);
      expect(target).toBeGreaterThanOrEqual(0);
      expect(target).toBeLessThanOrEqual(policy.base);
      for (const t of terms) expect(t.penalty).toBeGreaterThanOrEqual(0);
      const left = policy.base - terms.reduce((s, t) => s + t.penalty, 0);
      expect(Math.abs(target - Math.min(policy.base, Math.max(0, left)))).toBeLessThanOrEqual(0.5 + 1e-5);
    }
  });
});

describe('describeTerm', () => {
  it('says how many points which input took, with the true minus sign', () => {
    const [p95, cpu, conn] = computeWeight(linear, { cpuPct: 40, p95Ms: 1240, connections: 600 }).terms;
    expect(describeTerm(p95!)).toBe('−31 from P95 1240 ms');
    expect(describeTerm(cpu!)).toBe('−12 from CPU 40 %');
    expect(describeTerm(conn!)).toBe('−2.4 from 600 connections');
  });

  it('one decimal only below 10 points', () => {
    expect(describeTerm({ input: 'cpu', value: 31.6, unit: '%', penalty: 9.49 })).toBe('−9.5 from CPU 32 %');
    expect(describeTerm({ input: 'cpu', value: 33, unit: '%', penalty: 9.96 })).toBe('−10 from CPU 33 %');
    expect(describeTerm({ input: 'p95', value: 1999.6, unit: 'ms', penalty: 49.99 })).toBe('−50 from P95 2000 ms');
    expect(describeTerm({ input: 'memory', value: 70, unit: '%', penalty: 3 })).toBe('−3.0 from memory 70 %');
  });
});

describe('describeTrigger', () => {
  const cases: Array<[RecomputeTrigger, string]> = [
    [{ kind: 'threshold', input: 'p95', direction: 'up', value: 1240, threshold: 1200 }, 'P95 1240 ms crossed 1200 ms'],
    [{ kind: 'threshold', input: 'cpu', direction: 'up', value: 91.4, threshold: 85 }, 'CPU 91 % crossed 85 %'],
    [{ kind: 'threshold', input: 'cpu', direction: 'held', value: 93, threshold: 85 }, 'CPU 93 % still above 85 %'],
    [{ kind: 'threshold', input: 'connections', direction: 'up', value: 4700, threshold: 4500 }, '4700 connections crossed 4500'],
    [{ kind: 'threshold', input: 'p95', direction: 'down', value: 900, threshold: 1200 }, 'P95 900 ms fell back below 1200 ms'],
    [{ kind: 'periodic', everyS: 30 }, 'periodic recompute (every 30 s)'],
    [{ kind: 'admin', state: 'drain' }, 'instance drained by an operator'],
    [{ kind: 'admin', state: 'maintenance' }, 'instance put in maintenance by an operator'],
    [{ kind: 'admin', state: 'ready' }, 'instance returned to service by an operator'],
    [{ kind: 'down' }, 'instance unreachable'],
    [{ kind: 'up' }, 'instance reachable again'],
    [{ kind: 'initial' }, 'first computation'],
    [{ kind: 'policy' }, 'policy changed'],
  ];
  it.each(cases)('%j → %s', (trigger, words) => {
    expect(describeTrigger(trigger)).toBe(words);
  });
});

describe('explanationValues / explanationFromValues', () => {
  const explain = (policy: WeightPolicy, inputs: Parameters<typeof computeWeight>[1]): WeightExplanation => {
    const { target, terms } = computeWeight(policy, inputs);
    return { model: policy.model, base: policy.base, terms, target, trigger: { kind: 'threshold', input: 'p95', direction: 'up', value: 1240, threshold: 1200 }, computedAt: 1_700_000_000_000 };
  };

  it('flattens to the persisted keys of docs/telemetry.md', () => {
    const e = explain(linear, { cpuPct: 40, p95Ms: 1240, connections: 600 });
    expect(explanationValues(e)).toEqual({
      target: 55,
      base: 100,
      'value.p95': 1240,
      'penalty.p95': 31,
      'value.cpu': 40,
      'penalty.cpu': 12,
      'value.connections': 600,
      'penalty.connections': 2.4,
    });
  });

  it('round-trips target, base and terms for both models (seeded)', () => {
    const rnd = seededRandom(7);
    for (let i = 0; i < 300; i++) {
      const policy = rnd.chance(0.5) ? linear : exp;
      const maybe = (hi: number) => (rnd.chance(0.2) ? null : rnd.range(0, hi));
      const e = explain(policy, { cpuPct: maybe(100), p95Ms: maybe(3000), connections: maybe(6000), memPct: maybe(100) });
      const back = explanationFromValues(JSON.parse(JSON.stringify(explanationValues(e))) as Record<string, number>, describeTrigger(e.trigger), e.model, e.computedAt);
      expect(back).toEqual({ model: e.model, target: e.target, base: e.base, terms: e.terms, cause: 'P95 1240 ms crossed 1200 ms', computedAt: e.computedAt });
    }
  });

  it('an explanation without terms (drained) round-trips too', () => {
    const e: WeightExplanation = { model: 'linear-decay', base: 100, terms: [], target: 0, trigger: { kind: 'admin', state: 'drain' }, computedAt: 5 };
    expect(explanationFromValues(explanationValues(e), 'instance drained by an operator', 'linear-decay', 5)).toMatchObject({ target: 0, base: 100, terms: [] });
  });

  it('derives a missing target from base and penalties', () => {
    const back = explanationFromValues({ base: 100, 'value.cpu': 40, 'penalty.cpu': 12, 'value.p95': 1240, 'penalty.p95': 31 }, 'x', 'linear-decay', 0);
    expect(back.target).toBe(57);
    expect(back.terms.map((t) => t.input)).toEqual(['p95', 'cpu']);
  });
});

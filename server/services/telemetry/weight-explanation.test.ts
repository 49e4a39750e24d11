import { describe, expect, it } from 'vitest';
import { defaultWeightPolicy } from '../../domain/policy-defaults';
import { computeWeight, explanationValues } from '../../domain/weights';
import { explainWeight, numericRecord } from './weight-explanation';

const policy = defaultWeightPolicy;

function transition(inputs: { cpuPct: number; p95Ms: number; connections: number }, cause: string, fromState = '80') {
  const { target, terms } = computeWeight(policy, inputs);
  const values = explanationValues({ model: 'linear-decay', base: 100, terms, target, trigger: { kind: 'initial' }, computedAt: 0 });
  return { values, cause, at: 1_000, fromState };
}

describe('explainWeight', () => {
  it('says the golden case in words: each input with the points it took off, and why it was recomputed', () => {
    const e = explainWeight(transition({ cpuPct: 40, p95Ms: 1240, connections: 600 }, 'P95 1240 ms crossed 1200 ms'), policy);
    expect(e.sentence).toBe('Target 55 = 100 \u2212 31 from P95 1240 ms \u2212 12 from CPU 40 % \u2212 2.4 from 600 connections; recomputed because P95 1240 ms crossed 1200 ms');
    expect(e.target).toBe(55);
    expect(e.previousTarget).toBe(80);
    expect(e.terms.map((t) => [t.input, t.threshold, t.over])).toEqual([
      ['p95', 1200, true],
      ['cpu', 85, false],
      ['connections', 4500, false],
    ]);
  });

  it('words a periodic recompute and a first computation as facts, not reasons', () => {
    expect(explainWeight(transition({ cpuPct: 0, p95Ms: 0, connections: 0 }, 'periodic recompute (every 30 s)'), policy).sentence).toBe(
      'Target 100 = base 100: no input takes points off; recomputed by the periodic recompute (every 30 s)',
    );
    const first = explainWeight(transition({ cpuPct: 50, p95Ms: 100, connections: 100 }, 'first computation', 'none'), policy);
    expect(first.sentence).toMatch(/; first computation$/);
    expect(first.previousTarget).toBeNull();
  });

  it('says a drained or unreachable instance is out, with no arithmetic', () => {
    const e = explainWeight({ values: { target: 0, base: 100 }, cause: 'instance drained by an operator', at: 5, fromState: '70' }, policy);
    expect(e.sentence).toBe('Target 0: instance drained by an operator');
    expect(e.terms).toEqual([]);
  });

  it('keeps only finite numbers of a JSON values object', () => {
    expect(numericRecord({ a: 1, b: 'x', c: null, d: Number.NaN, e: 2.5 })).toEqual({ a: 1, e: 2.5 });
    expect(numericRecord(null)).toEqual({});
    expect(numericRecord([1, 2])).toEqual({});
  });
});

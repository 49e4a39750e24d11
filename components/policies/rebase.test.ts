import { describe, expect, it } from 'vitest';
import { applyRebase, diffDocs, planRebase, setAt } from './rebase';

const base = { model: 'linear-decay', coefficients: { cpu: 0.3, latency: 0.4 }, thresholds: { cpuPct: 80, p95Ms: 500 }, base: 100 };

describe('planRebase / applyRebase: field-by-field onto the newer version', () => {
  it('the stale-tab case: they changed the CPU coefficient, I changed the CPU alert threshold — both survive, nothing asked', () => {
    const theirs = setAt(base, 'coefficients.cpu', 0.5);
    const mine = setAt(base, 'thresholds.cpuPct', 70);
    const plan = planRebase(base, mine, theirs);
    expect(plan).toEqual({
      taken: [{ path: 'coefficients.cpu', before: 0.3, after: 0.5 }],
      kept: [{ path: 'thresholds.cpuPct', before: 80, after: 70 }],
      conflicts: [],
    });
    expect(applyRebase(theirs, plan, {})).toEqual({ ...base, coefficients: { cpu: 0.5, latency: 0.4 }, thresholds: { cpuPct: 70, p95Ms: 500 } });
  });

  it('a field both changed differently is asked, and undecided yields nothing to publish', () => {
    const theirs = setAt(setAt(base, 'base', 200), 'model', 'exp-latency');
    const mine = setAt(setAt(base, 'base', 150), 'coefficients.latency', 0.1);
    const plan = planRebase(base, mine, theirs);
    expect(plan.conflicts).toEqual([{ path: 'base', base: 100, mine: 150, theirs: 200 }]);
    expect(plan.taken.map((c) => c.path)).toEqual(['model']);
    expect(plan.kept.map((c) => c.path)).toEqual(['coefficients.latency']);
    expect(applyRebase(theirs, plan, {})).toBeNull();
    expect(applyRebase(theirs, plan, { base: 'mine' })).toMatchObject({ base: 150, model: 'exp-latency', coefficients: { latency: 0.1 } });
    expect(applyRebase(theirs, plan, { base: 'theirs' })).toMatchObject({ base: 200, model: 'exp-latency', coefficients: { latency: 0.1 } });
  });

  it('the same change on both sides is no conflict; an array is one field', () => {
    const order = [{ name: 'canary', enabled: true }, { name: 'weighted', enabled: true }];
    const b = { order, base: 1 };
    const theirs = { order: [...order].reverse(), base: 2 };
    const mine = { order, base: 2 };
    const plan = planRebase(b, mine, theirs);
    expect(plan).toEqual({ taken: [{ path: 'order', before: order, after: [...order].reverse() }], kept: [], conflicts: [] });
    expect(applyRebase(theirs, plan, {})).toEqual(theirs);
  });

  it('does not change its inputs', () => {
    const theirs = setAt(base, 'coefficients.cpu', 0.5);
    const mine = setAt(base, 'thresholds.cpuPct', 70);
    const snapshot = JSON.stringify([base, mine, theirs]);
    applyRebase(theirs, planRebase(base, mine, theirs), {});
    expect(JSON.stringify([base, mine, theirs])).toBe(snapshot);
  });

  it('diffDocs lists changed leaves by path', () => {
    expect(diffDocs(base, setAt(base, 'thresholds.p95Ms', 300))).toEqual([{ path: 'thresholds.p95Ms', before: 500, after: 300 }]);
  });
});

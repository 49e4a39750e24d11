import { describe, expect, it } from 'vitest';
import { capPerKind } from './cap-per-kind';

const ev = (kind: string, n: number) => Array.from({ length: n }, (_, i) => ({ kind, i }));
const count = (xs: Array<{ kind: string }>) => Object.fromEntries([...new Set(xs.map((x) => x.kind))].map((k) => [k, xs.filter((x) => x.kind === k).length]));

describe('the timeline cap shared among kinds', () => {
  it('keeps everything under the cap', () => {
    const all = [...ev('weight', 3), ...ev('breaker', 2)];
    expect(capPerKind(all, 10)).toBe(all);
  });

  it('gives the scarce kinds all their events and the rest of the cap to the plentiful one', () => {
    const all = [...ev('weight', 5000), ...ev('breaker', 40), ...ev('degradation', 600), ...ev('stage', 75)];
    const out = capPerKind(all, 2000);
    expect(out).toHaveLength(2000);
    expect(count(out)).toEqual({ weight: 1285, breaker: 40, degradation: 600, stage: 75 });
  });

  it('splits evenly when every kind has more than its share, keeping each kind’s newest in order', () => {
    const all = [...ev('weight', 100), ...ev('breaker', 100)].sort((a, b) => a.i - b.i);
    const out = capPerKind(all, 10);
    expect(count(out)).toEqual({ weight: 5, breaker: 5 });
    expect(out.filter((x) => x.kind === 'breaker').map((x) => x.i)).toEqual([0, 1, 2, 3, 4]);
  });

  it('never returns more than the cap when kinds outnumber it', () => {
    const all = [...ev('a', 3), ...ev('b', 3), ...ev('c', 3)];
    expect(capPerKind(all, 2)).toHaveLength(2);
  });
});

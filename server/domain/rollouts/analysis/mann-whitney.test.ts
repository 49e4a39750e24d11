import { describe, expect, it } from 'vitest';
import { mannWhitneyFixedHorizon, mannWhitneyZ } from './mann-whitney';
import { simulateTicks } from './simulate';

describe('Mann-Whitney U (normal approximation)', () => {
  it('matches the textbook value for separated samples', () => {
    // U = 0, mean 12.5, variance 25·11/12: z = (−12.5 + 0.5) / 4.787 (continuity-corrected).
    expect(mannWhitneyZ([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])).toBeCloseTo(-12 / Math.sqrt((25 * 11) / 12), 6);
    expect(mannWhitneyZ([6, 7, 8, 9, 10], [1, 2, 3, 4, 5])).toBeCloseTo(12 / Math.sqrt((25 * 11) / 12), 6);
  });

  it('corrects the variance for ties', () => {
    // Ranks of 0,0,0,0 | 1,1 | 2,2: tie groups of 4, 2, 2 → Σ(t³ − t) = 60 + 6 + 6.
    const x = [0, 0, 1, 2];
    const y = [0, 0, 1, 2];
    expect(mannWhitneyZ(x, y)).toBe(0);
    const z = mannWhitneyZ([1, 2, 2, 0], [0, 0, 0, 1]);
    const variance = ((4 * 4) / 12) * (9 - 72 / (8 * 7));
    // x ranks: 1 → 5.5, 2 → 7.5, 2 → 7.5, 0 → 2.5: R = 23, U = 13, mean 8.
    expect(z).toBeCloseTo((13 - 8 - 0.5) / Math.sqrt(variance), 9);
  });

  it('looks once a minute and fails at the first rejecting look', () => {
    const ticks = simulateTicks({ seed: 3, ticks: 300, requestsPerTick: 9000, canaryShare: 0.05, errorRate: 0.01, canaryErrorFactor: 3, p95Ms: 120, histograms: false });
    const r = mannWhitneyFixedHorizon({ metrics: [{ metric: 'error-rate', maxIncreasePct: 50 }], alpha: 0.05, startedAt: 0, until: 300_000, ticks });
    expect(r.verdict).toBe('fail');
    expect(r.decidedAt! % 60_000).toBe(0);
    expect(r.looks.at(-1)!.at).toBe(r.decidedAt);
  });
});

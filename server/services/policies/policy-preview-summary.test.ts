import { describe, expect, it } from 'vitest';
import type { ReplayCounts } from '../../domain/replay';
import { phrase } from './policy-preview';

const counts = (over: Partial<ReplayCounts> = {}): ReplayCounts => ({
  stageBreaks: 2, degradations: 3, breakerOpens: 1, weightRecomputes: 40, instancesBelowLow: 0, meanEffectiveWeight: 84.3, ...over,
});

describe('what-if summary', () => {
  it('says there is no difference only when the counts and the mean weight are the same', () => {
    expect(phrase(counts(), counts())).toBe('No difference on these samples.');
  });

  it('names a draft that only moves the weights (same counts, lower mean)', () => {
    expect(phrase(counts(), counts({ meanEffectiveWeight: 42.1 }))).toBe('mean weight 42.1 instead of 84.3.');
  });

  it('says one step in the singular and several in the plural', () => {
    expect(phrase(counts(), counts({ degradations: 4, stageBreaks: 0, breakerOpens: 3 }))).toBe('2 fewer stage-breaks, 1 more degradation step, 2 more breaker opens.');
    expect(phrase(counts(), counts({ stageBreaks: 3, weightRecomputes: 39 }))).toBe('1 more stage-break, 1 fewer weight recompute.');
  });

  it('lists the changed counts first and the mean weight last', () => {
    expect(phrase(counts(), counts({ weightRecomputes: 55, instancesBelowLow: 1, meanEffectiveWeight: 60 }))).toBe(
      '15 more weight recomputes, 1 instance more would have dropped below weight 20, mean weight 60 instead of 84.3.',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { mergeRolloutChange } from './live-merge';

const row = { id: 'a', version: 3, state: 'paused' as const, pauseReason: 'awaiting_approval', abortReason: null, name: 'x' };

describe('a rollout change in the cached fleet table', () => {
  it('takes a newer state and drops the old reason', () => {
    expect(mergeRolloutChange([row], { id: 'a', version: 4, state: 'progressing' })).toEqual([{ ...row, version: 4, state: 'progressing', pauseReason: null }]);
  });
  it('ignores replayed older events and other rollouts', () => {
    const rows = [row];
    expect(mergeRolloutChange(rows, { id: 'a', version: 3, state: 'aborted' })).toBe(rows);
    expect(mergeRolloutChange(rows, { id: 'b', version: 9, state: 'aborted' })).toBe(rows);
  });
});

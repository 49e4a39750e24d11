import { describe, expect, it } from 'vitest';
import { computeTimeText, replayLine } from './preview-words';

describe('computeTimeText', () => {
  it('says milliseconds under a second and seconds to one decimal above', () => {
    expect(computeTimeText(240)).toBe('240 ms');
    expect(computeTimeText(0)).toBe('0 ms');
    expect(computeTimeText(999.4)).toBe('999 ms');
    expect(computeTimeText(999.6)).toBe('1.0 s');
    expect(computeTimeText(1_700)).toBe('1.7 s');
    expect(computeTimeText(70_962)).toBe('71.0 s');
    expect(computeTimeText(1_234_567)).toBe('1,234.6 s');
  });
});

describe('replayLine', () => {
  it('writes every count with thousands separators', () => {
    expect(replayLine(10_004, 6_762_688, 70_962)).toBe(
      '10,004 instances, 6,762,688 stored samples, replayed twice (published policy and this draft) in 71.0 s.',
    );
    expect(replayLine(3, 120, 240)).toBe('3 instances, 120 stored samples, replayed twice (published policy and this draft) in 240 ms.');
    expect(replayLine(10_080, 9_072_000, 4_400, 2)).toBe('10,080 instances, 9,072,000 stored samples, replayed twice (published policy and this draft) in 4.4 s on two threads.');
  });
});

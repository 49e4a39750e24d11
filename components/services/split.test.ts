import { describe, expect, it } from 'vitest';
import { actualShares, desiredShares, formatShares, splitRows } from './split';

const pts = [
  { t: 1000, v: { v1: 100, v2: 0 } },
  { t: 2000, v: { v1: 90, v2: 10 } },
  { t: 3000, v: { v1: 80, v2: 20 } },
];

describe('traffic split', () => {
  it('flattens points into chart rows', () => {
    expect(splitRows(pts.slice(0, 1))).toEqual([{ t: 1000, v1: 100, v2: 0 }]);
  });
  it('measures the actual split over the recent points', () => {
    expect(actualShares(pts, 2000)).toEqual({ v1: 0.85, v2: 0.15 });
    expect(actualShares(pts, 9000)).toBeNull();
    expect(actualShares([{ t: 1, v: { v1: 0 } }], 0)).toBeNull();
  });
  it('derives the desired split from version weights and words both', () => {
    expect(desiredShares({ v1: 90, v2: 10 })).toEqual({ v1: 0.9, v2: 0.1 });
    expect(desiredShares({})).toEqual({});
    expect(formatShares({ v10: 0.25, v2: 0.75 })).toBe('v2 75 % · v10 25 %');
    expect(formatShares({})).toBe('—');
  });
});

import { describe, expect, it } from 'vitest';
import { withGaps } from './gaps';

describe('withGaps', () => {
  const rows = [{ t: 0, a: 1 }, { t: 1000, a: 2 }, { t: 10_000, a: 3 }, { t: 11_000, a: 4 }];
  it('breaks the series where points are further apart than the gap', () => {
    expect(withGaps(rows, ['a'], 3000)).toEqual([{ t: 0, a: 1 }, { t: 1000, a: 2 }, { t: 1001, a: null }, { t: 10_000, a: 3 }, { t: 11_000, a: 4 }]);
  });
  it('returns the same array when nothing is missing', () => {
    const same = rows.slice(0, 2);
    expect(withGaps(same, ['a'], 3000)).toBe(same);
    expect(withGaps(rows, ['a'], 0)).toBe(rows);
  });
});

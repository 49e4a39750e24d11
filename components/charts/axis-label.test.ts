import { describe, expect, it } from 'vitest';
import { compactAxisLabel } from './axis-label';
import { fmtCount, fmtMs, fmtRps } from '@/components/telemetry/format';

describe('compactAxisLabel', () => {
  it('keeps labels below 10,000 as they are', () => {
    expect(compactAxisLabel(fmtRps(9_999))).toBe('9,999/s');
    expect(compactAxisLabel(fmtRps(52.3))).toBe('52.3/s');
    expect(compactAxisLabel('85 %')).toBe('85 %');
    expect(compactAxisLabel('L2')).toBe('L2');
    expect(compactAxisLabel('—')).toBe('—');
  });

  it('compacts the leading number and keeps the unit', () => {
    expect(compactAxisLabel(fmtRps(120_000))).toBe('120k/s');
    expect(compactAxisLabel(fmtRps(12_500))).toBe('12.5k/s');
    expect(compactAxisLabel(fmtMs(12_000))).toBe('12k ms');
    expect(compactAxisLabel(fmtCount(2_345_678))).toBe('2.3M');
    expect(compactAxisLabel(fmtCount(7_000_000_000))).toBe('7G');
    expect(compactAxisLabel('-25,000')).toBe('-25k');
  });

  it('fits the 56 px axis: no compacted rate label is longer than 7 characters below a billion', () => {
    for (const v of [10_000, 99_999, 100_000, 120_000, 999_999, 1_000_000, 45_600_000, 999_000_000]) {
      expect(compactAxisLabel(fmtRps(v)).length).toBeLessThanOrEqual(7);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { breakerTone, degradationTone, fmtCount, fmtDegradation, fmtMs, fmtPct, fmtRatio, fmtRps, fmtWeight, trafficShare } from './format';

describe('telemetry formatting', () => {
  it('formats the inputs of the weight with their units, and a dash for unknown', () => {
    expect(fmtWeight(54.6)).toBe('55');
    expect(fmtPct(40.2)).toBe('40 %');
    expect(fmtMs(1240.4)).toBe('1,240 ms');
    expect(fmtCount(4500)).toBe('4,500');
    expect(fmtRps(52.34)).toBe('52.3/s');
    expect(fmtRps(1234.5)).toBe('1,235/s');
    expect(fmtRatio(0.853)).toBe('85 %');
    expect(fmtRatio(0.0123)).toBe('1.2 %');
    expect(fmtRatio(0)).toBe('0 %');
    expect([fmtWeight(null), fmtPct(undefined), fmtMs(Number.NaN)]).toEqual(['—', '—', '—']);
  });
  it('names degradation levels and colours states', () => {
    expect(fmtDegradation(2)).toBe('L2 stage-broken');
    expect(degradationTone(0)).toBe('success');
    expect(degradationTone(3)).toBe('danger');
    expect(breakerTone('half-open')).toBe('warning');
  });
  it('derives an instance\'s share of traffic from its version\'s weight and its own', () => {
    expect(trafficShare(60, 1200, 90, 100)).toBeCloseTo(0.045);
    expect(trafficShare(60, 0, 90, 100)).toBeNull();
    expect(trafficShare(60, 600, null, 100)).toBeNull();
  });
});

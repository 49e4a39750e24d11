import { describe, expect, it } from 'vitest';
import type { LayerReport } from './contract';
import { availabilityText, levelText, reportVerdict, selfHealCell } from './report-text';

/** A layer as the server stores it (server/domain/experiments/report.ts LayerReport). */
const layer = (p: Partial<LayerReport> = {}): LayerReport => ({
  layer: 'access',
  services: ['edge-gateway'],
  baseline: { p50: 20, p90: 40, p99: 60 },
  during: { p50: 30, p90: 130, p99: 242 },
  delta: { p50: 10, p90: 90, p99: 182 },
  baselineAvailabilityPct: 100,
  requests: { baseline: 1000, during: 1000, after: 1000 },
  availabilityPct: 99.97,
  targetPct: 99.9,
  meetsTarget: true,
  selfHealS: 12,
  selfHealWords: 'self-healed in 12 s',
  maxLevel: 0,
  breakerTrips: 0,
  notes: [],
  series: [],
  ...p,
});

describe('the per-layer report in words', () => {
  it('says availability against the target, and "no traffic" rather than 0 when there was none', () => {
    expect(availabilityText(layer())).toBe('99.97 % (target 99.9 %)');
    expect(availabilityText(layer({ availabilityPct: 98.333, targetPct: 99.5 }))).toBe('98.33 % (target 99.5 %)');
    expect(availabilityText(layer({ availabilityPct: null, meetsTarget: null }))).toBe('no traffic');
  });

  it('says self-heal in seconds, or the report’s own words when the layer did not heal', () => {
    expect(selfHealCell(layer())).toBe('12 s');
    expect(selfHealCell(layer({ selfHealS: null, selfHealWords: 'did not self-heal within 120 s' }))).toBe('did not self-heal within 120 s');
  });

  it('names levels, and a dash when none was reported', () => {
    expect(levelText(2)).toBe('L2');
    expect(levelText(null)).toBe('—');
  });

  it('is met only when every layer met the target and self-healed', () => {
    expect(reportVerdict([layer()])).toBe('met');
    expect(reportVerdict([layer(), layer({ selfHealS: null })])).toBe('missed');
    expect(reportVerdict([layer({ meetsTarget: false })])).toBe('missed');
    // A layer without traffic is not judged against the target (meetsTarget null) but must still heal.
    expect(reportVerdict([layer({ meetsTarget: null })])).toBe('met');
    expect(reportVerdict([])).toBeNull();
  });
});

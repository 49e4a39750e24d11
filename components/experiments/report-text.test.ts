import { describe, expect, it } from 'vitest';
import type { LayerReport } from './contract';
import { reportMarkdown, reportVerdict } from './report-text';

const layer = (p: Partial<LayerReport> & { p99?: number; availabilityPct?: number }): LayerReport => {
  const { p99 = 182, availabilityPct = 99.97, ...rest } = p;
  return {
    layer: 'access',
    services: ['edge-gateway'],
    baseline: { p50: 20, p90: 40, p99: 60, availabilityPct: 100, requests: 1000 },
    fault: { p50: 30, p90: 130, p99: 60 + p99, availabilityPct, requests: 1000 },
    delta: { p50: 10, p90: 90, p99 },
    availabilityTargetPct: 99.9,
    metTarget: true,
    selfHealS: 12,
    maxLevel: 0,
    breakerTrips: 0,
    ...rest,
  };
};

describe('the per-layer report', () => {
  it('has the seed table’s shape: one row per layer with deltas, availability against the target, self-heal', () => {
    const md = reportMarkdown({ experimentName: 'jitter', number: 3, fault: 'delay 200 ms ± 300 ms', targets: 'edge-gateway', state: 'Aborted' }, [
      layer({}),
      layer({ layer: 'data', p99: 690, availabilityPct: 98.3, metTarget: false, selfHealS: null, maxLevel: 2, breakerTrips: 4 }),
    ]);
    expect(md).toContain('| access | +10 ms | +90 ms | +182 ms | 99.97 % (target 99.9 %) ✓ | 12 s | L0 | 0 |');
    expect(md).toContain('| data | +10 ms | +90 ms | +690 ms | 98.3 % (target 99.9 %) ✗ | did not self-heal | L2 | 4 |');
    expect(md.split('\n').filter((l) => l.startsWith('|'))).toHaveLength(4);
  });

  it('escapes a pipe in a name so the table keeps its columns', () => {
    expect(reportMarkdown({ experimentName: 'a|b', number: 1, fault: 'f', targets: 't', state: 's' }, [layer({ layer: 'x|y' })])).toContain('| x\\|y |');
  });

  it('is met only when every layer met the target and self-healed', () => {
    expect(reportVerdict([layer({})])).toBe('met');
    expect(reportVerdict([layer({}), layer({ selfHealS: null })])).toBe('missed');
    expect(reportVerdict([layer({ metTarget: false })])).toBe('missed');
    expect(reportVerdict([])).toBeNull();
  });
});

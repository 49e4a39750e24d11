import { describe, expect, it } from 'vitest';
import type { LayerReport } from './contract';
import { reportMarkdown, reportVerdict } from './report-text';

const layer = (p: Partial<LayerReport>): LayerReport => ({ layer: 'access', services: ['edge-gateway'], p50DeltaMs: 10, p90DeltaMs: 90, p99DeltaMs: 182, availabilityPct: 99.97, targetPct: 99.9, meetsTarget: true, selfHealS: 12, maxLevel: 0, breakerTrips: 0, ...p });

describe('the per-layer report', () => {
  it('has the seed table’s shape: one row per layer with deltas, availability against the target, self-heal', () => {
    const md = reportMarkdown({ experimentName: 'jitter', number: 3, fault: 'delay 200 ms ± 300 ms', targets: 'edge-gateway', state: 'Aborted' }, [
      layer({}),
      layer({ layer: 'data', p99DeltaMs: 690, availabilityPct: 98.3, meetsTarget: false, selfHealS: null, maxLevel: 2, breakerTrips: 4 }),
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
    expect(reportVerdict([layer({ meetsTarget: false })])).toBe('missed');
    expect(reportVerdict([])).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import type { InstancePoint, TransitionItem } from '@/server/services/telemetry/telemetry-read';
import { UTC_ZONE } from '@/components/ui/format-time';
import { chartRows, chartSummary, markersOf, transitionTitle, transitionTone } from './chart-data';

const tr = (machine: TransitionItem['machine'], from: string, to: string, stage = ''): TransitionItem => ({ id: `${machine}${to}`, at: 5, tickId: '1', instanceId: 'i', machine, stage, from, to, cause: 'because', values: {} });
const point = (t: number, over: Partial<InstancePoint> = {}): InstancePoint => ({ t, tickId: '1', up: true, target: 55, effective: 62.4, cpu: 40, p95: 1240, connections: 600, rps: 50, errorRate: 0.02, stageFill: [0.1, 0.2, 0.9, 0.4, 0.5], degradation: 0, breaker: 'closed', ...over });

describe('instance chart data', () => {
  it('titles and colours transitions', () => {
    expect(transitionTitle(tr('weight', '80', '55'))).toBe('Weight target 80 → 55');
    expect(transitionTitle(tr('weight', 'none', '80'))).toBe('Weight target 80');
    expect(transitionTitle(tr('stage', 'active', 'blocked', 'routing'))).toBe('Stage routing active → blocked');
    expect(transitionTitle(tr('breaker', 'closed', 'open'))).toBe('Breaker closed → open');
    expect(transitionTone(tr('weight', '80', '55'))).toBe('warning');
    expect(transitionTone(tr('breaker', 'closed', 'open'))).toBe('danger');
    expect(transitionTone(tr('degradation', 'L1', 'L0'))).toBe('success');
  });

  it('makes markers of the chosen machines only, newest first, capped', () => {
    const ts = [tr('weight', '80', '55'), tr('stage', 'active', 'blocked', 'routing'), tr('breaker', 'closed', 'open')];
    expect(markersOf(ts, ['weight', 'breaker']).map((m) => m.label)).toEqual(['Weight target 80 → 55: because', 'Breaker closed → open: because']);
    expect(markersOf(ts, ['weight', 'stage', 'breaker'], 2)).toHaveLength(2);
  });

  it('flattens stage fill into percent columns and the error rate into percent', () => {
    const [row] = chartRows([point(1)]);
    expect(row).toMatchObject({ t: 1, fill_access: 10, fill_routing: 90, fill_execution: 50, errorPct: 2, effective: 62.4, degradation: 0, breakerLevel: 0 });
    expect(chartRows([point(1, { breaker: 'open' }), point(2, { breaker: null })]).map((r) => r.breakerLevel)).toEqual([2, null]);
  });

  it('names the newest point in the summary', () => {
    const range = { from: 0, to: 300_000, relative: true, zone: UTC_ZONE };
    const s = chartSummary('Weight', range, [point(1000), point(2000, { effective: 60 })], [
      { label: 'effective', pick: (p) => p.effective, format: (v) => String(Math.round(v ?? 0)) },
      { label: 'target', pick: (p) => p.target, format: (v) => String(v) },
    ]);
    expect(s).toMatch(/^Weight over the last 5 minutes: effective 60, target 55 at 00:00:02 UTC\.$/);
    expect(chartSummary('CPU', range, [], [])).toBe('CPU over the last 5 minutes: no data.');
  });
});

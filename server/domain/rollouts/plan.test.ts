import { describe, expect, it } from 'vitest';
import { desiredCanaryPct, formatDuration, PROMOTE, promotedRouting, raisesCanary, rolledBackRouting, routingAt, stepSummary } from './plan';
import { exampleSpec, type RolloutSpec } from './spec';

const spec = exampleSpec('order-api');
const rule = { header: 'X-Abtest-Group', equals: 'v2-canary', version: 'v2', match: 'exact' };

describe('routingAt', () => {
  it('is 100 % stable before any step and before any setWeight, with header routes accumulated', () => {
    expect(routingAt(spec, -1)).toEqual({ versionWeights: { v1: 100, v2: 0 }, headerRules: [] });
    expect(routingAt(spec, 0)).toEqual({ versionWeights: { v1: 100, v2: 0 }, headerRules: [rule] });
  });

  it('takes the version weights from the last setWeight and keeps the header rules', () => {
    expect(routingAt(spec, 1)).toEqual({ versionWeights: { v1: 95, v2: 5 }, headerRules: [rule] });
    // Analysis and approval steps change nothing.
    expect(routingAt(spec, 3)).toEqual(routingAt(spec, 1));
    expect(routingAt(spec, 4).versionWeights).toEqual({ v1: 80, v2: 20 });
    expect(routingAt(spec, 7)).toEqual({ versionWeights: { v1: 50, v2: 50 }, headerRules: [rule] });
    // Past the end = after the last step.
    expect(routingAt(spec, 99)).toEqual(routingAt(spec, 7));
  });

  it('keeps header routes in step order with their match, a repeated one once', () => {
    const s: RolloutSpec = {
      ...spec,
      steps: [
        { kind: 'setHeaderRoute', header: 'X-User-Id', match: 'prefix', value: 'staff-' },
        { kind: 'setWeight', weight: 30 },
        { kind: 'setHeaderRoute', header: 'X-Device-Type', match: 'regex', value: '^ios' },
        { kind: 'setHeaderRoute', header: 'x-user-id', match: 'prefix', value: 'staff-' },
        { kind: 'setWeight', weight: 10 },
      ],
    };
    expect(routingAt(s, 4)).toEqual({
      versionWeights: { v1: 90, v2: 10 },
      headerRules: [
        { header: 'X-User-Id', equals: 'staff-', version: 'v2', match: 'prefix' },
        { header: 'X-Device-Type', equals: '^ios', version: 'v2', match: 'regex' },
      ],
    });
    expect(desiredCanaryPct(s, 3)).toBe(30);
    expect(desiredCanaryPct(s, 4)).toBe(10);
    expect(desiredCanaryPct(s, -1)).toBe(0);
  });

  it('promotes to 100 % canary and rolls back to 100 % stable, header rules removed', () => {
    expect(promotedRouting(spec)).toEqual({ versionWeights: { v1: 0, v2: 100 }, headerRules: [] });
    expect(rolledBackRouting(spec)).toEqual({ versionWeights: { v1: 100, v2: 0 }, headerRules: [] });
  });
});

describe('raisesCanary', () => {
  it('is true for a weight above the one in force, a new header route and promotion', () => {
    expect(spec.steps.map((_, i) => raisesCanary(spec, i))).toEqual([true, true, false, false, true, false, true, false]);
    expect(raisesCanary(spec, PROMOTE)).toBe(true);
    expect(raisesCanary(spec, 8)).toBe(false);
  });

  it('is false for promotion when the steps already send 100 % to the canary', () => {
    const full: RolloutSpec = { ...spec, steps: [{ kind: 'setWeight', weight: 100 }] };
    expect(raisesCanary(full, PROMOTE)).toBe(false);
    expect(raisesCanary({ ...spec, steps: [{ kind: 'setWeight', weight: 100 }, { kind: 'setWeight', weight: 50 }] }, PROMOTE)).toBe(true);
    expect(raisesCanary({ ...spec, steps: [{ kind: 'pause' }] }, PROMOTE)).toBe(true);
  });

  it('is false for a lower or equal weight and a header route already in force', () => {
    const s: RolloutSpec = {
      ...spec,
      steps: [
        { kind: 'setWeight', weight: 0 },
        { kind: 'setWeight', weight: 20 },
        { kind: 'setWeight', weight: 20 },
        { kind: 'setWeight', weight: 10 },
        { kind: 'setHeaderRoute', header: 'X-A', match: 'exact', value: 'a' },
        { kind: 'setHeaderRoute', header: 'X-A', match: 'exact', value: 'a' },
        { kind: 'setHeaderRoute', header: 'X-A', match: 'prefix', value: 'a' },
      ],
    };
    expect(s.steps.map((_, i) => raisesCanary(s, i))).toEqual([false, true, false, false, true, false, true]);
  });
});

describe('stepSummary', () => {
  it('says each step in words', () => {
    expect(spec.steps.map((s) => stepSummary(s, 'v2'))).toEqual([
      'Route X-Abtest-Group = v2-canary → v2',
      'Set weight 5 %',
      'Analysis 2 min: error rate +50 %, p95 +20 %',
      'Approval: 1 approver within 1 h, then stay paused',
      'Set weight 20 %',
      'Pause 60 s',
      'Set weight 50 %',
      'Pause 60 s',
    ]);
    expect(stepSummary({ kind: 'pause' })).toBe('Pause until resumed');
    expect(stepSummary({ kind: 'approval', quorum: 2, expiresInS: 3600, onExpiry: 'abort' })).toBe('Approval: 2 approvers within 1 h, then abort');
    expect(stepSummary({ kind: 'setHeaderRoute', header: 'X-User-Id', match: 'prefix', value: 'qa-' })).toBe('Route X-User-Id starts with qa- → canary');
    expect(stepSummary({ kind: 'setHeaderRoute', header: 'X-User-Id', match: 'regex', value: '^qa' }, 'v3')).toBe('Route X-User-Id matches /^qa/ → v3');
  });

  it('formats durations', () => {
    expect([59, 60, 119, 120, 150, 3600, 5400, 86_400, 90_061].map(formatDuration)).toEqual(['59 s', '60 s', '119 s', '2 min', '2 min 30 s', '1 h', '1 h 30 min', '1 d', '1 d 1 h 1 min 1 s']);
  });
});

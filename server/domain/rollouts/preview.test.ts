import { describe, expect, it } from 'vitest';
import { defaultStrategyPolicy } from '../policy-defaults';
import { splitTraffic } from '../traffic-split';
import type { GuardInstance } from './guards';
import { routingAt } from './plan';
import { previewRollout, type PreviewFleet } from './preview';
import { exampleSpec } from './spec';

const spec = exampleSpec('order-api');
const fleet: PreviewFleet = {
  instances: [
    { id: 'a1', name: 'order-api-a-1', zone: 'eu-west-a', appVersion: 'v1', weight: 100 },
    { id: 'a2', name: 'order-api-a-2', zone: 'eu-west-a', appVersion: 'v1', weight: 50 },
    { id: 'b1', name: 'order-api-b-1', zone: 'eu-west-b', appVersion: 'v1', weight: 100 },
    { id: 'b3', name: 'order-api-b-3', zone: 'eu-west-b', appVersion: 'v2', weight: 80 },
  ],
  strategies: defaultStrategyPolicy.order,
  headerMix: { 'X-Abtest-Group=v2-canary': 0.1 },
};
const calm = (name: string, zone: string, over: Partial<GuardInstance> = {}): GuardInstance => ({ name, zone, level: 0, breakers: [{ state: 'closed' }], stageFill: [0.1, 0.1, 0.1, 0.1, 0.1], ...over });
const health = { instances: [calm('order-api-a-1', 'eu-west-a', { level: 3 }), calm('order-api-b-1', 'eu-west-b', { stageFill: [0.1, 0.1, 0.9, 0.1, 0.1] }), calm('order-api-b-3', 'eu-west-b')] };

describe('previewRollout', () => {
  const preview = previewRollout(spec, fleet, health);

  it('has one entry per step with its routing, words and the split the live loop would compute', () => {
    expect(preview.problems).toEqual([]);
    expect(preview.steps.map((s) => s.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(preview.steps[1]!.summary).toBe('Set weight 5 %');
    // Step 0: only the header cohort (10 %) reaches v2. Step 1: that plus 5 % of the other 90 %.
    expect(preview.steps[0]!.versionSplit).toEqual({ v1: 90, v2: 10 });
    expect(preview.steps[1]!.versionSplit).toEqual({ v1: 85.5, v2: 14.5 });
    const live = splitTraffic({ routing: routingAt(spec, 4), instances: fleet.instances, strategies: fleet.strategies, headerMix: fleet.headerMix! });
    for (const i of preview.steps[4]!.instances) expect(i.sharePct).toBeCloseTo((live.shares.get(i.id) ?? 0) * 100, 1);
    expect(preview.steps[4]!.instances.find((i) => i.id === 'a1')).toEqual({ id: 'a1', name: 'order-api-a-1', zone: 'eu-west-a', version: 'v1', weight: 100, sharePct: expect.any(Number) as unknown });
    expect(preview.steps[4]!.unservedPct).toBe(0);
  });

  it('lists today\'s holds only on steps that raise canary traffic, and only from canary zones', () => {
    const held = preview.steps.filter((s) => s.holds.length > 0).map((s) => s.index);
    expect(held).toEqual([0, 1, 4, 6]);
    expect(preview.steps.every((s) => s.raisesCanary === held.includes(s.index))).toBe(true);
    // eu-west-a runs no v2: its L3 instance does not hold the canary.
    expect(preview.steps[1]!.holds.map((h) => h.words)).toEqual(['eu-west-b: order-api-b-1 routing buffer 90 % (guard: ≥ 85 %)']);
  });

  it('says when a version has no instance or no weight: that side would get no traffic', () => {
    const noCanary = previewRollout(spec, { ...fleet, instances: fleet.instances.filter((i) => i.appVersion !== 'v2') }, health);
    expect(noCanary.problems).toEqual([{ path: 'canaryVersion', message: 'No instance of order-api runs v2 yet: the canary would get no traffic' }]);
    expect(noCanary.steps[1]!.unservedPct).toBe(14.5);
    const drained = previewRollout(spec, { ...fleet, instances: fleet.instances.map((i) => (i.appVersion === 'v1' ? { ...i, weight: 0 } : i)) }, health);
    expect(drained.problems).toEqual([{ path: 'stableVersion', message: 'Every instance of order-api running v1 has weight 0 now: requests kept on stable would find no instance' }]);
  });
});

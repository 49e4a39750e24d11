// The shared draft step against the plain one: a draft replayed on its own runtime (full steps)
// and a draft sharing the published runtime's unchanged parts (only the changed part stepped)
// must give the same weights and the same transitions at every tick, for each policy kind.
import { describe, expect, it } from 'vitest';
import { changedParts, shareUnchanged } from './draft-step';
import { advanceInstance, initialRuntime, STEP_PARTS, type RestoredRuntime } from './instance-step';
import type { FleetPolicies, Transition } from './model';
import { defaultPolicies } from './policy-defaults';
import { randomTelemetry } from './random-telemetry';
import { seededRandom } from './seeded-random';

const current: FleetPolicies = { weight: defaultPolicies.weight, watermark: defaultPolicies.watermark, breaker: defaultPolicies.breaker };
const drafts: Record<string, FleetPolicies> = {
  weight: { ...current, weight: { ...current.weight, thresholds: { cpuPct: 50, p95Ms: 600, connections: 2000 }, smoothingWindowS: 10, periodicRecomputeS: 7 } },
  watermark: { ...current, watermark: { ...current.watermark, breakPct: 80, degradePct: 70, breakHoldS: 2, stepDownHoldS: 8, ingress: { ...current.watermark.ingress, timeoutsToIsolate: 2 } } },
  breaker: { ...current, breaker: { ...current.breaker, factor: 1.1, minSamples: 5, staticErrorRatio: 0.2, coolDownS: 3, halfOpenProbes: 2 } },
};
const T0 = 1_700_000_000_000;
const restore: RestoredRuntime = { targetWeight: 60, effectiveWeight: 45, degradation: 1, breaker: 'closed', stageState: ['active', 'idle', 'blocked', 'active', 'idle'], weightMode: 'ready' };
const key = (t: Transition) => JSON.stringify([t.machine, t.stage, t.from, t.to, t.cause, t.at, t.values]);

/** The STEP_PARTS bit of the machine that made `t` (the ingress buffer is the watermark policy's). */
export function transitionPart(t: Transition): number {
  switch (t.machine) {
    case 'weight':
      return STEP_PARTS.weight;
    case 'stage':
      return STEP_PARTS.stages;
    case 'degradation':
      return STEP_PARTS.watermark;
    case 'breaker':
      return t.stage === 'access' ? STEP_PARTS.watermark : STEP_PARTS.breaker;
  }
}

describe('shared draft step', () => {
  it('changedParts names only the kinds whose policy object differs', () => {
    expect(changedParts(current, { ...current })).toBe(0);
    expect(changedParts(current, drafts.weight!)).toBe(1);
    expect(changedParts(current, drafts.watermark!)).toBe(4);
    expect(changedParts(current, drafts.breaker!)).toBe(8);
  });

  for (const [kind, proposed] of Object.entries(drafts)) {
    // CPU-bound with no condition to wait for; the limit only stops a runaway loop.
    it(`a ${kind} draft: the same weights and transitions as a draft stepped on its own`, { timeout: 60_000 }, () => {
      const rnd = seededRandom(4242);
      const changed = changedParts(current, proposed);
      const kinds = new Set<string>();
      const mismatches: string[] = [];
      for (let run = 0; run < 8; run++) {
        const published = initialRuntime(T0, restore);
        const alone = initialRuntime(T0, restore);
        const shared = initialRuntime(T0, restore);
        shareUnchanged(shared, published, changed);
        const next = randomTelemetry(rnd, 'd', T0);
        for (let k = 0; k < 400; k++) {
          const input = next();
          const b = advanceInstance(published, { ...input, policies: current });
          const a = advanceInstance(alone, { ...input, policies: proposed });
          const s = advanceInstance(shared, { ...input, policies: proposed }, changed);
          const merged = [...b.transitions.filter((x) => (transitionPart(x) & changed) === 0), ...s.transitions];
          for (const x of a.transitions) kinds.add(x.machine);
          if (!Object.is(a.effectiveWeight, s.effectiveWeight)) mismatches.push(`run ${run} step ${k}: weight ${a.effectiveWeight} !== ${s.effectiveWeight}`);
          const [x, y] = [a.transitions.map(key).sort(), merged.map(key).sort()];
          if (JSON.stringify(x) !== JSON.stringify(y)) mismatches.push(`run ${run} step ${k}: ${JSON.stringify(x)} !== ${JSON.stringify(y)}`);
          if (JSON.stringify(a.stageLevels) !== JSON.stringify(s.stageLevels)) mismatches.push(`run ${run} step ${k}: levels differ`);
        }
      }
      expect(mismatches.slice(0, 5)).toEqual([]);
      // Every machine moved, so each part was exercised on both sides.
      expect([...kinds].sort()).toEqual(['breaker', 'degradation', 'stage', 'weight']);
    });
  }
});

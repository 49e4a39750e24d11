// The count-only step (advanceCounted, what the what-if replay takes) against the full step the
// live loop takes: over seeded random telemetry both must leave the same runtime (but the weight
// explanation, which only the full step builds), give the same
// effective weight to the last bit, and count exactly the transitions the full step builds, by
// kind and machine part; a tally fed the counts must equal one fed the transitions.
import { describe, expect, it } from 'vitest';
import { changedParts, shareUnchanged } from './draft-step';
import { advanceCounted, advanceInstance, ALL_STEP_PARTS, initialRuntime, type InstanceRuntime, type RestoredRuntime } from './instance-step';
import type { FleetPolicies } from './model';
import { defaultPolicies } from './policy-defaults';
import { ReplayTally } from './replay';
import { randomTelemetry } from './random-telemetry';
import { seededRandom } from './seeded-random';
import { countTransition, newTransitionCounts, transitionsIn, type TransitionCounts } from './step-counts';

const current: FleetPolicies = { weight: defaultPolicies.weight, watermark: defaultPolicies.watermark, breaker: defaultPolicies.breaker };
// Short holds and low limits, so every machine (the ingress buffer and the breaker included) moves often.
const lively: FleetPolicies = {
  weight: { ...current.weight, thresholds: { cpuPct: 50, p95Ms: 600, connections: 2000 }, smoothingWindowS: 10, periodicRecomputeS: 7 },
  watermark: { ...current.watermark, breakPct: 80, degradePct: 70, breakHoldS: 2, stepDownHoldS: 8, ingress: { ...current.watermark.ingress, timeoutsToIsolate: 2 } },
  breaker: { ...current.breaker, factor: 1.1, minSamples: 5, staticErrorRatio: 0.2, coolDownS: 3, halfOpenProbes: 2 },
};
const T0 = 1_700_000_000_000;
const restore: RestoredRuntime = { targetWeight: 60, effectiveWeight: 45, degradation: 1, breaker: 'closed', stageState: ['active', 'idle', 'blocked', 'active', 'idle'], weightMode: 'ready' };

// Everything the runtime carries but weight.explanation: the count-only step builds no
// explanation (the replay reads none), so that, and only that, is not compared. The target,
// ramp, mode and recompute schedule it explained are.
const plain = (r: InstanceRuntime) => JSON.stringify({ ...r, weight: { ...r.weight, explanation: undefined } });

describe('advanceCounted — the what-if replay’s count-only step', () => {
  for (const policies of [current, lively]) {
    // CPU-bound with no condition to wait for; the limit only stops a runaway loop.
    it(`${policies === current ? 'default' : 'lively'} policies: the same runtime, weights and transition counts as advanceInstance`, { timeout: 60_000 }, () => {
      const rnd = seededRandom(policies === current ? 515 : 616);
      const mismatches: string[] = [];
      const total = newTransitionCounts();
      const byTransition = new ReplayTally();
      const byCounts = new ReplayTally();
      for (let run = 0; run < 12; run++) {
        const full = run % 2 === 0 ? initialRuntime(T0) : initialRuntime(T0, restore);
        const counted = run % 2 === 0 ? initialRuntime(T0) : initialRuntime(T0, restore);
        const next = randomTelemetry(rnd, 'c', T0);
        for (let k = 0; k < 400; k++) {
          const input = { ...next(), policies };
          const a = advanceInstance(full, input);
          const fromFull = newTransitionCounts();
          for (const x of a.transitions) {
            countTransition(fromFull, x);
            byTransition.transition(x);
          }
          const c = newTransitionCounts();
          const w = advanceCounted(counted, input, ALL_STEP_PARTS, c);
          byCounts.counted(c, ALL_STEP_PARTS);
          byTransition.point(a.effectiveWeight);
          byCounts.point(w);
          for (const key of Object.keys(c) as Array<keyof TransitionCounts>) total[key] += c[key];
          if (!Object.is(a.effectiveWeight, w)) mismatches.push(`run ${run} step ${k}: weight ${a.effectiveWeight} !== ${w}`);
          if (JSON.stringify(fromFull) !== JSON.stringify(c)) mismatches.push(`run ${run} step ${k}: ${JSON.stringify(fromFull)} !== ${JSON.stringify(c)}`);
          if (transitionsIn(c, ALL_STEP_PARTS) !== a.transitions.length) mismatches.push(`run ${run} step ${k}: ${transitionsIn(c, ALL_STEP_PARTS)} counted, ${a.transitions.length} built`);
          if (plain(full) !== plain(counted)) mismatches.push(`run ${run} step ${k}: runtimes differ`);
        }
        byTransition.endInstance();
        byCounts.endInstance();
      }
      expect(mismatches.slice(0, 5)).toEqual([]);
      expect(byCounts.counts()).toEqual(byTransition.counts());
      // Every kind was counted, so each count site was exercised.
      if (policies === lively) for (const [key, n] of Object.entries(total)) expect(n, key).toBeGreaterThan(0);
    });
  }

  it('a draft sharing the published runtime counts, per part, what the full shared step builds', { timeout: 60_000 }, () => {
    const rnd = seededRandom(717);
    const changed = changedParts(current, { ...current, watermark: lively.watermark });
    const proposed = { ...current, watermark: lively.watermark };
    const mismatches: string[] = [];
    for (let run = 0; run < 6; run++) {
      const [pubFull, draftFull, pubCounted, draftCounted] = [0, 1, 2, 3].map(() => initialRuntime(T0, restore)) as [InstanceRuntime, InstanceRuntime, InstanceRuntime, InstanceRuntime];
      shareUnchanged(draftFull, pubFull, changed);
      shareUnchanged(draftCounted, pubCounted, changed);
      const next = randomTelemetry(rnd, 'c', T0);
      for (let k = 0; k < 400; k++) {
        const input = next();
        advanceInstance(pubFull, { ...input, policies: current });
        const a = advanceInstance(draftFull, { ...input, policies: proposed }, changed);
        advanceCounted(pubCounted, { ...input, policies: current }, ALL_STEP_PARTS, newTransitionCounts());
        const c = newTransitionCounts();
        const w = advanceCounted(draftCounted, { ...input, policies: proposed }, changed, c);
        const fromFull = newTransitionCounts();
        for (const x of a.transitions) countTransition(fromFull, x);
        if (!Object.is(a.effectiveWeight, w)) mismatches.push(`run ${run} step ${k}: weight ${a.effectiveWeight} !== ${w}`);
        if (JSON.stringify(fromFull) !== JSON.stringify(c)) mismatches.push(`run ${run} step ${k}: ${JSON.stringify(fromFull)} !== ${JSON.stringify(c)}`);
        if (transitionsIn(c, ALL_STEP_PARTS & ~changed) !== 0) mismatches.push(`run ${run} step ${k}: counted outside the draft's parts`);
        if (plain(pubFull) !== plain(pubCounted) || plain(draftFull) !== plain(draftCounted)) mismatches.push(`run ${run} step ${k}: runtimes differ`);
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  });
});

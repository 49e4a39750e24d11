// advanceInstance is stepInstance without the snapshot: over the same ticks, two runtimes (one
// stepped, one advanced) decide the same weights and transitions and end in the same state.
import { describe, expect, it } from 'vitest';
import { advanceInstance, initialRuntime, stepInstance } from './instance-step';
import { STAGES, type AdminState, type FleetPolicies, type InstanceTelemetry } from './model';
import { defaultPolicies } from './policy-defaults';
import { seededRandom } from './seeded-random';

const policies: FleetPolicies = { weight: defaultPolicies.weight, watermark: { ...defaultPolicies.watermark, breakPct: 80, degradePct: 70 }, breaker: defaultPolicies.breaker };
const T0 = 1_700_000_000_000;

describe('advanceInstance', () => {
  for (const seed of [1, 2, 3]) {
    it(`decides what stepInstance decides, tick by tick (seed ${seed})`, () => {
      const rnd = seededRandom(seed);
      const stepped = initialRuntime(T0);
      const advanced = initialRuntime(T0);
      const fills = STAGES.map(() => rnd.next());
      let moved = 0;
      for (let k = 1; k <= 600; k++) {
        for (let i = 0; i < fills.length; i++) fills[i] = rnd.chance(0.03) ? rnd.next() : Math.min(1, Math.max(0, fills[i]! + rnd.range(-0.08, 0.08)));
        const requests = rnd.int(0, 300);
        const telemetry: InstanceTelemetry = {
          instanceId: 'x', up: !rnd.chance(0.02), cpuPct: rnd.chance(0.1) ? undefined : rnd.range(20, 100), p95Ms: rnd.range(50, 2000), connections: rnd.range(100, 5000),
          rtMs: rnd.range(20, 3000), requests, errors: rnd.int(0, requests), activeRequests: rnd.int(0, 700), maxConcurrency: 682, ingressWriteTimeouts: rnd.chance(0.05) ? rnd.int(1, 5) : 0,
          stages: STAGES.map((_, i) => ({ fill: fills[i]!, inputs: rnd.int(0, 50), outputs: rnd.int(0, 50), outputBlocked: fills[i]! > 0.97 })),
        };
        const adminState: AdminState = k > 400 && k < 450 ? 'drain' : 'ready';
        const input = { telemetry, adminState, now: T0 + k * 1000, policies };
        const s = stepInstance(stepped, input);
        const a = advanceInstance(advanced, input);
        expect({ effectiveWeight: a.effectiveWeight, recomputed: a.recomputed, transitions: a.transitions, stageLevels: a.stageLevels }).toEqual({
          effectiveWeight: s.effectiveWeight, recomputed: s.recomputed, transitions: s.transitions, stageLevels: s.stageLevels,
        });
        moved += a.transitions.length;
      }
      expect(advanced).toEqual(stepped);
      expect(moved).toBeGreaterThan(20);
    });
  }
});

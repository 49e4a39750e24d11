// Property test of the whole per-instance step: random telemetry (missing fields, outages, admin
// changes, wandering buffer fills) must never produce an out-of-range weight or an illegal transition.
import { describe, expect, it } from 'vitest';
import { BREAKER_TRANSITIONS } from './breaker';
import { initialRuntime, stepInstance, type StepResult } from './instance-step';
import { STAGES, type AdminState, type FleetPolicies, type InstanceTelemetry } from './model';
import { defaultPolicies } from './policy-defaults';
import { seededRandom } from './seeded-random';
import { STAGE_TRANSITIONS } from './stage-machine';

const policies: FleetPolicies = { weight: defaultPolicies.weight, watermark: defaultPolicies.watermark, breaker: defaultPolicies.breaker };
const T0 = 1_700_000_000_000;

describe('stepInstance — properties (seeded random telemetry)', () => {
  it('weights stay in [0, base], targets stand between recomputes, and every transition is legal', () => {
    const rnd = seededRandom(8080);
    const stageRows = new Set(STAGE_TRANSITIONS.map((r) => `${r.from}>${r.to}:${r.cause}`));
    const breakerRows = new Set(BREAKER_TRANSITIONS.map((r) => `${r.from}>${r.to}`));
    const kinds = new Set<string>();
    const seenLevels = new Set<number>();
    for (let run = 0; run < 30; run++) {
      let rt = initialRuntime(T0);
      let prev: StepResult | null = null;
      let admin: AdminState = 'ready';
      let calm = true;
      const fills = STAGES.map(() => rnd.next());
      let now = T0;
      for (let k = 0; k < 400; k++) {
        now += rnd.int(900, 1100);
        if (rnd.chance(0.01)) admin = rnd.pick(['ready', 'ready', 'drain', 'maintenance'] as const);
        const maybe = (lo: number, hi: number) => (rnd.chance(0.1) ? undefined : rnd.range(lo, hi));
        const requests = rnd.chance(0.1) ? 0 : rnd.int(1, 300);
        if (rnd.chance(0.02)) calm = !calm;
        // Fills wander (with the odd jump), so watermarks are held long enough to break stages.
        for (let i = 0; i < fills.length; i++) fills[i] = rnd.chance(0.03) ? rnd.next() : Math.min(1, Math.max(0, fills[i]! + rnd.range(-0.07, 0.07)));
        const t: InstanceTelemetry = {
          instanceId: 'p',
          up: !rnd.chance(0.03),
          // Mostly calm, sometimes over a threshold: both recompute paths get exercised.
          cpuPct: calm ? maybe(0, 80) : maybe(0, 100),
          p95Ms: calm ? maybe(50, 1100) : maybe(50, 2500),
          connections: calm ? maybe(0, 4000) : maybe(0, 6000),
          rtMs: maybe(20, 800),
          requests,
          errors: rnd.chance(0.05) ? requests : rnd.int(0, Math.floor(requests / 10)),
          activeRequests: rnd.int(0, 128),
          maxConcurrency: 128,
          stages: rnd.chance(0.05) ? undefined : fills.map((fill) => ({ fill, inputs: rnd.int(0, 3), outputs: rnd.int(0, 3), outputBlocked: fill > 0.97 || rnd.chance(0.05) })),
          ingressWriteTimeouts: rnd.chance(0.3) ? rnd.int(1, 5) : 0,
        };
        const res = stepInstance(rt, { telemetry: t, adminState: admin, now, policies });
        rt = res.runtime;
        expect(Number.isInteger(res.targetWeight)).toBe(true);
        expect(res.targetWeight).toBeGreaterThanOrEqual(0);
        expect(res.targetWeight).toBeLessThanOrEqual(100);
        expect(res.effectiveWeight).toBeGreaterThanOrEqual(0);
        expect(res.effectiveWeight).toBeLessThanOrEqual(100);
        if (admin !== 'ready' || !t.up) expect([res.targetWeight, res.effectiveWeight]).toEqual([0, 0]);
        if (res.recomputed) kinds.add(res.recomputed.kind);
        const weights = res.transitions.filter((x) => x.machine === 'weight');
        expect(weights.length).toBeLessThanOrEqual(res.recomputed ? 1 : 0);
        if (prev) {
          if (res.recomputed === null) {
            expect(res.targetWeight).toBe(prev.targetWeight);
            // The ramp only ever closes in on the standing target.
            expect(Math.abs(res.effectiveWeight - res.targetWeight)).toBeLessThanOrEqual(Math.abs(prev.effectiveWeight - res.targetWeight) + 1e-9);
          }
          for (const x of res.transitions) {
            if (x.machine === 'stage') expect(stageRows.has(`${x.from}>${x.to}:${x.cause}`) || x.cause === 'instance unreachable').toBe(true);
            if (x.machine === 'breaker') expect(breakerRows.has(`${x.from}>${x.to}`)).toBe(true);
            if (x.machine === 'degradation') {
              const [from, to] = [Number(x.from.slice(1)), Number(x.to.slice(1))];
              expect(from).toBe(prev.degradation);
              if (to < from) expect(from - to).toBe(1);
            }
          }
          for (let i = 0; i < STAGES.length; i++) {
            const mine = res.transitions.filter((x) => x.machine === 'stage' && x.stage === STAGES[i]);
            if (mine.length > 0) {
              expect(mine[0]!.from).toBe(prev.stageStates[i]);
              expect(mine[mine.length - 1]!.to).toBe(res.stageStates[i]);
            } else expect(res.stageStates[i]).toBe(prev.stageStates[i]);
          }
        }
        expect([0, 1, 2, 3]).toContain(res.degradation);
        seenLevels.add(res.degradation);
        prev = res;
      }
      expect(JSON.parse(JSON.stringify(rt))).toEqual(rt);
    }
    expect([...kinds].sort()).toEqual(['admin', 'down', 'initial', 'periodic', 'threshold', 'up']);
    expect(seenLevels).toEqual(new Set([0, 1, 2, 3]));
  });
});

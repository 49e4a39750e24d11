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

// Plain checks collected into a list, asserted once per run: 12,000 steps × a dozen `expect` calls
// took 9–18 s on a busy 2-core machine, almost all of it inside expect. A violation still names
// the run, the step and what broke, so a failure is as readable as before.
function collector() {
  const violations: string[] = [];
  let where = '';
  return {
    violations,
    at: (run: number, step: number) => void (where = `run ${run} step ${step}`),
    check: (ok: boolean, what: string) => void (ok || (violations.length < 20 && violations.push(`${where}: ${what}`))),
    same: (a: unknown, b: unknown, what: string) => void (a === b || (violations.length < 20 && violations.push(`${where}: ${what}: ${String(a)} !== ${String(b)}`))),
  };
}

describe('stepInstance — properties (seeded random telemetry)', () => {
  // CPU-bound with no condition to wait for; the limit only stops a runaway loop.
  it('weights stay in [0, base], targets stand between recomputes, and every transition is legal', { timeout: 120_000 }, () => {
    const { violations, at, check, same } = collector();
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
        at(run, k);
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
        check(Number.isInteger(res.targetWeight), `target ${res.targetWeight} is not an integer`);
        check(res.targetWeight >= 0 && res.targetWeight <= 100, `target ${res.targetWeight} outside [0, 100]`);
        check(res.effectiveWeight >= 0 && res.effectiveWeight <= 100, `effective ${res.effectiveWeight} outside [0, 100]`);
        if (admin !== 'ready' || !t.up) check(res.targetWeight === 0 && res.effectiveWeight === 0, `weights ${res.targetWeight}/${res.effectiveWeight} while ${admin}, up=${t.up}`);
        if (res.recomputed) kinds.add(res.recomputed.kind);
        const weights = res.transitions.filter((x) => x.machine === 'weight');
        check(weights.length <= (res.recomputed ? 1 : 0), `${weights.length} weight transitions, recomputed=${String(res.recomputed?.kind)}`);
        if (prev) {
          if (res.recomputed === null) {
            same(res.targetWeight, prev.targetWeight, 'target moved without a recompute');
            // The ramp only ever closes in on the standing target.
            check(Math.abs(res.effectiveWeight - res.targetWeight) <= Math.abs(prev.effectiveWeight - res.targetWeight) + 1e-9, 'ramp moved away from the target');
          }
          for (const x of res.transitions) {
            if (x.machine === 'stage') check(stageRows.has(`${x.from}>${x.to}:${x.cause}`) || x.cause === 'instance unreachable', `illegal stage transition ${x.from}>${x.to}:${x.cause}`);
            if (x.machine === 'breaker') check(breakerRows.has(`${x.from}>${x.to}`), `illegal breaker transition ${x.from}>${x.to}`);
            if (x.machine === 'degradation') {
              const [from, to] = [Number(x.from.slice(1)), Number(x.to.slice(1))];
              same(from, prev.degradation, 'degradation transition starts elsewhere');
              if (to < from) same(from - to, 1, 'degradation stepped down more than one level');
            }
          }
          for (let i = 0; i < STAGES.length; i++) {
            const mine = res.transitions.filter((x) => x.machine === 'stage' && x.stage === STAGES[i]);
            if (mine.length > 0) {
              same(mine[0]!.from, prev.stageStates[i], `stage ${i} transition starts elsewhere`);
              same(mine[mine.length - 1]!.to, res.stageStates[i], `stage ${i} transition ends elsewhere`);
            } else same(res.stageStates[i], prev.stageStates[i], `stage ${i} changed without a transition`);
          }
        }
        check([0, 1, 2, 3].includes(res.degradation), `degradation ${res.degradation}`);
        seenLevels.add(res.degradation);
        prev = res;
      }
      expect(JSON.parse(JSON.stringify(rt))).toEqual(rt);
    }
    expect(violations).toEqual([]);
    expect([...kinds].sort()).toEqual(['admin', 'down', 'initial', 'periodic', 'threshold', 'up']);
    expect(seenLevels).toEqual(new Set([0, 1, 2, 3]));
  });
});

import { describe, expect, it } from 'vitest';
import { initialRuntime, stepInstance, type InstanceRuntime, type StepResult } from './instance-step';
import type { AdminState, FleetPolicies, InstanceTelemetry, StageTelemetry } from './model';
import { defaultPolicies } from './policy-defaults';

const policies: FleetPolicies = { weight: defaultPolicies.weight, watermark: defaultPolicies.watermark, breaker: defaultPolicies.breaker };
const T0 = 1_700_000_000_000;
const S = 1000;

const stagesAt = (fills: number[], over: Partial<StageTelemetry> = {}): StageTelemetry[] =>
  fills.map((fill) => ({ fill, inputs: 50, outputs: 50, outputBlocked: false, ...over }));

/** CPU 40 %, P95 800 ms, 600 connections → 100 × (1 − 0.2 − 0.12 − 0.024) = 65.6 → 66. */
const telemetry = (over: Partial<InstanceTelemetry> = {}): InstanceTelemetry => ({
  instanceId: 'i-1',
  up: true,
  cpuPct: 40,
  p95Ms: 800,
  connections: 600,
  rtMs: 100,
  requests: 100,
  errors: 0,
  timeouts: 0,
  activeRequests: 10,
  maxConcurrency: 128,
  stages: stagesAt([0.1, 0.1, 0.1, 0.1, 0.1]),
  ingressWriteTimeouts: 0,
  ...over,
});

/** Steps one instance once per second from T0; `at(s)` is T0 + s seconds. */
class Driver {
  rt: InstanceRuntime;
  last!: StepResult;
  constructor(rt: InstanceRuntime = initialRuntime(T0)) {
    this.rt = rt;
  }
  step(s: number, over: Partial<InstanceTelemetry> = {}, adminState: AdminState = 'ready', extra: { policies?: FleetPolicies; forceRecompute?: 'policy' } = {}): StepResult {
    this.last = stepInstance(this.rt, { telemetry: telemetry(over), adminState, now: T0 + s * S, policies: extra.policies ?? policies, forceRecompute: extra.forceRecompute });
    this.rt = this.last.runtime;
    return this.last;
  }
  /** Steps s = from..to with the same telemetry; returns every result. */
  run(from: number, to: number, over: Partial<InstanceTelemetry> = {}, adminState: AdminState = 'ready'): StepResult[] {
    const out: StepResult[] = [];
    for (let s = from; s <= to; s++) out.push(this.step(s, over, adminState));
    return out;
  }
}

const weightTransitions = (r: StepResult) => r.transitions.filter((t) => t.machine === 'weight');

describe('stepInstance — weights', () => {
  it('first step: computes the target, reaches it at once, records "first computation"', () => {
    const d = new Driver();
    const r = d.step(0, { cpuPct: 40, p95Ms: 1240, connections: 600 });
    expect(r.recomputed).toEqual({ kind: 'initial' });
    expect(r.targetWeight).toBe(55);
    expect(r.effectiveWeight).toBe(55);
    expect(r.explanation).toMatchObject({ model: 'linear-decay', base: 100, target: 55, computedAt: T0 });
    expect(weightTransitions(r)).toEqual([
      {
        machine: 'weight',
        from: 'none',
        to: '55',
        cause: 'first computation',
        at: T0,
        values: { target: 55, base: 100, 'value.p95': 1240, 'penalty.p95': 31, 'value.cpu': 40, 'penalty.cpu': 12, 'value.connections': 600, 'penalty.connections': 2.4 },
        trigger: { kind: 'initial' },
      },
    ]);
    expect(r.inputs).toEqual({ cpuPct: 40, p95Ms: 1240, connections: 600 });
    expect(r.inputAgeMs).toEqual({ cpu: 0, p95: 0, connections: 0, recompute: 0 });
  });

  it('reports the sampled inputs and their ages, each on its own cadence', () => {
    const d = new Driver();
    d.step(0);
    d.step(1, { cpuPct: 50, p95Ms: 900, connections: 700 });
    const r2 = d.step(2, { cpuPct: 50, p95Ms: 900, connections: 700 });
    expect(r2.inputs).toEqual({ cpuPct: 40, p95Ms: 800, connections: 600 });
    // The weight was last fully computed on the first step (no threshold crossed, not yet periodic).
    expect(r2.inputAgeMs).toEqual({ cpu: 2000, p95: 2000, connections: 2000, recompute: 2000 });
    const r3 = d.step(3, { cpuPct: 50, p95Ms: 900, connections: 700 });
    expect(r3.inputs).toEqual({ cpuPct: 40, p95Ms: 900, connections: 600 });
    expect(r3.inputAgeMs).toEqual({ cpu: 3000, p95: 0, connections: 3000, recompute: 3000 });
  });

  it('between recomputes the target stands; the periodic recompute picks up below-threshold changes', () => {
    const d = new Driver();
    d.step(0);
    const mid = d.run(1, 29, { cpuPct: 80 });
    expect(mid.every((r) => r.recomputed === null && r.targetWeight === 66)).toBe(true);
    const r = d.step(30, { cpuPct: 80 });
    expect(r.recomputed).toEqual({ kind: 'periodic', everyS: 30 });
    expect(r.targetWeight).toBe(54); // 100 × (1 − 0.2 − 0.24 − 0.024)
    expect(weightTransitions(r)).toMatchObject([{ from: '66', to: '54', cause: 'periodic recompute (every 30 s)' }]);
  });

  it('a periodic phase brings the first periodic recompute forward by that share of the interval, then every 30 s', () => {
    const d = new Driver({ ...initialRuntime(T0), periodicPhase: 0.5 });
    d.step(0);
    expect(d.last.recomputed).toEqual({ kind: 'initial' });
    const mid = d.run(1, 14, { cpuPct: 80 });
    expect(mid.every((r) => r.recomputed === null)).toBe(true);
    expect(d.step(15, { cpuPct: 80 }).recomputed).toEqual({ kind: 'periodic', everyS: 30 });
    expect(d.run(16, 44).every((r) => r.recomputed === null)).toBe(true);
    expect(d.step(45).recomputed).toEqual({ kind: 'periodic', everyS: 30 });
  });

  it('a periodic recompute that does not move the target is not recorded', () => {
    const d = new Driver();
    d.step(0);
    d.run(1, 29);
    const r = d.step(30);
    expect(r.recomputed?.kind).toBe('periodic');
    expect(weightTransitions(r)).toEqual([]);
  });

  it('P95 crossing its threshold recomputes on its next sample; the effective weight ramps over 30 s', () => {
    const d = new Driver();
    d.step(0);
    d.run(1, 2, { p95Ms: 1300 });
    const r = d.step(3, { p95Ms: 1300 });
    expect(r.recomputed).toEqual({ kind: 'threshold', input: 'p95', direction: 'up', value: 1300, threshold: 1200 });
    expect(r.targetWeight).toBe(53);
    expect(weightTransitions(r)).toMatchObject([{ from: '66', to: '53', cause: 'P95 1300 ms crossed 1200 ms', values: { 'penalty.p95': 32.5 } }]);
    expect(r.effectiveWeight).toBe(66);
    d.run(4, 17, { p95Ms: 1300 });
    expect(d.step(18, { p95Ms: 1300 }).effectiveWeight).toBeCloseTo(59.5, 9);
    d.run(19, 32, { p95Ms: 1300 });
    expect(d.step(33, { p95Ms: 1300 }).effectiveWeight).toBe(53);
  });

  it('while above, each new sample recomputes, recorded only when the weight moves; falling back below recomputes once', () => {
    const d = new Driver();
    d.step(0);
    d.run(1, 3, { p95Ms: 1300 });
    const still = d.run(4, 6, { p95Ms: 1300 });
    expect(still.map((r) => r.recomputed?.kind ?? null)).toEqual([null, null, 'threshold']);
    expect(still[2]!.recomputed).toMatchObject({ direction: 'held' });
    // "Weight 53 → 53" every 3 s would say nothing.
    expect(weightTransitions(still[2]!)).toEqual([]);
    const higher = d.run(7, 9, { p95Ms: 1500 });
    expect(weightTransitions(higher[2]!)).toMatchObject([{ from: '53', to: '48', cause: 'P95 1500 ms still above 1200 ms', trigger: { direction: 'held' } }]);
    const back = d.run(10, 15, { p95Ms: 700 });
    expect(back.map((r) => r.recomputed?.kind ?? null)).toEqual([null, null, 'threshold', null, null, null]);
    expect(weightTransitions(back[2]!)).toMatchObject([
      { from: '48', to: '68', cause: 'P95 700 ms fell back below 1200 ms', trigger: { kind: 'threshold', input: 'p95', direction: 'down', value: 700, threshold: 1200 } },
    ]);
  });

  it('CPU over 85 % recomputes at its 5 s sample and says so', () => {
    const d = new Driver();
    d.step(0);
    d.run(1, 4, { cpuPct: 100 });
    const r = d.step(5, { cpuPct: 100 });
    expect(r.recomputed).toMatchObject({ kind: 'threshold', input: 'cpu' });
    expect(weightTransitions(r)[0]!.cause).toBe('CPU 100 % crossed 85 %');
    expect(weightTransitions(r)[0]!.values['penalty.cpu']).toBe(30);
  });

  it('a new crossing outranks an input that merely stays above', () => {
    const d = new Driver();
    d.step(0, { p95Ms: 1300 });
    d.run(1, 14, { p95Ms: 1300, connections: 4800 });
    const r = d.step(15, { p95Ms: 1300, connections: 4800, cpuPct: 90 }); // p95 and CPU both sampled at 15 s
    expect(r.recomputed).toMatchObject({ kind: 'threshold', input: 'cpu', value: 90 });
  });

  it('connections over 4500 recompute at their 10 s sample', () => {
    const d = new Driver();
    d.step(0);
    expect(d.run(1, 9, { connections: 4800 }).every((r) => r.recomputed === null)).toBe(true);
    d.step(10, { connections: 4800 });
    expect(d.last.recomputed).toMatchObject({ kind: 'threshold', input: 'connections', value: 4800, threshold: 4500 });
  });

  it('drain takes the instance out at once; return to service ramps it back in', () => {
    const d = new Driver();
    d.step(0);
    const r = d.step(1, {}, 'drain');
    expect(r).toMatchObject({ targetWeight: 0, effectiveWeight: 0, recomputed: { kind: 'admin', state: 'drain' } });
    expect(weightTransitions(r)).toMatchObject([{ from: '66', to: '0', cause: 'instance drained by an operator', values: { target: 0, base: 100 } }]);
    // Inputs crossing thresholds while drained do not bring the weight back.
    const drained = [...d.run(2, 20, { p95Ms: 1500 }, 'drain'), ...d.run(21, 40, {}, 'drain')];
    expect(drained.every((x) => x.recomputed === null && x.targetWeight === 0 && x.effectiveWeight === 0 && x.transitions.every((t) => t.machine !== 'weight'))).toBe(true);
    const back = d.step(41, {}, 'ready');
    expect(back.recomputed).toEqual({ kind: 'admin', state: 'ready' });
    expect(weightTransitions(back)[0]).toMatchObject({ from: '0', to: '66', cause: 'instance returned to service by an operator' });
    expect(back.effectiveWeight).toBe(0);
    d.run(42, 55);
    expect(d.step(56).effectiveWeight).toBeCloseTo(33, 9);
  });

  it('maintenance is recorded as such', () => {
    const d = new Driver();
    d.step(0);
    expect(weightTransitions(d.step(1, {}, 'maintenance'))[0]!.cause).toBe('instance put in maintenance by an operator');
  });

  it('an unreachable instance drops to 0 at once and ramps back in when reachable again', () => {
    const d = new Driver();
    d.step(0);
    const down = d.step(1, { up: false, stages: undefined, cpuPct: undefined, p95Ms: undefined, connections: undefined });
    expect(down).toMatchObject({ targetWeight: 0, effectiveWeight: 0, recomputed: { kind: 'down' } });
    expect(weightTransitions(down)[0]).toMatchObject({ from: '66', to: '0', cause: 'instance unreachable' });
    // Its stages are gone with it.
    expect(down.stageStates).toEqual(['idle', 'idle', 'idle', 'idle', 'idle']);
    expect(down.stageFill).toEqual([0, 0, 0, 0, 0]);
    expect(down.transitions.filter((t) => t.machine === 'stage').every((t) => t.cause === 'instance unreachable')).toBe(true);
    expect(d.step(2, { up: false }).recomputed).toBeNull();
    const up = d.step(3);
    expect(up.recomputed).toEqual({ kind: 'up' });
    expect(weightTransitions(up)[0]).toMatchObject({ from: '0', to: '66', cause: 'instance reachable again' });
    expect(up.effectiveWeight).toBe(0);
  });

  it('a policy change recomputes with the new constants', () => {
    const d = new Driver();
    d.step(0);
    const richer = { ...policies, weight: { ...policies.weight, base: 200 } };
    const r = d.step(1, {}, 'ready', { policies: richer, forceRecompute: 'policy' });
    expect(r.recomputed).toEqual({ kind: 'policy' });
    expect(r.targetWeight).toBe(131);
    expect(weightTransitions(r)).toMatchObject([{ from: '66', to: '131', cause: 'policy changed', values: { base: 200 } }]);
    const same = d.step(2, {}, 'ready', { policies: richer, forceRecompute: 'policy' });
    expect(same.recomputed).toEqual({ kind: 'policy' });
    expect(weightTransitions(same)).toEqual([]);
  });

  it('a threshold crossing in the same tick as a policy change is what gets recorded', () => {
    const d = new Driver();
    d.step(0);
    d.run(1, 2);
    const richer = { ...policies, weight: { ...policies.weight, base: 200 } };
    const r = d.step(3, { p95Ms: 1300 }, 'ready', { policies: richer, forceRecompute: 'policy' });
    expect(r.recomputed).toMatchObject({ kind: 'threshold', input: 'p95' });
    expect(r.targetWeight).toBe(106); // 200 × 0.531, the new policy
  });

  it('every instance records its first computation, whatever its state', () => {
    for (const [over, admin] of [[{}, 'ready'], [{}, 'drain'], [{ up: false }, 'ready']] as const) {
      const r = new Driver().step(0, over, admin);
      expect(weightTransitions(r)).toHaveLength(1);
      expect(weightTransitions(r)[0]!.from).toBe('none');
    }
  });
});

describe('initialRuntime — a new leader resumes from the last persisted sample', () => {
  it('continues the ramp, the ladder, the breaker and the stage states', () => {
    const rt = initialRuntime(T0, { targetWeight: 40, effectiveWeight: 70, degradation: 2, breaker: 'open', stageState: ['active', 'blocked', 'idle', 'bogus', 'active'] });
    const d = new Driver(rt);
    const r = d.step(1, { stages: undefined });
    expect(r.recomputed).toEqual({ kind: 'initial' });
    expect(r.targetWeight).toBe(66);
    expect(weightTransitions(r)[0]).toMatchObject({ from: '40', to: '66' });
    // No jump: the effective weight continues from where the old leader left it.
    expect(r.effectiveWeight).toBeCloseTo(69, 9);
    expect(r.stageStates).toEqual(['active', 'blocked', 'idle', 'idle', 'active']);
    expect(r.degradation).toBe(2);
    expect(r.breaker).toBe('open');
    // Restored stage states change through the table; the one that could not be restored is adopted.
    const seen = d.step(2).transitions.filter((t) => t.machine === 'stage');
    expect(seen.map((t) => [t.stage, t.from, t.to])).toEqual([
      ['ratelimit', 'blocked', 'active'],
      ['routing', 'idle', 'active'],
    ]);
    d.run(3, 9);
    expect(d.step(10).breaker).toBe('half-open');
    d.run(11, 30);
    expect(d.step(31).degradation).toBe(1);
  });

  it('without a target it starts from the effective weight', () => {
    const d = new Driver(initialRuntime(T0, { effectiveWeight: 20 }));
    expect(d.step(0).effectiveWeight).toBe(20);
    expect(d.step(15).effectiveWeight).toBeCloseTo(43, 9);
  });
});

describe('stepInstance — stages, degradation, ingress, breaker', () => {
  it('stage transitions name the stage and carry the measurements; time in state accumulates', () => {
    const d = new Driver();
    const first = d.step(0);
    // A fresh runtime adopts what it first sees without recording it.
    expect(first.transitions.filter((t) => t.machine === 'stage')).toEqual([]);
    expect(first.stageStates).toEqual(['active', 'active', 'active', 'active', 'active']);
    const blocked = stagesAt([0.1, 0.1, 0.99, 0.1, 0.1]);
    blocked[2]!.outputBlocked = true;
    const r = d.step(1, { stages: blocked });
    expect(r.transitions.filter((t) => t.machine === 'stage')).toEqual([
      { machine: 'stage', stage: 'routing', from: 'active', to: 'blocked', cause: 'output buffer full', at: T0 + S, values: { fill: 0.99, inputs: 50, outputs: 50 } },
    ]);
    expect(r.stageStates).toEqual(['active', 'active', 'blocked', 'active', 'active']);
    d.step(2, { stages: blocked });
    const r3 = d.step(3);
    expect(r3.stageTimeMs[2]).toEqual({ idle: 0, active: 1000, blocked: 2000 });
    expect(r3.stageTimeMs[0]).toEqual({ idle: 0, active: 3000, blocked: 0 });
  });

  it('climbs the ladder L0 → L1 → L2 → L3 with the SPEC triggers, then steps down one level per 30 s', () => {
    const d = new Driver();
    d.step(0);
    const hot = (s: number) => (s >= 2 ? [0.1, 0.1, 0.1, 0.97, 0.97] : [0.1, 0.1, 0.1, 0.1, 0.97]);
    const ladder: Array<[number, string, string, string]> = [];
    for (let s = 1; s <= 8; s++) {
      const r = d.step(s, { stages: stagesAt(hot(s)) });
      for (const t of r.transitions) if (t.machine === 'degradation') ladder.push([s, t.from, t.to, t.cause]);
    }
    expect(ladder).toEqual([
      [1, 'L0', 'L1', 'stage execution at 97 % ≥ 85 %: non-critical fields dropped'],
      [6, 'L1', 'L2', 'stage execution broken: fill ≥ 95 % for 5 s'],
      [7, 'L2', 'L3', '2 stages broken (state, execution): route switch to the backup route'],
    ]);
    expect(d.last.degradation).toBe(3);
    expect(d.last.routeSwitched).toBe(true);
    expect(d.last.stageLevels).toEqual(['normal', 'normal', 'normal', 'broken', 'broken']);
    const down: Array<[number, string, string, string]> = [];
    for (let s = 9; s <= 130; s++) for (const t of d.step(s).transitions) if (t.machine === 'degradation') down.push([s, t.from, t.to, t.cause]);
    expect(down).toEqual([
      [39, 'L3', 'L2', 'fewer than 2 stages broken for 30 s'],
      [69, 'L2', 'L1', 'no stage broken for 30 s'],
      [99, 'L1', 'L0', 'every stage below 85 % for 30 s'],
    ]);
    expect(d.last.routeSwitched).toBe(false);
  });

  it('isolates the ingress buffer after 3 ticks with write timeouts, as the access stage breaker', () => {
    const d = new Driver();
    d.step(0);
    d.run(1, 2, { ingressWriteTimeouts: 3 });
    const r = d.step(3, { ingressWriteTimeouts: 3 });
    expect(r.ingress).toBe('open');
    expect(r.transitions.filter((t) => t.machine === 'breaker')).toMatchObject([{ stage: 'access', from: 'closed', to: 'open', values: { writeTimeouts: 3, consecutiveTicks: 3, retryInS: 1 } }]);
    expect(d.step(4).transitions.find((t) => t.stage === 'access')).toMatchObject({ from: 'open', to: 'half-open' });
    expect(d.step(5).transitions.find((t) => t.stage === 'access')).toMatchObject({ from: 'half-open', to: 'closed' });
  });

  it('opens the instance breaker on errors (static rule while the window is thin), with its values', () => {
    const d = new Driver();
    const r = d.step(0, { errors: 50, timeouts: 10 });
    expect(r.breaker).toBe('open');
    expect(r.transitions.filter((t) => t.machine === 'breaker')).toMatchObject([{ from: 'closed', to: 'open', values: { errorRatio: 0.6, requests: 100, failures: 60 } }]);
    expect(r.transitions.find((t) => t.machine === 'breaker')!.stage).toBeUndefined();
  });
});

describe('stepInstance — runtime and results', () => {
  it('the runtime survives JSON (persisted or handed over) and steps on identically', () => {
    const a = new Driver();
    const b = new Driver();
    for (let s = 0; s < 120; s++) {
      const over: Partial<InstanceTelemetry> = { p95Ms: 600 + ((s * 137) % 1000), cpuPct: 30 + ((s * 53) % 70), stages: stagesAt([0.2, 0.5, (s % 40) / 40, 0.96, 0.3]), errors: s % 7 === 0 ? 70 : 0 };
      const ra = a.step(s, over);
      b.rt = JSON.parse(JSON.stringify(b.rt)) as InstanceRuntime;
      const rb = b.step(s, over);
      expect({ ...rb, runtime: null }).toEqual({ ...ra, runtime: null });
    }
  });

  it('results are snapshots: the next step does not change them', () => {
    const d = new Driver();
    const r0 = d.step(0);
    const fill = [...r0.stageFill];
    const states = [...r0.stageStates];
    const time = r0.stageTimeMs.map((t) => ({ ...t }));
    d.step(1, { stages: stagesAt([0.9, 0.9, 0.9, 0.9, 0.9], { outputBlocked: true }) });
    expect(r0.stageFill).toEqual(fill);
    expect(r0.stageStates).toEqual(states);
    expect(r0.stageTimeMs).toEqual(time);
  });
});

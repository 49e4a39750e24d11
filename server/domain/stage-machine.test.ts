import { describe, expect, it } from 'vitest';
import type { StageState, StageTelemetry } from './model';
import { seededRandom } from './seeded-random';
import { advanceStage, IDLE_FILL, isStageState, newStageMachine, observedState, pathBetween, STAGE_STATES, STAGE_TRANSITIONS, stageSteps } from './stage-machine';

const tel = (over: Partial<StageTelemetry> = {}): StageTelemetry => ({ fill: 0, inputs: 0, outputs: 0, outputBlocked: false, ...over });
/** A tick whose telemetry ends in each state. */
const ENDS_IN: Record<StageState, StageTelemetry> = {
  idle: tel({ inputs: 0, outputs: 12, fill: 0 }),
  active: tel({ inputs: 40, outputs: 38, fill: 0.2 }),
  blocked: tel({ inputs: 40, outputs: 3, fill: 0.99, outputBlocked: true }),
};

describe('stage machine table (SPEC §3.2)', () => {
  it('has exactly the four rows of the spec', () => {
    expect(STAGE_TRANSITIONS.map((r) => `${r.from} -${r.event}-> ${r.to}`)).toEqual([
      'idle -input-> active',
      'active -output-> idle',
      'active -full-> blocked',
      'blocked -ready-> active',
    ]);
  });

  it.each(STAGE_TRANSITIONS.map((r) => [r.from, r.event, r.to, r] as const))('%s —%s→ %s is taken from telemetry that ends in the new state', (from, _e, to, row) => {
    const m = newStageMachine(from);
    expect(advanceStage(m, ENDS_IN[to], 1000)).toEqual([row]);
    expect(m.state).toBe(to);
  });

  it('Idle with its output buffer full in one tick passes through Active (two rows)', () => {
    const m = newStageMachine('idle');
    const steps = advanceStage(m, ENDS_IN.blocked, 1000);
    expect(steps.map((s) => [s.from, s.event, s.to])).toEqual([
      ['idle', 'input', 'active'],
      ['active', 'full', 'blocked'],
    ]);
    expect(m.state).toBe('blocked');
  });

  it('Blocked that drains in one tick passes through Active', () => {
    expect(pathBetween('blocked', 'idle').map((s) => s.event)).toEqual(['ready', 'output']);
  });

  it.each(STAGE_STATES)('%s stays put on telemetry that ends in the same state', (state) => {
    const m = newStageMachine(state);
    expect(advanceStage(m, ENDS_IN[state], 1000)).toEqual([]);
    expect(m.state).toBe(state);
  });

  it('every pair of states is joined by table rows only', () => {
    for (const from of STAGE_STATES)
      for (const to of STAGE_STATES) {
        const path = pathBetween(from, to);
        let at = from;
        for (const step of path) {
          expect(STAGE_TRANSITIONS).toContain(step);
          expect(step.from).toBe(at);
          at = step.to;
        }
        expect(at).toBe(to);
      }
  });
});

describe('observedState', () => {
  it('blocked whenever the output could not leave, whatever else happened', () => {
    expect(observedState(tel({ outputBlocked: true }))).toBe('blocked');
    expect(observedState(tel({ outputBlocked: true, inputs: 0, fill: 0 }))).toBe('blocked');
  });
  it('active on input, or while work is still buffered', () => {
    expect(observedState(tel({ inputs: 1 }))).toBe('active');
    expect(observedState(tel({ inputs: 0, outputs: 5, fill: 0.3 }))).toBe('active');
  });
  it('idle once everything received has been sent', () => {
    expect(observedState(tel({ inputs: 0, outputs: 5, fill: 0 }))).toBe('idle');
    expect(observedState(tel({ inputs: 0, fill: IDLE_FILL / 2 }))).toBe('idle');
  });
});

describe('time in state', () => {
  it('counts each tick in the state its telemetry shows', () => {
    const m = newStageMachine('idle');
    advanceStage(m, ENDS_IN.active, 1000);
    advanceStage(m, ENDS_IN.active, 1000);
    advanceStage(m, ENDS_IN.blocked, 1000);
    advanceStage(m, ENDS_IN.idle, 500);
    expect(m.timeMs).toEqual({ idle: 500, active: 2000, blocked: 1000 });
  });
});

describe('stage machine — properties (seeded)', () => {
  it('random telemetry only ever walks table rows, chained, and the times add up', () => {
    const rnd = seededRandom(314);
    const rows = new Set(STAGE_TRANSITIONS);
    const seen = new Set<string>();
    for (let run = 0; run < 50; run++) {
      const m = newStageMachine(rnd.pick(STAGE_STATES));
      let total = 0;
      for (let k = 0; k < 200; k++) {
        const t = tel({ inputs: rnd.chance(0.3) ? 0 : rnd.int(0, 50), outputs: rnd.int(0, 50), fill: rnd.chance(0.3) ? 0 : rnd.next(), outputBlocked: rnd.chance(0.2) });
        const before = m.state;
        const dt = rnd.int(0, 2000);
        total += dt;
        const steps = stageSteps(before, t);
        expect(advanceStage(m, t, dt)).toBe(steps);
        let at = before;
        for (const s of steps) {
          expect(rows.has(s)).toBe(true);
          expect(s.from).toBe(at);
          at = s.to;
          seen.add(`${s.from}>${s.to}`);
        }
        expect(steps.length).toBeLessThanOrEqual(2);
        expect(m.state).toBe(observedState(t));
        expect(isStageState(m.state)).toBe(true);
      }
      expect(m.timeMs.idle + m.timeMs.active + m.timeMs.blocked).toBe(total);
    }
    // Illegal pairs never occur; every legal one did.
    expect([...seen].sort()).toEqual(['active>blocked', 'active>idle', 'blocked>active', 'idle>active']);
  });
});

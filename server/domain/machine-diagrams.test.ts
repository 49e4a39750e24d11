import { describe, expect, it } from 'vitest';
import { BREAKER_TRANSITIONS } from './breaker';
import { machineDiagram } from './machine-diagrams';
import type { FleetPolicies } from './model';
import { defaultPolicies } from './policy-defaults';
import { RUN_STATES, RUN_TRANSITIONS } from './experiments/machine';
import { ROLLOUT_STATES, ROLLOUT_TRANSITIONS } from './rollouts/machine';
import { STAGE_TRANSITIONS } from './stage-machine';

const p: FleetPolicies = { weight: defaultPolicies.weight, watermark: defaultPolicies.watermark, breaker: defaultPolicies.breaker };

describe('machine diagrams', () => {
  it('has an edge for every transition the machines can take, each with a trigger in words', () => {
    const stage = machineDiagram('stage', p);
    expect(stage.edges.map((e) => e.id).sort()).toEqual(STAGE_TRANSITIONS.map((r) => `${r.from}>${r.to}`).sort());
    const breaker = machineDiagram('breaker', p);
    expect(breaker.edges.map((e) => e.id).sort()).toEqual(BREAKER_TRANSITIONS.map((r) => `${r.from}>${r.to}`).sort());
    const ladder = machineDiagram('degradation', p);
    // Climb to any higher level at once (6 edges), come down one level at a time (3 edges).
    expect(ladder.edges).toHaveLength(9);
    expect(ladder.edges.some((e) => e.id === 'L2>L0')).toBe(false);
    const rollout = machineDiagram('rollout', p);
    const experiment = machineDiagram('experiment', p);
    for (const d of [stage, breaker, ladder, rollout, experiment]) for (const e of d.edges) expect([e.trigger.length > 5, e.short.length > 3, e.short.length <= 24]).toEqual([true, true, true]);
  });

  it('labels edges with the policy values, so a published change shows', () => {
    expect(machineDiagram('degradation', p).edges.find((e) => e.id === 'L0>L2')!.trigger).toBe('a buffer ≥ 95 % for 5 s (stage broken)');
    const changed = { ...p, watermark: { ...p.watermark, breakPct: 80, breakHoldS: 3 }, breaker: { ...p.breaker, coolDownS: 25 } };
    expect(machineDiagram('degradation', changed).edges.find((e) => e.id === 'L1>L2')!.trigger).toBe('a buffer ≥ 80 % for 3 s (stage broken)');
    expect(machineDiagram('breaker', changed).edges.find((e) => e.id === 'open>half-open')!.trigger).toBe('after a 25 s cool-down');
    expect(machineDiagram('degradation', changed).edges.find((e) => e.id === 'L1>L2')!.short).toBe('≥ 80 % 3 s');
    expect(machineDiagram('breaker', changed).edges.find((e) => e.id === 'open>half-open')!.short).toBe('25 s cool-down');
  });

  it('draws the rollout machine from its transition table: every state, one edge per (from, to) the log can count', () => {
    const d = machineDiagram('rollout', p);
    expect(d.states.map((s) => s.id)).toEqual([...ROLLOUT_STATES]);
    expect(d.states.find((s) => s.id === 'rolled_back')!.label).toBe('Rolled back');
    const pairs = [...new Set(ROLLOUT_TRANSITIONS.map((t) => `${t.from}>${t.to}`))].sort();
    expect(d.edges.map((e) => e.id).sort()).toEqual(pairs);
    // Resume and promote-to-next-step both go paused → progressing: one edge, both triggers.
    const back = d.edges.find((e) => e.id === 'paused>progressing')!;
    expect(back.trigger).toBe('timer ended, quorum reached, guard cleared, halt released or resumed; or promoted to the next step by a person');
    expect(back.short).toBe('resumed or promoted');
    expect(d.edges.find((e) => e.id === 'rolled_back>progressing')!.short).toBe('retry');
    // Nothing leaves succeeded; only retry leaves rolled_back.
    expect(d.edges.filter((e) => e.from === 'succeeded' || e.from === 'rolled_back').map((e) => e.id)).toEqual(['rolled_back>progressing']);
  });

  it('draws the chaos run machine from its transition table: every state, one edge per (from, to)', () => {
    const d = machineDiagram('experiment', p);
    expect(d.title).toBe('Chaos experiment run');
    expect(d.states.map((s) => s.id)).toEqual([...RUN_STATES]);
    expect(d.states.find((s) => s.id === 'recovering')!.label).toBe('Recovering');
    const pairs = [...new Set(RUN_TRANSITIONS.map((t) => `${t.from}>${t.to}`))].sort();
    expect(d.edges.map((e) => e.id).sort()).toEqual(pairs);
    // Duration over and abort both go running → recovering: one edge with both triggers.
    const stop = d.edges.find((e) => e.id === 'running>recovering')!;
    expect(stop.trigger).toBe('the duration is over; or an abort condition fired, aborted by a person, halted, or the lease was lost');
    expect(stop.short).toBe('duration over or abort');
    // Every short label is its own (no event name fell through).
    for (const e of d.edges) expect(RUN_TRANSITIONS.some((t) => t.event === e.short)).toBe(false);
    // Nothing leaves a terminal state.
    expect(d.edges.filter((e) => ['completed', 'aborted', 'failed', 'skipped'].includes(e.from))).toEqual([]);
  });
});

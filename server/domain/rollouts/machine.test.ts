import { describe, expect, it } from 'vitest';
import { ABORT_REASON_LABELS, ABORT_REASONS, canHappen, nextState, PAUSE_REASON_LABELS, PAUSE_REASONS, ROLLOUT_STATES, ROLLOUT_TRANSITIONS, STATE_LABELS, TERMINAL_STATES, type RolloutEvent, type RolloutEventType, type RolloutState } from './machine';

const EVENT_TYPES: readonly RolloutEventType[] = ['start', 'pause', 'resume', 'advance', 'promote', 'abort', 'routing-applied', 'retry'];
const event = (type: RolloutEventType): RolloutEvent => (type === 'pause' ? { type, reason: 'manual' } : type === 'abort' ? { type, reason: 'manual' } : { type });

describe('rollout machine', () => {
  it('follows the designed path: start, pause, resume, advance, promote, applied', () => {
    const path: Array<[RolloutEventType, RolloutState]> = [
      ['start', 'progressing'],
      ['advance', 'progressing'],
      ['pause', 'paused'],
      ['pause', 'paused'],
      ['resume', 'progressing'],
      ['promote', 'promoting'],
      ['routing-applied', 'succeeded'],
    ];
    let s: RolloutState = 'pending';
    for (const [e, to] of path) {
      s = nextState(s, event(e))!;
      expect(s).toBe(to);
    }
  });

  it('rolls back: abort from progressing, paused or promoting → aborted → rolled_back → retry', () => {
    for (const from of ['progressing', 'paused', 'promoting'] as const) expect(nextState(from, { type: 'abort', reason: 'analysis_failed' })).toBe('aborted');
    expect(nextState('aborted', { type: 'routing-applied' })).toBe('rolled_back');
    expect(nextState('rolled_back', { type: 'retry' })).toBe('progressing');
  });

  it('refuses every (state, event) pair that is not in the table', () => {
    const allowed = new Set(ROLLOUT_TRANSITIONS.map((t) => `${t.from}:${t.event}`));
    let refused = 0;
    for (const s of ROLLOUT_STATES) {
      for (const e of EVENT_TYPES) {
        const to = nextState(s, event(e));
        if (allowed.has(`${s}:${e}`)) expect(to).toBe(ROLLOUT_TRANSITIONS.find((t) => t.from === s && t.event === e)!.to);
        else {
          expect(to, `${s} --${e}-->`).toBeNull();
          refused++;
        }
        expect(canHappen(s, e)).toBe(allowed.has(`${s}:${e}`));
      }
    }
    expect(refused).toBe(ROLLOUT_STATES.length * EVENT_TYPES.length - ROLLOUT_TRANSITIONS.length);
    // Examples a racing command could try.
    expect(nextState('pending', { type: 'abort', reason: 'manual' })).toBeNull();
    expect(nextState('succeeded', { type: 'abort', reason: 'manual' })).toBeNull();
    expect(nextState('aborted', { type: 'resume' })).toBeNull();
    expect(nextState('promoting', { type: 'pause', reason: 'guard' })).toBeNull();
  });

  it('leaves a terminal state only by retry from rolled_back', () => {
    const leaving = ROLLOUT_TRANSITIONS.filter((t) => TERMINAL_STATES.has(t.from));
    expect(leaving.map((t) => `${t.from}:${t.event}`)).toEqual(['rolled_back:retry']);
  });

  it('has one transition per (state, event), a trigger in words for each, and labels for every state and reason', () => {
    const keys = ROLLOUT_TRANSITIONS.map((t) => `${t.from}:${t.event}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const t of ROLLOUT_TRANSITIONS) expect(t.trigger.length).toBeGreaterThan(10);
    expect(Object.keys(STATE_LABELS).sort()).toEqual([...ROLLOUT_STATES].sort());
    expect(Object.keys(PAUSE_REASON_LABELS).sort()).toEqual([...PAUSE_REASONS].sort());
    expect(Object.keys(ABORT_REASON_LABELS).sort()).toEqual([...ABORT_REASONS].sort());
  });
});

// Properties of the rollout machine over its whole table and over random event sequences: every
// state is reachable, every running rollout can still finish either way, and nothing a command or
// the reconciler sends can produce a state outside the designed set.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ABORT_REASONS, ACTIVE_STATES, nextState, PAUSE_REASONS, ROLLOUT_STATES, ROLLOUT_TRANSITIONS, TERMINAL_STATES, type RolloutEvent, type RolloutState } from './machine';

const eventArb: fc.Arbitrary<RolloutEvent> = fc.oneof(
  fc.constant({ type: 'start' as const }),
  fc.constantFrom(...PAUSE_REASONS).map((reason) => ({ type: 'pause' as const, reason })),
  fc.constant({ type: 'resume' as const }),
  fc.constant({ type: 'advance' as const }),
  fc.constant({ type: 'promote' as const }),
  fc.constantFrom(...ABORT_REASONS).map((reason) => ({ type: 'abort' as const, reason })),
  fc.constant({ type: 'routing-applied' as const }),
  fc.constant({ type: 'retry' as const }),
);

/** States reachable from `from` by the table (from included). */
function reachable(from: RolloutState): Set<RolloutState> {
  const seen = new Set<RolloutState>([from]);
  const queue = [from];
  while (queue.length > 0) {
    const s = queue.shift()!;
    for (const t of ROLLOUT_TRANSITIONS) if (t.from === s && !seen.has(t.to)) {
        seen.add(t.to);
        queue.push(t.to);
      }
  }
  return seen;
}

// CPU-bound with no condition to wait for: the limit only stops a runaway loop on a busy machine.
describe('rollout machine — properties', () => {
  it('reaches every state from pending', { timeout: 60_000 }, () => {
    expect([...reachable('pending')].sort()).toEqual([...ROLLOUT_STATES].sort());
  });

  it('can still end in succeeded and in rolled_back from every non-terminal state', { timeout: 60_000 }, () => {
    for (const s of ROLLOUT_STATES.filter((x) => !TERMINAL_STATES.has(x))) {
      const r = reachable(s);
      expect([s, r.has('succeeded'), r.has('rolled_back')]).toEqual([s, true, true]);
    }
  });

  it('random event sequences never leave the designed states, and terminal states hold', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 60 }), (events) => {
        let s: RolloutState = 'pending';
        for (const e of events) {
          const to = nextState(s, e);
          if (to === null) continue;
          expect(ROLLOUT_STATES).toContain(to);
          // Only retry leaves a terminal state, and only rolled_back has it.
          if (TERMINAL_STATES.has(s)) expect([s, e.type, to]).toEqual(['rolled_back', 'retry', 'progressing']);
          // pending is never re-entered: a started rollout is never "not started" again.
          expect(to).not.toBe('pending');
          s = to;
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('a refused event changes nothing: nextState is null exactly when the table has no row', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(fc.constantFrom(...ROLLOUT_STATES), eventArb, (s, e) => {
        const row = ROLLOUT_TRANSITIONS.find((t) => t.from === s && t.event === e.type);
        expect(nextState(s, e)).toBe(row ? row.to : null);
      }),
      { numRuns: 1000 },
    );
  });

  it('the active states are exactly those that can still reach rolled_back without a retry', { timeout: 60_000 }, () => {
    // ACTIVE_STATES own the service's routing (one per service, an SQL constraint): they are the
    // states between start and a terminal state.
    const noRetry = (from: RolloutState) => {
      const seen = new Set<RolloutState>([from]);
      const queue = [from];
      while (queue.length > 0) {
        const s = queue.shift()!;
        for (const t of ROLLOUT_TRANSITIONS) if (t.from === s && t.event !== 'retry' && t.event !== 'start' && !seen.has(t.to)) {
          seen.add(t.to);
          queue.push(t.to);
        }
      }
      return seen;
    };
    const active = ROLLOUT_STATES.filter((s) => !TERMINAL_STATES.has(s) && s !== 'pending' && noRetry(s).has('rolled_back'));
    expect(active.sort()).toEqual([...ACTIVE_STATES].sort());
  });
});

// The chaos run machine, over its whole table and over random event sequences. The property that
// matters most is guaranteed recovery: a run that may have put a fault in the platform can only end
// by way of `recovering` (faults removed first), and an abort from any active state leads there.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACTIVE_RUN_STATES,
  canRunHappen,
  nextRunState,
  RUN_ABORT_REASON_LABELS,
  RUN_ABORT_REASONS,
  RUN_STATE_LABELS,
  RUN_STATES,
  RUN_TRANSITIONS,
  TARGET_STATE_LABELS,
  TARGET_STATES,
  TERMINAL_RUN_STATES,
  type RunEvent,
  type RunState,
} from './machine';

const eventArb: fc.Arbitrary<RunEvent> = fc.oneof(
  fc.constant({ type: 'inject' as const }),
  fc.constant({ type: 'injected' as const }),
  fc.constant({ type: 'finish' as const }),
  fc.constantFrom(...RUN_ABORT_REASONS).map((reason) => ({ type: 'abort' as const, reason })),
  fc.constant({ type: 'recovered' as const }),
  fc.constant({ type: 'fail' as const }),
  fc.constant({ type: 'skip' as const }),
);

function reachable(from: RunState, table = RUN_TRANSITIONS): Set<RunState> {
  const seen = new Set<RunState>([from]);
  const queue = [from];
  while (queue.length > 0) {
    const s = queue.shift()!;
    for (const t of table) if (t.from === s && !seen.has(t.to)) {
      seen.add(t.to);
      queue.push(t.to);
    }
  }
  return seen;
}

describe('run machine — table', () => {
  it('the happy path and the abort path', () => {
    let s: RunState = 'pending';
    for (const [event, to] of [
      [{ type: 'inject' }, 'injecting'],
      [{ type: 'injected' }, 'running'],
      [{ type: 'finish' }, 'recovering'],
      [{ type: 'recovered' }, 'completed'],
    ] as const) {
      s = nextRunState(s, event)!;
      expect(s).toBe(to);
    }
    expect(nextRunState('running', { type: 'abort', reason: 'abort_condition' })).toBe('recovering');
    expect(nextRunState('recovering', { type: 'recovered' }, true)).toBe('aborted');
    expect(nextRunState('recovering', { type: 'fail' })).toBe('failed');
  });

  it('skipped only from pending; nothing leaves a terminal state', () => {
    expect(RUN_STATES.filter((s) => nextRunState(s, { type: 'skip' }) !== null)).toEqual(['pending']);
    for (const s of TERMINAL_RUN_STATES) expect(RUN_TRANSITIONS.filter((t) => t.from === s)).toEqual([]);
  });

  it('every state and reason has words; active and terminal states split the states', () => {
    for (const s of RUN_STATES) expect(RUN_STATE_LABELS[s].length).toBeGreaterThan(3);
    for (const r of RUN_ABORT_REASONS) expect(RUN_ABORT_REASON_LABELS[r].length).toBeGreaterThan(5);
    for (const t of TARGET_STATES) expect(TARGET_STATE_LABELS[t].length).toBeGreaterThan(3);
    expect([...ACTIVE_RUN_STATES, ...TERMINAL_RUN_STATES].sort()).toEqual([...RUN_STATES].sort());
    for (const t of RUN_TRANSITIONS) expect(t.trigger.length).toBeGreaterThan(10);
  });

  it('canRunHappen agrees with the table', () => {
    expect(canRunHappen('pending', 'inject')).toBe(true);
    expect(canRunHappen('running', 'inject')).toBe(false);
    expect(canRunHappen('completed', 'abort')).toBe(false);
  });
});

describe('run machine — properties', () => {
  it('reaches every state from pending', () => {
    expect([...reachable('pending')].sort()).toEqual([...RUN_STATES].sort());
  });

  it('every reachable state can still end in a terminal state, and every active one in completed, aborted and failed', () => {
    for (const s of reachable('pending')) {
      const r = reachable(s);
      expect([s, [...r].some((x) => TERMINAL_RUN_STATES.has(x))]).toEqual([s, true]);
      if (ACTIVE_RUN_STATES.has(s)) expect([s, r.has('aborted'), r.has('failed')]).toEqual([s, true, true]);
    }
  });

  it('abort from every active state leads to recovering, and recovering then ends in aborted', () => {
    for (const s of ACTIVE_RUN_STATES) {
      for (const reason of RUN_ABORT_REASONS) expect([s, nextRunState(s, { type: 'abort', reason })]).toEqual([s, 'recovering']);
    }
    expect(nextRunState('recovering', { type: 'recovered' }, true)).toBe('aborted');
  });

  it('guaranteed recovery: a run that may hold faults ends only by way of recovering', () => {
    // Once past pending a fault may be in the platform: no edge from injecting or running may reach
    // a terminal state without passing through recovering.
    const withoutRecovering = RUN_TRANSITIONS.filter((t) => t.from !== 'recovering' && t.to !== 'recovering');
    for (const s of ['injecting', 'running'] as const) {
      expect([s, [...reachable(s, withoutRecovering)].filter((x) => TERMINAL_RUN_STATES.has(x))]).toEqual([s, []]);
    }
    for (const t of RUN_TRANSITIONS) if (TERMINAL_RUN_STATES.has(t.to) && t.to !== 'skipped') expect(t.from).toBe('recovering');
  });

  it('random event sequences never leave the designed states, terminal states hold, pending is never re-entered', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 60 }), fc.boolean(), (events, abortRequested) => {
        let s: RunState = 'pending';
        let aborted = false;
        const path: RunState[] = [s];
        for (const e of events) {
          if (e.type === 'abort') aborted = true;
          const to = nextRunState(s, e, abortRequested || aborted);
          if (to === null) continue;
          expect(RUN_STATES).toContain(to);
          expect(TERMINAL_RUN_STATES.has(s)).toBe(false);
          expect(to).not.toBe('pending');
          if (to === 'completed') expect(abortRequested || aborted).toBe(false);
          s = to;
          path.push(s);
        }
        // Ended (other than skipped) ⇒ went through recovering.
        if (TERMINAL_RUN_STATES.has(s) && s !== 'skipped') expect(path).toContain('recovering');
        if (s === 'skipped') expect(path).toEqual(['pending', 'skipped']);
      }),
      { numRuns: 2000 },
    );
  });

  it('from any reachable state, abort-then-recovered (or recovered alone from recovering) ends the run', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 30 }), (events) => {
        let s: RunState = 'pending';
        for (const e of events) s = nextRunState(s, e) ?? s;
        if (TERMINAL_RUN_STATES.has(s)) return;
        const r = nextRunState(s, { type: 'abort', reason: 'halted' })!;
        expect(r).toBe('recovering');
        expect(nextRunState(r, { type: 'recovered' }, true)).toBe('aborted');
      }),
      { numRuns: 1000 },
    );
  });

  it('a refused event changes nothing: nextRunState is null exactly when the table has no row', () => {
    fc.assert(
      fc.property(fc.constantFrom(...RUN_STATES), eventArb, fc.boolean(), (s, e, ab) => {
        const rows = RUN_TRANSITIONS.filter((t) => t.from === s && t.event === e.type);
        const to = nextRunState(s, e, ab);
        if (rows.length === 0) expect(to).toBeNull();
        else expect(rows.map((r) => r.to)).toContain(to);
      }),
      { numRuns: 1000 },
    );
  });
});

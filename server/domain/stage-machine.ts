// The stage worker machine of SPEC §3.2 as a transition table. A tick's telemetry tells where
// the worker stands at the end of the tick; the machine walks the table to get there (at most
// two steps, e.g. Idle → Active → Blocked), so every recorded transition is a row of the table.
import type { StageState, StageTelemetry } from './model';

export type StageEvent = 'input' | 'output' | 'full' | 'ready';

export interface StageStep {
  readonly from: StageState;
  readonly event: StageEvent;
  readonly to: StageState;
  /** The event in words, as persisted in a transition's cause. */
  readonly cause: string;
}

export const STAGE_STATES: readonly StageState[] = ['idle', 'active', 'blocked'];

export const STAGE_TRANSITIONS: readonly StageStep[] = Object.freeze([
  Object.freeze({ from: 'idle', event: 'input', to: 'active', cause: 'input received' }),
  Object.freeze({ from: 'active', event: 'output', to: 'idle', cause: 'output sent' }),
  Object.freeze({ from: 'active', event: 'full', to: 'blocked', cause: 'output buffer full' }),
  Object.freeze({ from: 'blocked', event: 'ready', to: 'active', cause: 'output ready' }),
] as const satisfies readonly StageStep[]);

/**
 * Below this fill the buffer holds less than one request for any buffer up to 1,000 slots: the
 * worker has sent everything it received and waits for input.
 */
export const IDLE_FILL = 1e-3;

/**
 * Where the worker stands at the end of a tick: blocked while its output cannot leave; active
 * while it receives input or still holds work; idle once everything it received has been sent.
 */
export function observedState(t: StageTelemetry): StageState {
  return STAGE_STATES[observedIndex(t)]!;
}

/** observedState as its index in STAGE_STATES (idle 0, active 1, blocked 2): the replay's hot path. */
const observedIndex = (t: StageTelemetry): number => (t.outputBlocked ? 2 : t.inputs > 0 || t.fill > IDLE_FILL ? 1 : 0);

const NONE: readonly StageStep[] = Object.freeze([]);

function find(from: StageState, to: StageState): StageStep | undefined {
  return STAGE_TRANSITIONS.find((r) => r.from === from && r.to === to);
}

/** Shortest walk through the table from each state to each state, computed once (no per-tick allocation). */
const PATHS: Record<StageState, Record<StageState, readonly StageStep[]>> = (() => {
  const out = {} as Record<StageState, Record<StageState, readonly StageStep[]>>;
  for (const from of STAGE_STATES) {
    out[from] = {} as Record<StageState, readonly StageStep[]>;
    for (const to of STAGE_STATES) {
      if (from === to) {
        out[from][to] = NONE;
        continue;
      }
      const direct = find(from, to);
      if (direct) {
        out[from][to] = Object.freeze([direct]);
        continue;
      }
      const via = STAGE_STATES.map((mid) => [find(from, mid), find(mid, to)] as const).find(([a, b]) => a && b);
      if (!via) throw new Error(`stage machine: no path ${from} → ${to}`);
      out[from][to] = Object.freeze([via[0]!, via[1]!]);
    }
  }
  return out;
})();

// The states by number (STAGE_STATES order) and the walks between them: the step looks them up
// by index, not by a string key, several million times in a what-if replay.
const stateIndex = (s: StageState): number => (s === 'idle' ? 0 : s === 'active' ? 1 : 2);
const PATH_TABLE: ReadonlyArray<readonly StageStep[]> = STAGE_STATES.flatMap((from) => STAGE_STATES.map((to) => PATHS[from][to]));

/** The table rows a worker in `state` takes this tick (empty when it stays). */
export function stageSteps(state: StageState, t: StageTelemetry): readonly StageStep[] {
  return PATH_TABLE[stateIndex(state) * 3 + observedIndex(t)]!;
}

export function pathBetween(from: StageState, to: StageState): readonly StageStep[] {
  return PATHS[from][to];
}

export interface StageMachine {
  state: StageState;
  /** Time spent in each state, ms. */
  timeMs: Record<StageState, number>;
}

export function newStageMachine(state: StageState = 'idle'): StageMachine {
  return { state, timeMs: { idle: 0, active: 0, blocked: 0 } };
}

export function isStageState(s: unknown): s is StageState {
  return s === 'idle' || s === 'active' || s === 'blocked';
}

/**
 * Advance the machine (in place) by one tick of `dtMs`. The telemetry describes the interval that
 * just ended, so that interval is counted in the state it shows, not the state before it.
 */
export function advanceStage(m: StageMachine, t: StageTelemetry, dtMs: number): readonly StageStep[] {
  const to = observedIndex(t);
  // A walk ends where the telemetry says the worker stands.
  const steps = PATH_TABLE[stateIndex(m.state) * 3 + to]!;
  m.state = STAGE_STATES[to]!;
  if (dtMs > 0) {
    if (to === 0) m.timeMs.idle += dtMs;
    else if (to === 1) m.timeMs.active += dtMs;
    else m.timeMs.blocked += dtMs;
  }
  return steps;
}

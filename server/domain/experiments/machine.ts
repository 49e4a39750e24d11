// The chaos run state machine (issue 12): one table of transitions that the run controller runs,
// the commands check, and the Machines page draws. A state change not in the table is refused, so
// an abort racing the controller can never produce a state no one designed.
//
//   pending ─guards, halt, freeze, steady state ok→ injecting ─platform confirmed→ running
//   running ─duration over / abort (condition, person, halt, lease lost)→ recovering
//   recovering ─faults confirmed gone, observation window over→ completed | aborted(reason)
//   pending | injecting ─refused / abort→ recovering (nothing or part injected: removed first)
//   recovering ─a fault could not be removed by the deadline→ failed
//   pending ─a scheduled run the concurrency policy or a halt refuses→ skipped

export const RUN_STATES = ['pending', 'injecting', 'running', 'recovering', 'completed', 'aborted', 'failed', 'skipped'] as const;
export type RunState = (typeof RUN_STATES)[number];

/** Why a run was aborted (kept once aborted; a database constraint ties it to the state). */
export const RUN_ABORT_REASONS = ['manual', 'abort_condition', 'steady_state', 'guard', 'frozen', 'halted', 'lease_lost', 'replaced', 'injection_failed'] as const;
export type RunAbortReason = (typeof RUN_ABORT_REASONS)[number];

export const TARGET_STATES = ['selected', 'injected', 'recovered', 'could_not_inject', 'could_not_recover'] as const;
export type TargetState = (typeof TARGET_STATES)[number];

export const TERMINAL_RUN_STATES: ReadonlySet<RunState> = new Set(['completed', 'aborted', 'failed', 'skipped']);
/** States in which the run may own faults in the platform (its controller renews their leases). */
export const ACTIVE_RUN_STATES: ReadonlySet<RunState> = new Set(['pending', 'injecting', 'running', 'recovering']);
/** The list filter "in flight": runs whose faults may be in the platform now (what the Overview counts as running). */
export const IN_FLIGHT_RUNS = 'in-flight';
export const IN_FLIGHT_RUN_STATES: readonly RunState[] = ['injecting', 'running', 'recovering'];

export type RunEvent =
  /** Guards, halt, freeze and the steady-state hypothesis passed: write the injections. */
  | { type: 'inject' }
  /** The platform confirmed every injection (or every one it could). */
  | { type: 'injected' }
  /** Duration over: remove the faults, observe self-heal. */
  | { type: 'finish' }
  | { type: 'abort'; reason: RunAbortReason }
  /** Every fault confirmed removed and the observation window over. */
  | { type: 'recovered' }
  /** A fault could not be removed (the platform refused or is unreachable) by the deadline. */
  | { type: 'fail' }
  /** A scheduled run refused before it began (concurrency policy, halt, freeze). */
  | { type: 'skip' };
export type RunEventType = RunEvent['type'];

export interface RunTransition {
  from: RunState;
  event: RunEventType;
  to: RunState;
  /** The trigger in words, for the diagram and the timeline. */
  trigger: string;
}

export const RUN_TRANSITIONS: readonly RunTransition[] = [
  { from: 'pending', event: 'inject', to: 'injecting', trigger: 'guards, halt, freeze windows and the steady-state hypothesis passed' },
  { from: 'pending', event: 'abort', to: 'recovering', trigger: 'refused before injecting (guard, freeze, halt, steady state) or aborted' },
  { from: 'pending', event: 'skip', to: 'skipped', trigger: 'a scheduled run refused (concurrency policy, halt, freeze)' },
  { from: 'injecting', event: 'injected', to: 'running', trigger: 'the platform confirmed the faults' },
  { from: 'injecting', event: 'abort', to: 'recovering', trigger: 'aborted, halted, lease lost, or the platform refused a fault' },
  { from: 'running', event: 'finish', to: 'recovering', trigger: 'the duration is over' },
  { from: 'running', event: 'abort', to: 'recovering', trigger: 'an abort condition fired, aborted by a person, halted, or the lease was lost' },
  { from: 'recovering', event: 'abort', to: 'recovering', trigger: 'aborted while recovering (the reason is recorded, recovery goes on)' },
  { from: 'recovering', event: 'recovered', to: 'completed', trigger: 'faults removed, observation over, no abort requested' },
  { from: 'recovering', event: 'recovered', to: 'aborted', trigger: 'faults removed, observation over, after an abort' },
  { from: 'recovering', event: 'fail', to: 'failed', trigger: 'a fault could not be removed by the deadline' },
];

/**
 * The state after `event`, or null when the machine refuses it. `recovered` ends in `aborted` when an
 * abort reason was recorded on the way (pass it), in `completed` otherwise.
 */
export function nextRunState(from: RunState, event: RunEvent, abortRequested = false): RunState | null {
  const options = RUN_TRANSITIONS.filter((t) => t.from === from && t.event === event.type);
  if (options.length === 0) return null;
  if (event.type === 'recovered') return abortRequested ? 'aborted' : 'completed';
  return options[0]!.to;
}

export function canRunHappen(from: RunState, event: RunEventType): boolean {
  return RUN_TRANSITIONS.some((t) => t.from === from && t.event === event);
}

export const RUN_STATE_LABELS: Record<RunState, string> = {
  pending: 'Pending',
  injecting: 'Injecting',
  running: 'Running',
  recovering: 'Recovering',
  completed: 'Completed',
  aborted: 'Aborted',
  failed: 'Failed',
  skipped: 'Skipped',
};

export const RUN_ABORT_REASON_LABELS: Record<RunAbortReason, string> = {
  manual: 'aborted by a person',
  abort_condition: 'an abort condition fired',
  steady_state: 'the steady-state hypothesis did not hold before injecting',
  guard: 'a topology guard refused it',
  frozen: 'inside a freeze window',
  halted: 'halt-all engaged',
  lease_lost: 'its controller stopped renewing the lease (worker gone)',
  replaced: 'replaced by the next scheduled run',
  injection_failed: 'the platform refused the fault',
};

export const TARGET_STATE_LABELS: Record<TargetState, string> = {
  selected: 'Selected',
  injected: 'Injected',
  recovered: 'Recovered',
  could_not_inject: 'Could not inject',
  could_not_recover: 'Could not recover',
};

/** Default lease of a fault: the controller renews it every tick; it lapses this long after the last renewal. */
export const DEFAULT_LEASE_MS = 15_000;

// The rollout state machine (SPEC §4.6, §6): one table of transitions that the reconciler runs,
// the commands check, and the Machines page draws. A state change not in the table is refused, so
// a command racing the reconciler can never produce a state no one designed.
//
//   pending ─start→ progressing ⇄ paused(reason) ─…→ promoting ─routing applied→ succeeded
//   progressing | paused | promoting ─abort / analysis failed / rejected→ aborted ─routing applied→ rolled_back
//   rolled_back ─retry→ progressing (a new attempt, from the first step)

export const ROLLOUT_STATES = ['pending', 'progressing', 'paused', 'promoting', 'succeeded', 'aborted', 'rolled_back'] as const;
export type RolloutState = (typeof ROLLOUT_STATES)[number];

/** Why a rollout is paused; exactly one while paused, none otherwise (a database constraint too). */
export const PAUSE_REASONS = ['step_pause', 'awaiting_approval', 'inconclusive_analysis', 'guard', 'halted', 'manual', 'frozen'] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];

/** Why a rollout was aborted (the words the fleet table shows come from here). */
export const ABORT_REASONS = ['manual', 'analysis_failed', 'approval_rejected', 'approval_expired'] as const;
export type AbortReason = (typeof ABORT_REASONS)[number];

export const TERMINAL_STATES: ReadonlySet<RolloutState> = new Set(['succeeded', 'rolled_back']);
/** States in which the rollout owns its service's routing (one such rollout per service). */
export const ACTIVE_STATES: ReadonlySet<RolloutState> = new Set(['progressing', 'paused', 'promoting', 'aborted']);
/** The list filter "in flight": rollouts under way (what the Overview counts as running). */
export const IN_FLIGHT = 'in-flight';
export const IN_FLIGHT_STATES: readonly RolloutState[] = ['progressing', 'paused', 'promoting'];

export type RolloutEvent =
  | { type: 'start' }
  | { type: 'pause'; reason: PauseReason }
  | { type: 'resume' }
  /** The current step is done (or a person promoted it): go to the next step. */
  | { type: 'advance' }
  /** No steps left, or promote-full: route everything to the canary. */
  | { type: 'promote' }
  | { type: 'abort'; reason: AbortReason }
  /** The adapter reported the routing of a final state applied. */
  | { type: 'routing-applied' }
  | { type: 'retry' };
export type RolloutEventType = RolloutEvent['type'];

export interface RolloutTransition {
  from: RolloutState;
  event: RolloutEventType;
  to: RolloutState;
  /** The trigger in words, for the diagram and the timeline. */
  trigger: string;
}

export const ROLLOUT_TRANSITIONS: readonly RolloutTransition[] = [
  { from: 'pending', event: 'start', to: 'progressing', trigger: 'started by an operator' },
  { from: 'progressing', event: 'pause', to: 'paused', trigger: 'pause step, approval gate, inconclusive analysis, guard, halt or an operator' },
  { from: 'paused', event: 'pause', to: 'paused', trigger: 'the reason changed (e.g. guard → awaiting approval)' },
  { from: 'paused', event: 'resume', to: 'progressing', trigger: 'timer ended, quorum reached, guard cleared, halt released or resumed' },
  { from: 'progressing', event: 'advance', to: 'progressing', trigger: 'step done (routing applied, timer, approval, analysis passed) or promoted' },
  { from: 'paused', event: 'advance', to: 'progressing', trigger: 'promoted to the next step by a person' },
  { from: 'progressing', event: 'promote', to: 'promoting', trigger: 'last step done, or promote-full (approver, with a reason)' },
  { from: 'paused', event: 'promote', to: 'promoting', trigger: 'promote-full (approver, with a reason)' },
  { from: 'promoting', event: 'routing-applied', to: 'succeeded', trigger: 'platform reports 100 % canary applied' },
  { from: 'progressing', event: 'abort', to: 'aborted', trigger: 'aborted, analysis failed, approval rejected or expired' },
  { from: 'paused', event: 'abort', to: 'aborted', trigger: 'aborted, analysis failed, approval rejected or expired' },
  { from: 'promoting', event: 'abort', to: 'aborted', trigger: 'aborted by an operator' },
  { from: 'aborted', event: 'routing-applied', to: 'rolled_back', trigger: 'platform reports 100 % stable applied, header rules removed' },
  { from: 'rolled_back', event: 'retry', to: 'progressing', trigger: 'retried by an operator (new attempt from step 1)' },
];

/** The state after `event`, or null when the machine refuses it in `from`. */
export function nextState(from: RolloutState, event: RolloutEvent): RolloutState | null {
  return ROLLOUT_TRANSITIONS.find((t) => t.from === from && t.event === event.type)?.to ?? null;
}

export function canHappen(from: RolloutState, event: RolloutEventType): boolean {
  return ROLLOUT_TRANSITIONS.some((t) => t.from === from && t.event === event);
}

export const STATE_LABELS: Record<RolloutState, string> = {
  pending: 'Pending',
  progressing: 'Progressing',
  paused: 'Paused',
  promoting: 'Promoting',
  succeeded: 'Succeeded',
  aborted: 'Aborted',
  rolled_back: 'Rolled back',
};

export const PAUSE_REASON_LABELS: Record<PauseReason, string> = {
  step_pause: 'pause step',
  awaiting_approval: 'waiting for approval',
  inconclusive_analysis: 'analysis inconclusive',
  guard: 'held by a guard',
  halted: 'halted',
  manual: 'paused by an operator',
  frozen: 'inside a freeze window',
};

export const ABORT_REASON_LABELS: Record<AbortReason, string> = {
  manual: 'aborted by an operator',
  analysis_failed: 'analysis failed',
  approval_rejected: 'approval rejected',
  approval_expired: 'approval expired',
};

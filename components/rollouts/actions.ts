// Which actions a person may take on a rollout in its state (the machine's table) with their role
// (the router's roles: operator runs, approver promotes, overrides and decides). Pure, unit-tested.
import { canHappen, type RolloutState } from '@/server/domain/rollouts/machine';
import { ROLE_OPTIONS } from '@/components/users/roles';
import type { Role } from '@/server/db/generated/enums';

export type ActionKind = 'start' | 'pause' | 'resume' | 'promote' | 'promoteFull' | 'abort' | 'retry' | 'overrideGuard' | 'remove';

export interface ActionSpec {
  kind: ActionKind;
  label: string;
  /** The least role that may use it. */
  role: Role;
  /** Needs a reason (recorded on the timeline and in the audit). */
  reason: boolean;
  /** Asks first (ConfirmDialog); destructive ones in the danger colour. */
  confirm: 'none' | 'plain' | 'destructive';
  /** What the confirmation says. */
  explain: string;
}

export const ACTIONS: Record<ActionKind, ActionSpec> = {
  start: { kind: 'start', label: 'Start', role: 'operator', reason: false, confirm: 'plain', explain: 'The first step’s routing is applied to the platform.' },
  pause: { kind: 'pause', label: 'Pause', role: 'operator', reason: false, confirm: 'none', explain: '' },
  resume: { kind: 'resume', label: 'Resume', role: 'operator', reason: false, confirm: 'none', explain: '' },
  promote: { kind: 'promote', label: 'Promote to next step', role: 'approver', reason: false, confirm: 'plain', explain: 'The current step ends now and the next one begins.' },
  promoteFull: { kind: 'promoteFull', label: 'Promote fully…', role: 'approver', reason: true, confirm: 'destructive', explain: 'Skips every remaining step, approval and analysis: 100 % of the traffic goes to the canary.' },
  abort: { kind: 'abort', label: 'Abort…', role: 'operator', reason: true, confirm: 'destructive', explain: 'Back to 100 % stable with the header rules removed, as one routing change.' },
  retry: { kind: 'retry', label: 'Retry', role: 'operator', reason: false, confirm: 'plain', explain: 'A new attempt from the first step.' },
  overrideGuard: { kind: 'overrideGuard', label: 'Override guard…', role: 'approver', reason: true, confirm: 'destructive', explain: 'The step raises canary traffic although a guard holds it; your reason is recorded.' },
  remove: { kind: 'remove', label: 'Delete draft…', role: 'operator', reason: false, confirm: 'destructive', explain: 'The draft is deleted; this cannot be undone.' },
};

export const atLeast = (role: Role, least: Role) => ROLE_OPTIONS.indexOf(role) >= ROLE_OPTIONS.indexOf(least);

/** The actions shown to this role in this state, in button order. */
export function availableActions(state: RolloutState, pauseReason: string | null, role: Role): ActionSpec[] {
  const possible: ActionKind[] = [];
  if (canHappen(state, 'start')) possible.push('start');
  if (state === 'progressing') possible.push('pause');
  // Waiting for approval or held by a guard is not resumed by a button: decide, or override.
  if (state === 'paused' && pauseReason !== 'awaiting_approval' && pauseReason !== 'guard') possible.push('resume');
  if (state === 'progressing' || state === 'paused') possible.push('promote');
  if (state === 'paused' && pauseReason === 'guard') possible.push('overrideGuard');
  if (canHappen(state, 'promote')) possible.push('promoteFull');
  if (canHappen(state, 'retry')) possible.push('retry');
  if (canHappen(state, 'abort')) possible.push('abort');
  if (state === 'pending') possible.push('remove');
  return possible.map((k) => ACTIONS[k]).filter((a) => atLeast(role, a.role));
}

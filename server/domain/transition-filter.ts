// Which transitions are worth a row. A machine that "moves" to the state it is in, or a weight
// recompute that lands on the weight it had for a reason that changes nothing else (the periodic
// schedule, a policy edit, an input that stays above its threshold), would write "Weight 16 → 16"
// every few seconds per instance: noise on the timeline and rows in the biggest table.
import type { RecomputeTrigger, Transition } from './model';

/**
 * Triggers that are news even when the weight does not move: the instance changed mode (first
 * computation, drain, down, back up) or an input crossed its threshold in either direction.
 */
export function triggerChangesState(t: RecomputeTrigger): boolean {
  switch (t.kind) {
    case 'initial':
    case 'admin':
    case 'down':
    case 'up':
      return true;
    case 'threshold':
      return t.direction !== 'held';
    case 'periodic':
    case 'policy':
      return false;
  }
}

/** False for a transition that changes nothing: same state, and no state-changing trigger. */
export function changesSomething(t: Transition): boolean {
  if (t.from !== t.to) return true;
  return t.machine === 'weight' && t.trigger !== undefined && triggerChangesState(t.trigger);
}

// Halt-all and freeze windows over rollouts (SPEC §6.3): before the reconciler writes routing that
// raises canary traffic (a heavier weight, a new header rule, the promotion), it asks here. While
// halt-all is engaged the rollout pauses (halted) and stays paused until a person resumes it after
// the release; inside a freeze window for rollouts it pauses (frozen), naming the window and its
// end, and resumes by itself when the window ends — unless an approver overrode the freeze for
// this step (recorded on the step run).
import type { Tx } from '../../db/client';
import type { Rollout, RolloutStepRun } from '../../db/generated/client';
import type { RolloutSpec } from '../../domain/rollouts/spec';
import { activeFreezeFor, freezeWords } from '../safety/freeze';
import { activeHalt, haltWords } from '../safety/halt-checks';
import { pauseWith, WORKER } from './reconcile-moves';
import type { Move } from './reconcile-steps';
import { recordEvent } from './rollout-state';
import { stepWords } from './step-runs';

/** The pause a halt or a freeze window imposes on a traffic-raising move now, or null when none does. */
export async function safetyHold(tx: Tx, r: Rollout, spec: RolloutSpec, run: RolloutStepRun | null, now: Date): Promise<Move | null> {
  const words = stepWords(spec, r.currentStep);
  const halt = await activeHalt(tx);
  if (halt) {
    await recordEvent(tx, r, { kind: 'guard', summary: `${words} held: ${haltWords(halt)}`, actorName: WORKER, stepIndex: r.currentStep, data: { halt: halt.id } });
    return { rollout: await pauseWith(tx, r, 'halted', `Held before ${words}: ${haltWords(halt)}`), again: false, wake: null };
  }
  if (run?.freezeOverrideAt) return null;
  const freeze = await activeFreezeFor(tx, 'rollouts', now);
  if (!freeze) return null;
  const detail = `Held before ${words}: inside the ${freezeWords(freeze)}; resumes when it ends, or an approver overrides with a reason`;
  await recordEvent(tx, r, { kind: 'guard', summary: `${words} held: inside the ${freezeWords(freeze)}`, actorName: WORKER, stepIndex: r.currentStep, data: { freeze: freeze.window.id, endsAt: freeze.endsAt } });
  return { rollout: await pauseWith(tx, r, 'frozen', detail), again: false, wake: freeze.endsAt };
}

/** A frozen rollout: still inside a window (wake at its end), or free to go on. */
export async function whileFrozen(tx: Tx, r: Rollout, run: RolloutStepRun | null, now: Date): Promise<{ frozenUntil: Date | null }> {
  if (run?.freezeOverrideAt) return { frozenUntil: null };
  const freeze = await activeFreezeFor(tx, 'rollouts', now);
  return { frozenUntil: freeze ? freeze.endsAt : null };
}

// The moves the reconciler makes, each a transition of the machine plus what goes with it: an
// abort writes the rollback routing in the same transaction (the verdict and the rollback are one
// commit, so "fail → rollback within one tick"), an advance ends the step run, a promotion writes
// 100 % canary.
import type { Tx } from '../../db/client';
import type { Rollout } from '../../db/generated/client';
import { holdsInWords, type GuardHold } from '../../domain/rollouts/guards';
import type { AbortReason, PauseReason } from '../../domain/rollouts/machine';
import { promotedRouting, rolledBackRouting } from '../../domain/rollouts/plan';
import type { RolloutSpec } from '../../domain/rollouts/spec';
import { recordEvent, toJson, transition, writeRouting } from './rollout-state';
import { endStepRun, findStepRun, stepWords } from './step-runs';

export const WORKER = 'worker';

export async function abortWith(tx: Tx, r: Rollout, spec: RolloutSpec, reason: AbortReason, summary: string): Promise<Rollout> {
  const aborted = await transition(tx, r, { type: 'abort', reason }, { actorName: WORKER, summary });
  await endStepRun(tx, aborted, spec, 'aborted', summary, WORKER);
  const { rollout } = await writeRouting(tx, aborted, rolledBackRouting(spec), WORKER, `Routing back to 100 % ${spec.stableVersion}, header rules removed`);
  return rollout;
}

export function pauseWith(tx: Tx, r: Rollout, reason: PauseReason, summary: string, detail?: string): Promise<Rollout> {
  return transition(tx, r, { type: 'pause', reason }, { actorName: WORKER, summary, detail });
}

/** The current step is done: its run ends with `outcome`, the next step becomes current. */
export async function advanceFrom(tx: Tx, r: Rollout, spec: RolloutSpec, outcome: string): Promise<Rollout> {
  await endStepRun(tx, r, spec, 'done', outcome, WORKER);
  let now = r;
  if (now.state === 'paused') now = await transition(tx, now, { type: 'resume' }, { actorName: WORKER, summary: `Resumed: ${outcome}` });
  return transition(tx, now, { type: 'advance' }, {
    actorName: WORKER,
    summary: `Done with ${stepWords(spec, r.currentStep)}: ${outcome}`,
    extra: { currentStep: r.currentStep + 1, stepStartedAt: null },
  });
}

/** Every step done: 100 % canary, header rules removed, written as the promotion step's routing. */
export async function promoteNow(tx: Tx, r: Rollout, spec: RolloutSpec, summary: string): Promise<Rollout> {
  const promoting = await transition(tx, r, { type: 'promote' }, { actorName: WORKER, summary });
  const { rollout, routingVersion } = await writeRouting(tx, promoting, promotedRouting(spec), WORKER, `Routing to 100 % ${spec.canaryVersion}, header rules removed`);
  const run = await findStepRun(tx, rollout);
  if (run) await tx.rolloutStepRun.update({ where: { id: run.id }, data: { routing: toJson(promotedRouting(spec)), routingVersion } });
  return rollout;
}

/** Holds the step: paused(guard) naming the first hold and its live value; the holds stay on the step run. */
export async function holdByGuard(tx: Tx, r: Rollout, spec: RolloutSpec, holds: GuardHold[]): Promise<Rollout> {
  const first = holds[0]!;
  const more = holds.length > 1 ? ` (and ${holds.length - 1} more)` : '';
  const detail = holdsInWords(holds);
  const run = await findStepRun(tx, r);
  if (run) await tx.rolloutStepRun.update({ where: { id: run.id }, data: { heldBy: toJson(holds) } });
  if (r.state === 'paused' && r.pauseReason === 'guard') {
    // Still held: only the live value moves (no new state, no new event unless the words change).
    if (r.stateDetail !== detail) await tx.rollout.update({ where: { id: r.id }, data: { stateDetail: detail } });
    return tx.rollout.findUniqueOrThrow({ where: { id: r.id } });
  }
  await recordEvent(tx, r, { kind: 'guard', summary: `${stepWords(spec, r.currentStep)} held: ${first.words}${more}`, actorName: WORKER, stepIndex: r.currentStep, data: { holds } });
  return pauseWith(tx, r, 'guard', detail);
}

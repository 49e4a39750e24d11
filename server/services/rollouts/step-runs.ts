// A step run is the record of one step of one attempt: when it started, what routing it wrote and
// as which Service.version (so a retry after a crash never writes it twice), what held it, who
// overrode the hold, and how it ended.
import type { Tx } from '../../db/client';
import type { Rollout, RolloutStepRun, StepRunState } from '../../db/generated/client';
import { stepSummary } from '../../domain/rollouts/plan';
import type { RolloutSpec } from '../../domain/rollouts/spec';
import { recordEvent } from './rollout-state';

/** The kind of the pseudo-step after the last one: promotion to 100 % canary. */
export const PROMOTE_KIND = 'promote';

export const stepKindAt = (spec: RolloutSpec, index: number) => spec.steps[index]?.kind ?? PROMOTE_KIND;

export function stepWords(spec: RolloutSpec, index: number): string {
  const step = spec.steps[index];
  return step ? `step ${index + 1} of ${spec.steps.length} (${stepSummary(step, spec.canaryVersion)})` : `promotion to 100 % ${spec.canaryVersion}`;
}

export function findStepRun(tx: Tx, r: Pick<Rollout, 'id' | 'attempt' | 'currentStep'>, index = r.currentStep): Promise<RolloutStepRun | null> {
  return tx.rolloutStepRun.findUnique({ where: { rolloutId_attempt_stepIndex: { rolloutId: r.id, attempt: r.attempt, stepIndex: index } } });
}

/** The current step's run, created (and announced on the timeline) the first time the step runs. */
export async function ensureStepRun(tx: Tx, r: Rollout, spec: RolloutSpec, now: Date): Promise<RolloutStepRun> {
  const existing = await findStepRun(tx, r);
  if (existing) return existing;
  const run = await tx.rolloutStepRun.create({
    data: { rolloutId: r.id, attempt: r.attempt, stepIndex: r.currentStep, kind: stepKindAt(spec, r.currentStep), state: 'running', startedAt: now },
  });
  await tx.rollout.update({ where: { id: r.id }, data: { stepStartedAt: now } });
  await recordEvent(tx, r, { kind: 'step', summary: `Started ${stepWords(spec, r.currentStep)}`, actorName: 'worker', stepIndex: r.currentStep, data: { phase: 'started' } });
  return run;
}

/**
 * Ends the current step's run (done, skipped by a person, or aborted), creating it when the step
 * never ran (promoted past before it started). Returns false when it had already ended.
 */
export async function endStepRun(tx: Tx, r: Rollout, spec: RolloutSpec, state: Exclude<StepRunState, 'running' | 'waiting'>, outcome: string, actorName: string): Promise<boolean> {
  const now = new Date();
  const run = await findStepRun(tx, r);
  if (run && run.state !== 'running' && run.state !== 'waiting') return false;
  if (run) {
    await tx.rolloutStepRun.update({ where: { id: run.id }, data: { state, outcome: outcome.slice(0, 2000), finishedAt: now, heldBy: state === 'done' ? undefined : run.heldBy ?? undefined } });
  } else {
    await tx.rolloutStepRun.create({
      data: { rolloutId: r.id, attempt: r.attempt, stepIndex: r.currentStep, kind: stepKindAt(spec, r.currentStep), state, startedAt: now, finishedAt: now, outcome: outcome.slice(0, 2000) },
    });
  }
  const verb = state === 'done' ? 'Finished' : state === 'skipped' ? 'Skipped' : 'Stopped';
  await recordEvent(tx, r, { kind: 'step', summary: `${verb} ${stepWords(spec, r.currentStep)}: ${outcome}`, actorName, stepIndex: r.currentStep, data: { phase: state } });
  return true;
}

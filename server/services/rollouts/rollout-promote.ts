// The approver's commands: promote (skip the current step), promote-full (skip the rest: all
// traffic to the canary now, with a reason) and overriding a guard that holds a step (with a
// reason). Each is recorded with the approver's name on the rollout's timeline and in the audit.
import type { z } from 'zod';
import type { Db, Tx } from '../../db/client';
import type { Rollout } from '../../db/generated/client';
import { promotedRouting } from '../../domain/rollouts/plan';
import type { RolloutSpec } from '../../domain/rollouts/spec';
import { AppError } from '../../errors';
import { runCommand, type Actor } from '../command';
import { authorIds } from './authors';
import { rolloutRef, rolloutWithReason } from './rollout-inputs';
import { announce, loadRollout, recordEvent, refuse, rolloutLabel, specOf, transition, writeRouting } from './rollout-state';
import { assertNotHalted } from '../safety/halt-checks';
import { assertNotFrozen } from '../safety/freeze';
import { endStepRun, findStepRun, stepKindAt, stepWords } from './step-runs';

const requestAt = (tx: Tx, r: Rollout) =>
  tx.approvalRequest.findUnique({ where: { rolloutId_attempt_stepIndex: { rolloutId: r.id, attempt: r.attempt, stepIndex: r.currentStep } }, select: { state: true, onExpiry: true } });

async function requireNotAuthor(tx: Tx, r: Rollout, actor: Actor, what: string) {
  if (actor.id && (await authorIds(tx, r)).includes(actor.id)) {
    throw new AppError('FORBIDDEN', `You created, edited or started this rollout: its author may not ${what}.`);
  }
}

/**
 * Promote never passes an approval gate without its decision: on an approval step it moves on only
 * once the request is approved, or expired with "stay paused" — and then only by a non-author, since
 * promoting past an expired gate is the approvers' decision. Whether the reconciler has opened the
 * request yet (after a start, resume or earlier promote) makes no difference.
 */
async function requireGatePassed(tx: Tx, r: Rollout, spec: RolloutSpec, actor: Actor) {
  if (spec.steps[r.currentStep]?.kind !== 'approval') return;
  const request = await requestAt(tx, r);
  if (request?.state === 'approved') return;
  if (request?.state === 'expired' && request.onExpiry === 'stay-paused') return requireNotAuthor(tx, r, actor, 'promote it past its expired approval');
  const why = !request ? 'its approval request is about to open' : request.state === 'open' ? 'its approval request is open' : `its approval request was ${request.state}`;
  throw new AppError('CONFLICT', `The rollout is at an approval step and ${why}: approvers decide it; promote cannot skip an approval.`, undefined, { state: r.state, request: request?.state ?? null });
}

/** Promote: the current step ends now (skipped, recorded with the approver's name) and the next one runs. */
export async function promoteRollout(db: Db, actor: Actor, input: z.input<typeof rolloutRef>) {
  const { id, version } = rolloutRef.parse(input);
  return runCommand(db, actor, async (ctx) => {
    const before = await loadRollout(ctx.tx, id);
    if (before.state !== 'progressing' && before.state !== 'paused') throw refuse(before.state, 'advance');
    await assertNotHalted(ctx.tx, `Promoting ${rolloutLabel(before)}`);
    const spec = specOf(before);
    if (before.currentStep >= spec.steps.length) throw new AppError('CONFLICT', 'Every step is done; the rollout is being promoted to 100 %.');
    await requireGatePassed(ctx.tx, before, spec, actor);
    const words = stepWords(spec, before.currentStep);
    const after = await transition(ctx.tx, before, { type: 'advance' }, {
      actorName: actor.name,
      summary: `Promoted past ${words} by ${actor.name}`,
      expectedVersion: version,
      extra: { currentStep: before.currentStep + 1, stepStartedAt: null },
    });
    await endStepRun(ctx.tx, before, spec, 'skipped', `promoted by ${actor.name}`, actor.name);
    await ctx.audit({ action: 'rollout.promote', targetType: 'rollout', targetId: id, targetName: after.name, before: { currentStep: before.currentStep }, after: { currentStep: after.currentStep } });
    await announce(ctx, after);
    return { id, version: after.version };
  });
}

/** Promote-full: every remaining step is skipped and all traffic goes to the canary in one routing change. */
export async function promoteRolloutFull(db: Db, actor: Actor, input: z.input<typeof rolloutWithReason>) {
  const { id, version, reason } = rolloutWithReason.parse(input);
  return runCommand(db, actor, async (ctx) => {
    const before = await loadRollout(ctx.tx, id);
    const spec = specOf(before);
    // 100 % canary at once is the largest traffic increase there is: never while halted or frozen.
    await assertNotHalted(ctx.tx, `Promoting ${rolloutLabel(before)} to 100 %`);
    await assertNotFrozen(ctx.tx, 'rollouts', `Promoting ${rolloutLabel(before)} to 100 %`);
    // An approver's action that skips every gate: never by an author, never past an open request.
    await requireNotAuthor(ctx.tx, before, actor, 'promote it to 100 % past its gates');
    const open = await ctx.tx.approvalRequest.findFirst({ where: { rolloutId: id, attempt: before.attempt, state: 'open' }, select: { id: true } });
    if (open) throw new AppError('CONFLICT', 'An approval request of this rollout is open: approvers decide it; promote-full cannot skip an open approval.', undefined, { state: before.state });
    let after = await transition(ctx.tx, before, { type: 'promote' }, {
      actorName: actor.name,
      summary: `Promoted to 100 % ${spec.canaryVersion} by ${actor.name}, skipping the remaining steps: ${reason}`,
      expectedVersion: version,
      extra: { currentStep: spec.steps.length, stepStartedAt: null },
    });
    if (before.currentStep < spec.steps.length) await endStepRun(ctx.tx, before, spec, 'skipped', `promote-full by ${actor.name}`, actor.name);
    ({ rollout: after } = await writeRouting(ctx.tx, after, promotedRouting(spec), actor.name, `Routing to 100 % ${spec.canaryVersion}, header rules removed`));
    await ctx.audit({ action: 'rollout.promote-full', targetType: 'rollout', targetId: id, targetName: after.name, before: { state: before.state, currentStep: before.currentStep }, after: { state: after.state, reason } });
    await announce(ctx, after);
    return { id, version: after.version };
  });
}

/** An approver lets a guard-held step raise canary traffic anyway; the override stays on the step run. */
export async function overrideRolloutGuard(db: Db, actor: Actor, input: z.input<typeof rolloutWithReason>) {
  const { id, version, reason } = rolloutWithReason.parse(input);
  return runCommand(db, actor, async (ctx) => {
    const before = await loadRollout(ctx.tx, id);
    if (before.state !== 'paused' || before.pauseReason !== 'guard') {
      throw new AppError('CONFLICT', 'No guard holds this rollout now; there is nothing to override.', undefined, { state: before.state, pauseReason: before.pauseReason });
    }
    await assertNotHalted(ctx.tx, `Overriding the guard of ${rolloutLabel(before)}`);
    const spec = specOf(before);
    const held = before.stateDetail;
    const after = await transition(ctx.tx, before, { type: 'resume' }, {
      actorName: actor.name,
      summary: `Guard overridden by ${actor.name}: ${reason}`,
      expectedVersion: version,
      data: { held },
    });
    const run = await findStepRun(ctx.tx, before);
    const override = { overrideById: actor.id, overrideByName: actor.name, overrideReason: reason, overrideAt: new Date() };
    if (run) await ctx.tx.rolloutStepRun.update({ where: { id: run.id }, data: override });
    else await ctx.tx.rolloutStepRun.create({ data: { rolloutId: id, attempt: before.attempt, stepIndex: before.currentStep, kind: stepKindAt(spec, before.currentStep), ...override } });
    await recordEvent(ctx.tx, after, { kind: 'override', summary: `${actor.name} overrode the guard on ${stepWords(spec, before.currentStep)} (${held}): ${reason}`, actorName: actor.name, stepIndex: before.currentStep, data: { reason, held } });
    await ctx.audit({ action: 'rollout.override-guard', targetType: 'rollout', targetId: id, targetName: after.name, before: { held }, after: { reason } });
    await announce(ctx, after);
    return { id, version: after.version };
  });
}

/**
 * An approver lets a step held by a freeze window raise canary traffic anyway, with a reason; the
 * override stays on the step run (only this step: the next traffic increase is held again). A
 * halt is never overridden: an approver releases it instead.
 */
export async function overrideRolloutFreeze(db: Db, actor: Actor, input: z.input<typeof rolloutWithReason>) {
  const { id, version, reason } = rolloutWithReason.parse(input);
  return runCommand(db, actor, async (ctx) => {
    const before = await loadRollout(ctx.tx, id);
    if (before.state !== 'paused' || before.pauseReason !== 'frozen') {
      throw new AppError('CONFLICT', 'No freeze window holds this rollout now; there is nothing to override.', undefined, { state: before.state, pauseReason: before.pauseReason });
    }
    await assertNotHalted(ctx.tx, `Overriding the freeze of ${rolloutLabel(before)}`);
    const spec = specOf(before);
    const held = before.stateDetail;
    const after = await transition(ctx.tx, before, { type: 'resume' }, { actorName: actor.name, summary: `Freeze overridden by ${actor.name}: ${reason}`, expectedVersion: version, data: { held, freeze: true } });
    const run = await findStepRun(ctx.tx, before);
    const override = { freezeOverrideById: actor.id, freezeOverrideByName: actor.name, freezeOverrideReason: reason, freezeOverrideAt: new Date() };
    if (run) await ctx.tx.rolloutStepRun.update({ where: { id: run.id }, data: override });
    else await ctx.tx.rolloutStepRun.create({ data: { rolloutId: id, attempt: before.attempt, stepIndex: before.currentStep, kind: stepKindAt(spec, before.currentStep), ...override } });
    await recordEvent(ctx.tx, after, { kind: 'override', summary: `${actor.name} overrode the freeze on ${stepWords(spec, before.currentStep)} (${held}): ${reason}`, actorName: actor.name, stepIndex: before.currentStep, data: { reason, held, freeze: true } });
    await ctx.audit({ action: 'rollout.override-freeze', targetType: 'rollout', targetId: id, targetName: after.name, before: { held }, after: { reason } });
    await announce(ctx, after);
    return { id, version: after.version };
  });
}

// The operator's commands on a rollout: create, update and remove a pending one; start, pause,
// resume, abort and retry. Each is one transaction (row + RolloutEvent + audit + live event + the
// reconciler's job), guarded by the version the person saw; every state change goes through the
// machine (rollout-state.ts transition), so a refused one is a conflict in words.
import type { z } from 'zod';
import type { Db } from '../../db/client';
import type { Prisma, Rollout } from '../../db/generated/client';
import { PAUSE_REASON_LABELS, STATE_LABELS } from '../../domain/rollouts/machine';
import { rolledBackRouting } from '../../domain/rollouts/plan';
import type { RolloutSpec } from '../../domain/rollouts/spec';
import { AppError } from '../../errors';
import { runCommand, type Actor } from '../command';
import { compareAndSet } from '../compare-and-set';
import { requireNoOtherActive, requireRunnable } from './rollout-checks';
import { createRolloutInput, rolloutRef, rolloutWithReason, updateRolloutInput } from './rollout-inputs';
import { ROLLOUT_ACTIONS, announce, bumpVersion, loadRollout, refuse, rolloutLabel, specOf, transition, writeRouting } from './rollout-state';
import { endStepRun, stepWords } from './step-runs';
import { assertNotHalted } from '../safety/halt-checks';

const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;
const specColumns = (spec: RolloutSpec, serviceId: string) => ({ name: spec.name, serviceId, stableVersion: spec.stableVersion, canaryVersion: spec.canaryVersion, spec: json(spec) });

export async function createRollout(db: Db, actor: Actor, input: z.input<typeof createRolloutInput>) {
  const { spec } = createRolloutInput.parse(input);
  const service = await requireRunnable(db, spec, 'saved');
  return runCommand(db, actor, async (ctx) => {
    const r = await ctx.tx.rollout.create({ data: { ...specColumns(spec, service.id), createdById: actor.id, createdByName: actor.name } });
    await ctx.audit({ action: 'rollout.create', targetType: 'rollout', targetId: r.id, targetName: r.name, after: spec });
    await ctx.emit('rollout.changed', { id: r.id, version: r.version, state: r.state });
    return { id: r.id, version: r.version };
  });
}

function requirePending(r: Rollout, what: string) {
  if (r.state !== 'pending') throw new AppError('CONFLICT', `The rollout is ${STATE_LABELS[r.state]}; only a pending rollout can be ${what}.`, undefined, { state: r.state });
}

export async function updateRollout(db: Db, actor: Actor, input: z.input<typeof updateRolloutInput>) {
  const { id, version, spec } = updateRolloutInput.parse(input);
  const service = await requireRunnable(db, spec, 'saved');
  return runCommand(db, actor, async (ctx) => {
    const before = await loadRollout(ctx.tx, id);
    requirePending(before, 'edited');
    const after = await bumpVersion(ctx.tx, before, version, specColumns(spec, service.id));
    await ctx.audit({ action: 'rollout.update', targetType: 'rollout', targetId: id, targetName: after.name, before: before.spec, after: spec });
    await ctx.emit('rollout.changed', { id, version: after.version, state: after.state });
    return { id, version: after.version };
  });
}

export async function removeRollout(db: Db, actor: Actor, input: z.input<typeof rolloutRef>) {
  const { id, version } = rolloutRef.parse(input);
  return runCommand(db, actor, async (ctx) => {
    const before = await loadRollout(ctx.tx, id);
    requirePending(before, 'deleted');
    await compareAndSet(ctx.tx, {
      row: { type: 'rollout', id, label: rolloutLabel(before) },
      expected: version,
      versionActions: ROLLOUT_ACTIONS,
      write: () => ctx.tx.rollout.deleteMany({ where: { id, version, state: 'pending' } }),
      current: async () => {
        const now = await ctx.tx.rollout.findUnique({ where: { id }, select: { version: true, state: true } });
        return now && { version: now.version, values: { state: now.state } };
      },
    });
    await ctx.audit({ action: 'rollout.remove', targetType: 'rollout', targetId: id, targetName: before.name, before: before.spec });
    await ctx.emit('rollout.changed', { id, version: before.version + 1, state: before.state });
    return { id };
  });
}

export async function startRollout(db: Db, actor: Actor, input: z.input<typeof rolloutRef>) {
  const { id, version } = rolloutRef.parse(input);
  return runCommand(db, actor, async (ctx) => {
    const before = await loadRollout(ctx.tx, id);
    if (before.state !== 'pending') throw refuse(before.state, 'start');
    await assertNotHalted(ctx.tx, `Starting ${rolloutLabel(before)}`);
    const spec = specOf(before);
    const service = await requireRunnable(ctx.tx, spec, 'started');
    await requireNoOtherActive(ctx.tx, service.id, service.name, id);
    const after = await transition(ctx.tx, before, { type: 'start' }, {
      actorName: actor.name,
      summary: `Started by ${actor.name}: ${spec.stableVersion} → ${spec.canaryVersion} in ${spec.steps.length} steps`,
      expectedVersion: version,
      extra: { startedById: actor.id, startedByName: actor.name, startedAt: new Date(), currentStep: 0, stepStartedAt: null },
    });
    await ctx.audit({ action: 'rollout.start', targetType: 'rollout', targetId: id, targetName: after.name, before: { state: before.state }, after: { state: after.state } });
    await announce(ctx, after);
    return { id, version: after.version };
  });
}

export async function pauseRollout(db: Db, actor: Actor, input: z.input<typeof rolloutRef>) {
  const { id, version } = rolloutRef.parse(input);
  return runCommand(db, actor, async (ctx) => {
    const before = await loadRollout(ctx.tx, id);
    if (before.state === 'paused') {
      throw new AppError('CONFLICT', `The rollout is already paused (${PAUSE_REASON_LABELS[before.pauseReason!]}).`, undefined, { state: before.state });
    }
    const after = await transition(ctx.tx, before, { type: 'pause', reason: 'manual' }, { actorName: actor.name, summary: `Paused by ${actor.name}`, expectedVersion: version });
    await ctx.audit({ action: 'rollout.pause', targetType: 'rollout', targetId: id, targetName: after.name, before: { state: before.state }, after: { state: after.state } });
    await announce(ctx, after);
    return { id, version: after.version };
  });
}

/**
 * Resumes a paused rollout. Paused by a person: the step continues. At a pause step or after an
 * inconclusive analysis: the person ends the step and the rollout moves to the next one. An
 * approval gate and a guard are not resumed by hand: approvers decide, or override the guard.
 */
export async function resumeRollout(db: Db, actor: Actor, input: z.input<typeof rolloutRef>) {
  const { id, version } = rolloutRef.parse(input);
  return runCommand(db, actor, async (ctx) => {
    const before = await loadRollout(ctx.tx, id);
    if (before.state !== 'paused') throw refuse(before.state, 'resume');
    if (before.pauseReason === 'awaiting_approval') throw new AppError('CONFLICT', 'The rollout is waiting for approval; it resumes when approvers reach the quorum (an approver can also promote it).');
    if (before.pauseReason === 'guard') throw new AppError('CONFLICT', `The rollout is held by a guard (${before.stateDetail}); it resumes when the guard clears, or when an approver overrides it with a reason.`);
    // Halt-all refuses every resume while engaged; once released, a halted rollout resumes by hand.
    await assertNotHalted(ctx.tx, `Resuming ${rolloutLabel(before)}`);
    if (before.pauseReason === 'frozen') throw new AppError('CONFLICT', `The rollout is held by a freeze window (${before.stateDetail}); it resumes when the window ends, or when an approver overrides the freeze with a reason.`);
    const spec = specOf(before);
    let after = await transition(ctx.tx, before, { type: 'resume' }, { actorName: actor.name, summary: `Resumed by ${actor.name}`, expectedVersion: version });
    if (before.pauseReason === 'step_pause' || before.pauseReason === 'inconclusive_analysis') {
      const why = before.pauseReason === 'step_pause' ? `pause ended by ${actor.name}` : `analysis inconclusive, accepted by ${actor.name}`;
      await endStepRun(ctx.tx, after, spec, 'done', why, actor.name);
      after = await transition(ctx.tx, after, { type: 'advance' }, {
        actorName: actor.name,
        summary: `Moved on from ${stepWords(spec, after.currentStep)}: ${why}`,
        extra: { currentStep: after.currentStep + 1, stepStartedAt: null },
      });
    }
    await ctx.audit({ action: 'rollout.resume', targetType: 'rollout', targetId: id, targetName: after.name, before: { state: before.state, pauseReason: before.pauseReason }, after: { state: after.state, currentStep: after.currentStep } });
    await announce(ctx, after);
    return { id, version: after.version };
  });
}

/** Back to 100 % stable with the header rules removed, as one routing change; then rolled back once applied. */
export async function abortRollout(db: Db, actor: Actor, input: z.input<typeof rolloutWithReason>) {
  const { id, version, reason } = rolloutWithReason.parse(input);
  return runCommand(db, actor, async (ctx) => {
    const before = await loadRollout(ctx.tx, id);
    const spec = specOf(before);
    let after = await transition(ctx.tx, before, { type: 'abort', reason: 'manual' }, {
      actorName: actor.name,
      summary: `Aborted by ${actor.name}: ${reason}`,
      detail: `Aborted by ${actor.name}: ${reason}`,
      expectedVersion: version,
    });
    await endStepRun(ctx.tx, after, spec, 'aborted', `aborted by ${actor.name}`, actor.name);
    ({ rollout: after } = await writeRouting(ctx.tx, after, rolledBackRouting(spec), actor.name, `Routing back to 100 % ${spec.stableVersion}, header rules removed`));
    await ctx.audit({ action: 'rollout.abort', targetType: 'rollout', targetId: id, targetName: after.name, before: { state: before.state }, after: { state: after.state, reason } });
    await announce(ctx, after);
    return { id, version: after.version };
  });
}

/** A rolled-back rollout runs again from its first step, as a new attempt (earlier runs are kept). */
export async function retryRollout(db: Db, actor: Actor, input: z.input<typeof rolloutRef>) {
  const { id, version } = rolloutRef.parse(input);
  return runCommand(db, actor, async (ctx) => {
    const before = await loadRollout(ctx.tx, id);
    if (before.state !== 'rolled_back') throw refuse(before.state, 'retry');
    await assertNotHalted(ctx.tx, `Retrying ${rolloutLabel(before)}`);
    const spec = specOf(before);
    const service = await requireRunnable(ctx.tx, spec, 'retried');
    await requireNoOtherActive(ctx.tx, service.id, service.name, id);
    const after = await transition(ctx.tx, before, { type: 'retry' }, {
      actorName: actor.name,
      summary: `Retried by ${actor.name}: attempt ${before.attempt + 1} from step 1`,
      expectedVersion: version,
      extra: { attempt: before.attempt + 1, currentStep: 0, stepStartedAt: null, routingVersion: null, startedById: actor.id, startedByName: actor.name, startedAt: new Date(), finishedAt: null },
    });
    await ctx.audit({ action: 'rollout.retry', targetType: 'rollout', targetId: id, targetName: after.name, before: { state: before.state, attempt: before.attempt }, after: { state: after.state, attempt: after.attempt } });
    await announce(ctx, after);
    return { id, version: after.version };
  });
}

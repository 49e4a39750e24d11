// Halt-all, the safety lever over rollouts and experiments together (SPEC §6.3, as AWS FIS's stop
// condition): engaged by any operator with a reason, released only by an approver with a reason.
// Engaging is ONE transaction: the Halt row, every active run's faults desired=false (removeReason
// halted) and the run aborted, every progressing rollout paused (halted), the audit, the live
// event and the NOTIFY that wakes the telemetry leader to remove the faults now. While engaged,
// rollout starts / resumes / promotions / traffic-raising steps and experiment starts are refused
// naming the halt (assertNotHalted, and the reconciler's check in reconcile-steps.ts).
import { z } from 'zod';
import type { Db, DbOrTx, Tx } from '../../db/client';
import type { Halt } from '../../db/generated/client';
import { freeText } from '../../domain/inputs';
import { ACTIVE_RUN_STATES } from '../../domain/experiments/machine';
import { AppError } from '../../errors';
import { abortRun } from '../experiments/run-stand-ins';
import { activeHalt, assertNotHalted, HALT_CLEARED_SQL, haltWords } from './halt-checks';
import { FAULTS_CHANNEL } from '../../live/topics';
import { runCommand, type Actor, type CommandContext } from '../command';
import { announce, transition as rolloutTransition } from '../rollouts/rollout-state';
import { haltEngagedWebhook, haltReleasedWebhook } from '../webhooks/event-hooks';

/** A reason a person gives: required, in words, recorded with their name. */
const reason = () => freeText(2000).refine((s) => s.trim().length > 0, 'Give a reason (it is recorded with your name)');
export const haltInput = z.object({ reason: reason() }).strict();


export { activeHalt, assertNotHalted, haltWords };

// Engages and releases take turns on this lock, so the second of two engages sees the first
// committed and is refused in words (the partial unique index "Halt_one_engaged" stays the backstop).
const lockHalts = (tx: Tx) => tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('switchback.halt'))`;

export async function haltStatus(db: Db) {
  const h = await activeHalt(db);
  const last = h ? null : await db.halt.findFirst({ where: { releasedAt: { not: null } }, orderBy: { releasedAt: 'desc' } });
  const pending = h ? await db.injection.count({ where: { removedAt: null, removeReason: 'halted' } }) : 0;
  return {
    engaged: h !== null,
    halt: h && { id: h.id, engagedAt: h.engagedAt, engagedByName: h.engagedByName, reason: h.reason, faultsClearedAt: h.faultsClearedAt, faultsPending: pending, words: haltWords(h) },
    lastReleased: last && { id: last.id, engagedAt: last.engagedAt, engagedByName: last.engagedByName, reason: last.reason, releasedAt: last.releasedAt, releasedByName: last.releasedByName, releaseReason: last.releaseReason, faultsClearedAt: last.faultsClearedAt },
  };
}

export async function engageHalt(db: Db, actor: Actor, input: z.input<typeof haltInput>) {
  const { reason: why } = haltInput.parse(input);
  return runCommand(db, actor, async (ctx) => {
    await lockHalts(ctx.tx);
    const existing = await activeHalt(ctx.tx);
    if (existing) throw new AppError('CONFLICT', `Halt-all is already engaged (${haltWords(existing)}).`, undefined, { haltId: existing.id });
    const halt = await ctx.tx.halt.create({ data: { engagedById: actor.id, engagedByName: actor.name, reason: why } });
    const words = haltWords(halt);
    const runs = await haltRuns(ctx, halt, words);
    const rollouts = await haltRollouts(ctx, words);
    const injections = runs.reduce((n, r) => n + r.injections, 0);
    // Nothing to remove: the halt is clear at once (the record and the bench read faultsClearedAt).
    if (injections === 0) await ctx.tx.halt.update({ where: { id: halt.id }, data: { faultsClearedAt: halt.engagedAt } });
    await ctx.audit({ action: 'safety.halt.engage', targetType: 'halt', targetId: halt.id, targetName: 'halt-all', after: { reason: why, runs: runs.map((r) => r.id), rollouts, injections } });
    await ctx.emit('safety.changed', {});
    await haltEngagedWebhook(ctx.tx, { id: halt.id, by: actor.name, reason: why, runsAborted: runs.length, rolloutsPaused: rollouts.length });
    await ctx.tx.$executeRaw`SELECT pg_notify(${FAULTS_CHANNEL}, '')`;
    return { id: halt.id, runsAborted: runs.length, injectionsRemoved: injections, rolloutsPaused: rollouts.length };
  });
}

/** Every active run: its faults no longer desired (halted), the run aborted (halted) through the machine. */
async function haltRuns(ctx: CommandContext, halt: Halt, words: string) {
  const runs = await ctx.tx.experimentRun.findMany({ where: { state: { in: [...ACTIVE_RUN_STATES] } } });
  const out: Array<{ id: string; injections: number }> = [];
  for (const run of runs) {
    const count = await ctx.tx.injection.count({ where: { runId: run.id, removedAt: null, desired: true } });
    await ctx.tx.experimentRunEvent.create({ data: { runId: run.id, kind: 'halt', summary: `Stopped: ${words}; ${count} fault${count === 1 ? '' : 's'} to remove`, actorName: ctx.actor.name, data: { haltId: halt.id, injections: count } } });
    // The faults: desired=false with removeReason halted; the run: abort(halted) through the machine.
    await abortRun(ctx, run, 'halted', `Aborted: ${words}`, 'halted');
    out.push({ id: run.id, injections: count });
  }
  return out;
}

/** Every progressing rollout paused (halted); the reconciler refuses traffic increases of the rest. */
async function haltRollouts(ctx: CommandContext, words: string): Promise<string[]> {
  const ids = await ctx.tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM "Rollout" WHERE state = 'progressing' ORDER BY id FOR UPDATE`;
  const paused: string[] = [];
  for (const { id } of ids) {
    const r = await ctx.tx.rollout.findUniqueOrThrow({ where: { id } });
    const after = await rolloutTransition(ctx.tx, r, { type: 'pause', reason: 'halted' }, { actorName: ctx.actor.name, summary: `Paused: ${words}`, data: { halt: true } });
    await ctx.audit({ action: 'rollout.pause', targetType: 'rollout', targetId: id, targetName: r.name, before: { state: r.state }, after: { state: after.state, pauseReason: 'halted' } });
    await announce(ctx, after);
    paused.push(id);
  }
  return paused;
}

export async function releaseHalt(db: Db, actor: Actor, input: z.input<typeof haltInput>) {
  const { reason: why } = haltInput.parse(input);
  return runCommand(db, actor, async (ctx) => {
    await lockHalts(ctx.tx);
    const h = await activeHalt(ctx.tx);
    if (!h) throw new AppError('CONFLICT', 'Halt-all is not engaged; there is nothing to release.');
    await ctx.tx.halt.update({ where: { id: h.id }, data: { releasedAt: new Date(), releasedById: actor.id, releasedByName: actor.name, releaseReason: why } });
    // Rollouts stay paused: a person resumes each when ready; the detail says the halt is over.
    const detail = `Halt released by ${actor.name} (“${why}”) — resume when ready`;
    const halted = await ctx.tx.rollout.findMany({ where: { state: 'paused', pauseReason: 'halted' }, select: { id: true, version: true, state: true } });
    if (halted.length) await ctx.tx.rollout.updateMany({ where: { id: { in: halted.map((r) => r.id) } }, data: { stateDetail: detail } });
    for (const r of halted) await ctx.emit('rollout.changed', { id: r.id, version: r.version, state: r.state });
    await ctx.audit({ action: 'safety.halt.release', targetType: 'halt', targetId: h.id, targetName: 'halt-all', before: { engagedBy: h.engagedByName, reason: h.reason }, after: { reason: why, rolloutsStillPaused: halted.length } });
    await ctx.emit('safety.changed', {});
    await haltReleasedWebhook(ctx.tx, { id: h.id, by: actor.name, reason: why, rolloutsStillPaused: halted.length });
    return { id: h.id, rolloutsStillPaused: halted.length };
  });
}

/** HALT_CLEARED_SQL through Prisma (tests, a reaper); returns how many halts it marked clear. */
export function recordHaltCleared(db: DbOrTx, now: Date = new Date()): Promise<number> {
  return db.$executeRawUnsafe(HALT_CLEARED_SQL, now);
}

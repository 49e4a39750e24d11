// The one way a rollout's state moves, for the commands and the reconciler alike: the machine of
// server/domain/rollouts/machine.ts decides (a refused transition is a conflict in words), the row
// and its RolloutEvent are written together, and a command's write is guarded by the version the
// person saw (compare-and-set), so a command racing the reconciler never undoes what it did.
import type { Tx } from '../../db/client';
import type { Prisma, Rollout } from '../../db/generated/client';
import type { ServiceRouting } from '../../domain/model';
import {
  ROLLOUT_TRANSITIONS,
  STATE_LABELS,
  nextState,
  type AbortReason,
  type PauseReason,
  type RolloutEvent,
  type RolloutEventType,
  type RolloutState,
} from '../../domain/rollouts/machine';
import type { AnalysisResult } from '../../domain/rollouts/analysis/types';
import { rolloutSpecSchema, type RolloutSpec } from '../../domain/rollouts/spec';
import { AppError, notFound } from '../../errors';
import type { CommandContext } from '../command';
import { compareAndSet } from '../compare-and-set';
import { rolloutTransitionWebhooks } from '../webhooks/event-hooks';

/** Audit actions that move a rollout's version: the newest names who changed it last. */
export const ROLLOUT_ACTIONS = [
  'rollout.create',
  'rollout.update',
  'rollout.start',
  'rollout.pause',
  'rollout.resume',
  'rollout.abort',
  'rollout.retry',
  'rollout.promote',
  'rollout.promote-full',
  'rollout.override-guard',
  'rollout.override-freeze',
  'rollout.decide',
  'rollout.approval-expire',
] as const;

/** A plain value as a JSON column value (Prisma's JSON input type does not accept interfaces). */
export const toJson = (v: unknown) => JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;

export const rolloutLabel = (r: Pick<Rollout, 'name'>) => `Rollout "${r.name}"`;

/** The stored spec, parsed (it was validated on write; parsing fills the defaults). */
export function specOf(r: Pick<Rollout, 'spec'>): RolloutSpec {
  return rolloutSpecSchema.parse(r.spec);
}

const VERBS: Record<RolloutEventType, string> = {
  start: 'started',
  pause: 'paused',
  resume: 'resumed',
  advance: 'promoted to its next step',
  promote: 'promoted',
  abort: 'aborted',
  'routing-applied': 'finished',
  retry: 'retried',
};

const lower = (s: RolloutState) => STATE_LABELS[s].toLowerCase();

/** "The rollout is Succeeded; only a rolled-back rollout can be retried." */
export function refusalWords(from: RolloutState, event: RolloutEventType): string {
  const allowed = [...new Set(ROLLOUT_TRANSITIONS.filter((t) => t.event === event).map((t) => t.from))];
  const who = allowed.map((s) => (s === 'rolled_back' ? 'rolled-back' : lower(s)));
  const list = who.length > 1 ? `${who.slice(0, -1).join(', ')} or ${who.at(-1)}` : (who[0] ?? 'no');
  return `The rollout is ${STATE_LABELS[from]}; only a ${list} rollout can be ${VERBS[event]}.`;
}

export function refuse(from: RolloutState, event: RolloutEventType): AppError {
  return new AppError('CONFLICT', refusalWords(from, event), undefined, { state: from });
}

/** Loads a rollout for a command, or NOT_FOUND in words. */
export async function loadRollout(tx: Tx, id: string): Promise<Rollout> {
  const r = await tx.rollout.findUnique({ where: { id } });
  if (!r) throw notFound('That rollout');
  return r;
}

/** Takes the row lock the reconciler takes too: commands and the reconciler of one rollout queue up. */
export async function lockRollout(tx: Tx, id: string): Promise<Rollout | null> {
  await tx.$queryRaw`SELECT id FROM "Rollout" WHERE id = ${id}::uuid FOR UPDATE`;
  return tx.rollout.findUnique({ where: { id } });
}

export interface EventRecord {
  kind: 'state' | 'step' | 'approval' | 'decision' | 'analysis' | 'guard' | 'override' | 'routing';
  summary: string;
  actorName: string;
  stepIndex?: number | null;
  fromState?: RolloutState | null;
  toState?: RolloutState | null;
  data?: Record<string, unknown>;
}

export async function recordEvent(tx: Tx, r: Pick<Rollout, 'id' | 'serviceId' | 'attempt'>, e: EventRecord): Promise<void> {
  await tx.rolloutEvent.create({
    data: {
      rolloutId: r.id,
      serviceId: r.serviceId,
      attempt: r.attempt,
      stepIndex: e.stepIndex ?? null,
      kind: e.kind,
      fromState: e.fromState ?? null,
      toState: e.toState ?? null,
      summary: e.summary.slice(0, 2000),
      actorName: e.actorName,
      data: JSON.parse(JSON.stringify(e.data ?? {})) as Prisma.InputJsonValue,
    },
  });
}

export interface TransitionOptions {
  /** Who did it (a person's name, or "worker" for the reconciler). */
  actorName: string;
  /** What happened, in words, for the timeline and stateDetail. */
  summary: string;
  /** The reason in words kept on the row while the state lasts (defaults to the summary). */
  detail?: string;
  /** More columns to write with the state (currentStep, attempt, startedBy…). */
  extra?: Prisma.RolloutUncheckedUpdateManyInput;
  /** A command's compare-and-set: the version the person saw. Absent = the reconciler, under its row lock. */
  expectedVersion?: number;
  data?: Record<string, unknown>;
}

const pauseReasonOf = (e: RolloutEvent): PauseReason | null => (e.type === 'pause' ? e.reason : null);
const abortReasonOf = (e: RolloutEvent, r: Rollout): AbortReason | null =>
  e.type === 'abort' ? e.reason : e.type === 'routing-applied' && r.state === 'aborted' ? r.abortReason : null;

/**
 * Moves `r` by `event` through the machine, or throws the refusal in words. Writes the state, its
 * reasons and the event row; bumps the version. Returns the row as it is now.
 */
export async function transition(tx: Tx, r: Rollout, event: RolloutEvent, o: TransitionOptions): Promise<Rollout> {
  const to = nextState(r.state, event);
  if (!to) throw refuse(r.state, event.type);
  const data: Prisma.RolloutUncheckedUpdateManyInput = {
    ...o.extra,
    state: to,
    pauseReason: to === 'paused' ? pauseReasonOf(event) : null,
    abortReason: to === 'aborted' || to === 'rolled_back' ? abortReasonOf(event, r) : null,
    stateDetail: (o.detail ?? o.summary).slice(0, 2000),
    version: { increment: 1 },
  };
  if (to === 'succeeded' || to === 'rolled_back') data.finishedAt = new Date();
  if (o.expectedVersion !== undefined) {
    const expected = o.expectedVersion;
    await compareAndSet(tx, {
      row: { type: 'rollout', id: r.id, label: rolloutLabel(r) },
      expected,
      versionActions: ROLLOUT_ACTIONS,
      write: () => tx.rollout.updateMany({ where: { id: r.id, version: expected }, data }),
      current: async () => {
        const now = await tx.rollout.findUnique({ where: { id: r.id }, select: { version: true, state: true, currentStep: true, pauseReason: true } });
        return now && { version: now.version, values: { state: now.state, currentStep: now.currentStep, pauseReason: now.pauseReason } };
      },
    });
  } else {
    await tx.rollout.updateMany({ where: { id: r.id }, data });
  }
  const after = await tx.rollout.findUniqueOrThrow({ where: { id: r.id } });
  await recordEvent(tx, after, {
    kind: 'state',
    summary: o.summary,
    actorName: o.actorName,
    stepIndex: after.currentStep,
    fromState: r.state,
    toState: to,
    data: { event: event.type, ...('reason' in event ? { reason: event.reason } : {}), ...o.data },
  });
  await closeLeftovers(tx, r, after, o);
  await rolloutTransitionWebhooks(tx, r, event, after);
  return after;
}

/** States in which no analysis runs any more: the rollout is going (or gone) to 100 % of one version. */
const ANALYSIS_OVER: readonly RolloutState[] = ['aborted', 'rolled_back', 'succeeded'];

/**
 * What a transition leaves behind, closed in its transaction (every state change passes here, so
 * no path can forget it): an approval request nobody can decide any more (the rollout no longer
 * waits on it: aborted, promoted past, promoted in full) and an analysis that stopped looking (its
 * step was left, or the rollout is rolling back). The enums have no "withdrawn": a withdrawn
 * request is closed as `expired` with a closedAt before its expiresAt (so `decide` can say why),
 * and a stopped analysis as `inconclusive`, its last result kept with a summary that says so.
 */
async function closeLeftovers(tx: Tx, before: Rollout, after: Rollout, o: TransitionOptions): Promise<void> {
  const now = new Date();
  const why = `${after.state === 'progressing' || after.state === 'paused' ? 'the rollout moved on' : `the rollout was ${lower(after.state)}`} (${o.summary})`;
  if (!(after.state === 'paused' && after.pauseReason === 'awaiting_approval')) {
    const open = await tx.approvalRequest.findMany({ where: { rolloutId: after.id, state: 'open' }, select: { id: true, stepIndex: true } });
    for (const q of open) {
      await tx.approvalRequest.update({ where: { id: q.id }, data: { state: 'expired', closedAt: now } });
      await recordEvent(tx, after, { kind: 'approval', summary: `Approval request closed without a decision: ${why}`, actorName: o.actorName, stepIndex: q.stepIndex, data: { requestId: q.id, state: 'expired', withdrawn: true } });
    }
  }
  const stopAll = ANALYSIS_OVER.includes(after.state);
  const running = await tx.analysisRun.findMany({ where: { rolloutId: after.id, attempt: before.attempt, verdict: 'running' } });
  for (const run of running) {
    const isBackground = run.stepIndex < 0;
    // A step's analysis stops when its step is left or the rollout ends; the background one only
    // when the rollout rolls back (a promotion closes it once 100 % is applied: reconcile.ts).
    const stops = isBackground ? stopAll : stopAll || after.state === 'promoting' || after.currentStep !== run.stepIndex || after.attempt !== run.attempt;
    if (!stops) continue;
    const last = run.result as unknown as Partial<AnalysisResult>;
    const summary = `Stopped: ${why}${last.summary ? `; last look: ${last.summary}` : ''}`;
    await tx.analysisRun.update({ where: { id: run.id }, data: { verdict: 'inconclusive', decidedAt: now, result: toJson({ ...last, verdict: 'inconclusive', decidedAt: now.getTime(), summary }) } });
    await recordEvent(tx, after, { kind: 'analysis', summary: `${isBackground ? 'Background analysis' : 'Analysis'} ${summary.charAt(0).toLowerCase()}${summary.slice(1)}`, actorName: o.actorName, stepIndex: isBackground ? null : run.stepIndex, data: { verdict: 'inconclusive', stopped: true, background: isBackground } });
  }
}

/** A command's write that is not a state change (e.g. an edit): compare-and-set on the version. */
export async function bumpVersion(tx: Tx, r: Rollout, expected: number, data: Prisma.RolloutUncheckedUpdateManyInput): Promise<Rollout> {
  await compareAndSet(tx, {
    row: { type: 'rollout', id: r.id, label: rolloutLabel(r) },
    expected,
    versionActions: ROLLOUT_ACTIONS,
    write: () => tx.rollout.updateMany({ where: { id: r.id, version: expected }, data: { ...data, version: { increment: 1 } } }),
    current: async () => {
      const now = await tx.rollout.findUnique({ where: { id: r.id }, select: { version: true, state: true } });
      return now && { version: now.version, values: { state: now.state } };
    },
  });
  return tx.rollout.findUniqueOrThrow({ where: { id: r.id } });
}

/**
 * Writes the rollout's routing into its service (desired state) and bumps Service.version; the
 * telemetry leader applies it through the adapter and then raises appliedVersion. The version is
 * recorded on the rollout (and by the caller on the step run) in the same transaction, so a retry
 * after a crash sees it written and never writes it twice.
 */
export async function writeRouting(tx: Tx, r: Rollout, routing: ServiceRouting, actorName: string, summary: string): Promise<{ rollout: Rollout; routingVersion: number }> {
  const service = await tx.service.update({
    where: { id: r.serviceId },
    data: { routing: routing as unknown as Prisma.InputJsonValue, version: { increment: 1 } },
    select: { version: true },
  });
  const rollout = await tx.rollout.update({
    where: { id: r.id },
    data: { desiredRouting: routing as unknown as Prisma.InputJsonValue, routingVersion: service.version },
  });
  await recordEvent(tx, rollout, { kind: 'routing', summary, actorName, stepIndex: r.currentStep, data: { routing, serviceVersion: service.version } });
  return { rollout, routingVersion: service.version };
}

/** The live event and the reconciler job every change of a rollout carries. */
export async function announce(ctx: CommandContext, r: Pick<Rollout, 'id' | 'version' | 'state'>, runAt?: Date): Promise<void> {
  await ctx.emit('rollout.changed', { id: r.id, version: r.version, state: r.state });
  await ctx.enqueue('rollout_reconcile', { rolloutId: r.id }, { jobKey: `rollout:${r.id}`, runAt });
}

// The reconciler of one rollout (job rollout_reconcile, key rollout:<id>): one transaction that
// holds the rollout's row lock (commands and decisions wait their turn), reads the desired state
// and what the platform reported applied, makes every move that is due now, and re-enqueues
// itself for the next timer (a pause's end, an approval's expiry, the next tick while routing
// waits to be applied or an analysis runs). Whatever it wrote is recorded with it, so a retry
// after a crash continues from the recorded step and never writes a step's routing twice.
import type { Db, Tx } from '../../db/client';
import type { Rollout, Service } from '../../db/generated/client';
import { tally } from '../../domain/rollouts/approvals';
import type { RolloutSpec } from '../../domain/rollouts/spec';
import { runCommand, type CommandContext } from '../command';
import { BACKGROUND, closeBackground, ensureAnalysisRun, lookAt } from './analysis-runs';
import { guardHoldsNow } from './guard-inputs';
import { abortWith, advanceFrom, holdByGuard, WORKER } from './reconcile-moves';
import { progress, type Move } from './reconcile-steps';
import { lockRollout, recordEvent, specOf, transition } from './rollout-state';
import { endStepRun, findStepRun } from './step-runs';
import { whileFrozen } from './safety-holds';

export interface ReconcileOptions {
  /** The telemetry tick: how often to look again while routing waits or an analysis runs. */
  tickMs: number;
  now?: () => Date;
}

export interface ReconcileResult {
  state: string | null;
  step: number | null;
  /** When the reconciler runs next (null = when a command wakes it). */
  wake: string | null;
}

/** Moves at most this many times in one run (a step done → the next step starts → …). */
const MAX_MOVES = 25;

/**
 * A look replays every tick of each running analysis since it started (O(window) per look), so a
 * long analysis makes a long transaction: past Prisma's default 5 s it would roll back and retry
 * forever. 60 s bounds it still (commands on this rollout wait behind its row lock meanwhile).
 */
export const RECONCILE_TX_TIMEOUT_MS = 60_000;

export async function reconcileRollout(db: Db, input: { rolloutId: string }, opts: ReconcileOptions): Promise<ReconcileResult> {
  return runCommand(db, { id: null, name: WORKER }, async (ctx) => {
    let r = await lockRollout(ctx.tx, input.rolloutId);
    if (!r) return { state: null, step: null, wake: null };
    const start = { version: r.version, state: r.state, detail: r.stateDetail };
    const spec = specOf(r);
    const now = opts.now?.() ?? new Date();
    const tick = new Date(now.getTime() + opts.tickMs);
    let wake: Date | null = null;
    for (let i = 0; i < MAX_MOVES; i++) {
      const service = await ctx.tx.service.findUniqueOrThrow({ where: { id: r.serviceId } });
      const move = await moveOnce(ctx, r, spec, service, now, tick);
      r = move.rollout;
      wake = move.wake;
      if (!move.again) break;
    }
    const bg = await background(ctx.tx, r, spec, now, tick);
    r = bg.rollout;
    if (bg.wake && (!wake || bg.wake < wake)) wake = bg.wake;
    if ((start.state === 'progressing' || start.state === 'paused') && r.abortReason && r.abortReason !== 'manual') {
      // The reconciler's own abort (analysis failed, approval rejected or expired) is audited as a person's is.
      await ctx.audit({ action: 'rollout.abort', targetType: 'rollout', targetId: r.id, targetName: r.name, before: { state: start.state }, after: { state: r.state, reason: r.abortReason, detail: r.stateDetail } });
    }
    // A new stateDetail (a guard's live value) is news for the browsers even without a new version.
    if (r.version !== start.version || r.stateDetail !== start.detail) await ctx.emit('rollout.changed', { id: r.id, version: r.version, state: r.state });
    // Only the job: a live event per look would wake every browser every tick for nothing.
    if (wake) await ctx.enqueue('rollout_reconcile', { rolloutId: r.id }, { jobKey: `rollout:${r.id}`, runAt: wake });
    return { state: r.state, step: r.currentStep, wake: wake?.toISOString() ?? null };
  }, { timeoutMs: RECONCILE_TX_TIMEOUT_MS });
}

async function moveOnce(ctx: CommandContext, r: Rollout, spec: RolloutSpec, service: Service, now: Date, tick: Date): Promise<Move> {
  const tx = ctx.tx;
  const stay: Move = { rollout: r, again: false, wake: null };
  switch (r.state) {
    case 'pending':
    case 'succeeded':
    case 'rolled_back':
      return stay;
    case 'aborted':
    case 'promoting': {
      // The final routing was written with the abort / promotion; done once the platform has it.
      if (r.routingVersion === null || service.appliedVersion < r.routingVersion) return { ...stay, wake: tick };
      const ok = r.state === 'promoting';
      if (ok) await endStepRun(tx, r, spec, 'done', `the platform applied 100 % ${spec.canaryVersion}`, WORKER);
      await closeBackground(tx, r, ok ? 'pass' : 'inconclusive');
      const summary = ok
        ? `Succeeded: 100 % ${spec.canaryVersion} applied by the platform (routing version ${r.routingVersion})`
        : `Rolled back: 100 % ${spec.stableVersion} applied by the platform, header rules removed (routing version ${r.routingVersion})`;
      return { rollout: await transition(tx, r, { type: 'routing-applied' }, { actorName: WORKER, summary, detail: ok ? summary : `${r.stateDetail} — rolled back` }), again: false, wake: null };
    }
    case 'progressing':
      return progress(tx, r, spec, service, now, tick);
    case 'paused':
      return whilePaused(ctx, r, spec, now, tick);
  }
}

async function whilePaused(ctx: CommandContext, r: Rollout, spec: RolloutSpec, now: Date, tick: Date): Promise<Move> {
  const tx = ctx.tx;
  const stay: Move = { rollout: r, again: false, wake: null };
  const step = spec.steps[r.currentStep];
  switch (r.pauseReason) {
    case 'step_pause': {
      if (step?.kind !== 'pause' || step.seconds === undefined) return stay;
      const run = await tx.rolloutStepRun.findUnique({ where: { rolloutId_attempt_stepIndex: { rolloutId: r.id, attempt: r.attempt, stepIndex: r.currentStep } } });
      const end = new Date((run?.startedAt ?? now).getTime() + step.seconds * 1000);
      if (now < end) return { ...stay, wake: end };
      return { rollout: await advanceFrom(tx, r, spec, 'the pause ended'), again: true, wake: null };
    }
    case 'awaiting_approval': {
      const request = await tx.approvalRequest.findUnique({
        where: { rolloutId_attempt_stepIndex: { rolloutId: r.id, attempt: r.attempt, stepIndex: r.currentStep } },
        include: { decisions: true },
      });
      if (!request) return { rollout: await transition(tx, r, { type: 'resume' }, { actorName: WORKER, summary: 'Resumed: no approval request found for this step' }), again: true, wake: null };
      const state = tally(request, request.decisions, now);
      if (state === 'expired' && request.state === 'open') {
        await tx.approvalRequest.update({ where: { id: request.id }, data: { state: 'expired', closedAt: now } });
        const abort = request.onExpiry === 'abort';
        await recordEvent(tx, r, { kind: 'approval', summary: `Approval expired with ${request.decisions.length} of ${request.quorum} approvals${abort ? '' : '; the rollout stays paused for a person to promote or abort it'}`, actorName: WORKER, stepIndex: r.currentStep, data: { requestId: request.id, state: 'expired' } });
        await ctx.audit({ action: 'rollout.approval-expire', targetType: 'rollout', targetId: r.id, targetName: r.name, before: { request: 'open' }, after: { request: 'expired', requestId: request.id, onExpiry: request.onExpiry } });
        if (abort) return { rollout: await abortWith(tx, r, spec, 'approval_expired', 'Approval expired, rolling back'), again: true, wake: null };
        // What people saw (an open approval) changed: a new version, so a command based on it is stale.
        await tx.rollout.update({ where: { id: r.id }, data: { stateDetail: 'Approval expired; an approver can promote past it, or an operator abort', version: { increment: 1 } } });
        return { rollout: await tx.rollout.findUniqueOrThrow({ where: { id: r.id } }), again: false, wake: null };
      }
      if (state === 'approved') {
        const names = request.decisions.filter((d) => d.decision === 'approve').map((d) => d.approverName);
        return { rollout: await advanceFrom(tx, r, spec, `approved by ${names.join(', ')}`), again: true, wake: null };
      }
      if (state === 'rejected') {
        const by = request.decisions.find((d) => d.decision === 'reject');
        return { rollout: await abortWith(tx, r, spec, 'approval_rejected', `Approval rejected by ${by?.approverName ?? 'an approver'}${by ? `: ${by.reason}` : ''}; rolling back`), again: true, wake: null };
      }
      return { ...stay, wake: state === 'open' ? request.expiresAt : null };
    }
    case 'guard': {
      const holds = await guardHoldsNow(tx, r.serviceId, spec.canaryVersion);
      if (holds.length > 0) return { rollout: await holdByGuard(tx, r, spec, holds), again: false, wake: tick };
      await recordEvent(tx, r, { kind: 'guard', summary: 'Guard cleared', actorName: WORKER, stepIndex: r.currentStep });
      return { rollout: await transition(tx, r, { type: 'resume' }, { actorName: WORKER, summary: 'Resumed: the guard cleared' }), again: true, wake: null };
    }
    case 'frozen': {
      // Inside a freeze window: go on by itself once the window ends (or an approver overrode it).
      const run = await findStepRun(tx, r);
      const { frozenUntil } = await whileFrozen(tx, r, run, now);
      if (frozenUntil) return { ...stay, wake: frozenUntil < tick ? tick : frozenUntil };
      await recordEvent(tx, r, { kind: 'guard', summary: 'Freeze window over', actorName: WORKER, stepIndex: r.currentStep });
      return { rollout: await transition(tx, r, { type: 'resume' }, { actorName: WORKER, summary: 'Resumed: the freeze window ended' }), again: true, wake: null };
    }
    default:
      // Paused by a person, an inconclusive analysis or a halt: a person moves it on.
      return stay;
  }
}

/**
 * The background analysis: from the first canary traffic the platform applied to the end of the
 * rollout; a failure rolls back from any step, in the transaction of the verdict.
 */
async function background(tx: Tx, r: Rollout, spec: RolloutSpec, now: Date, tick: Date): Promise<{ rollout: Rollout; wake: Date | null }> {
  const bg = spec.backgroundAnalysis;
  if (!bg || (r.state !== 'progressing' && r.state !== 'paused')) return { rollout: r, wake: null };
  const applied = await tx.rolloutStepRun.findMany({
    where: { rolloutId: r.id, attempt: r.attempt, appliedAt: { not: null }, kind: { in: ['setWeight', 'setHeaderRoute'] } },
    orderBy: { appliedAt: 'asc' },
  });
  const first = applied.find((s) => carriesCanary(s.routing, spec.canaryVersion));
  if (!first?.appliedAt) return { rollout: r, wake: null };
  const run = await ensureAnalysisRun(tx, r, spec, { stepIndex: BACKGROUND, metrics: bg.metrics, startedAt: first.appliedAt, endsAt: null });
  const result = await lookAt(tx, r, spec, run, bg.metrics, now);
  if (result.verdict !== 'fail') return { rollout: r, wake: tick };
  await recordEvent(tx, r, { kind: 'analysis', summary: `Background analysis failed: ${result.summary}`, actorName: WORKER, stepIndex: r.currentStep, data: { verdict: 'fail', background: true } });
  return { rollout: await abortWith(tx, r, spec, 'analysis_failed', `Background analysis failed, rolling back: ${result.summary}`), wake: tick };
}

function carriesCanary(routing: unknown, canary: string): boolean {
  const r = routing as { versionWeights?: Record<string, number>; headerRules?: unknown[] } | null;
  return (r?.versionWeights?.[canary] ?? 0) > 0 || (r?.headerRules?.length ?? 0) > 0;
}

// Approvals are records (SPEC §6.2): a named approver, approve or reject, a reason, a time. Never
// the rollout's author; a quorum counts distinct approvers; one decision per approver (the
// database refuses a second one too). The reconciler acts on a closed request (advance or abort).
import type { z } from 'zod';
import type { Db, DbOrTx } from '../../db/client';
import type { ApprovalRequest, Rollout } from '../../db/generated/client';
import { hasRole } from '../../auth/roles';
import { approvalCount, decisionRefusal, tally } from '../../domain/rollouts/approvals';
import { STATE_LABELS } from '../../domain/rollouts/machine';
import { AppError, notFound } from '../../errors';
import { runCommand, type Actor } from '../command';
import { authorIds, authorIdsOf } from './authors';
import { decideInput } from './rollout-inputs';
import { announce, lockRollout, recordEvent, specOf } from './rollout-state';
import { stepWords } from './step-runs';

/** The request is the one the rollout waits on now (not one of an earlier attempt or step). */
export const isLiveRequest = (r: Pick<Rollout, 'state' | 'pauseReason' | 'attempt' | 'currentStep'>, q: Pick<ApprovalRequest, 'attempt' | 'stepIndex'>) =>
  r.state === 'paused' && r.pauseReason === 'awaiting_approval' && r.attempt === q.attempt && r.currentStep === q.stepIndex;

async function isApprover(db: DbOrTx, userId: string | null): Promise<boolean> {
  if (!userId) return false;
  const u = await db.user.findUnique({ where: { id: userId }, select: { role: true, active: true } });
  return !!u && u.active && hasRole(u.role, 'approver');
}

const FORBIDDEN_REFUSALS = /^(Only an approver|You created|You started|You edited)/;

export async function decideApproval(db: Db, actor: Actor, input: z.input<typeof decideInput>) {
  const { requestId, decision, reason } = decideInput.parse(input);
  try {
    return await runCommand(db, actor, async (ctx) => {
      const found = await ctx.tx.approvalRequest.findUnique({ where: { id: requestId }, select: { rolloutId: true } });
      if (!found) throw notFound('That approval request');
      // The rollout's row lock: decisions and the reconciler take turns, so a tally is never stale.
      const rollout = (await lockRollout(ctx.tx, found.rolloutId))!;
      const request = await ctx.tx.approvalRequest.findUniqueOrThrow({ where: { id: requestId }, include: { decisions: true } });
      const now = new Date();
      const refusal = decisionRefusal({
        user: { id: actor.id ?? '', isApprover: await isApprover(ctx.tx, actor.id) },
        rollout: { ...rollout, authorIds: await authorIds(ctx.tx, rollout) },
        request,
        decisions: request.decisions,
        now,
      });
      if (refusal && FORBIDDEN_REFUSALS.test(refusal)) throw new AppError('FORBIDDEN', `${refusal}.`);
      // Closed before its expiry without a quorum or a reject: the rollout left the gate (rollout-state closeLeftovers).
      if (request.state === 'expired' && request.closedAt && request.closedAt < request.expiresAt) {
        throw new AppError('CONFLICT', `This approval is closed: the rollout is ${STATE_LABELS[rollout.state].toLowerCase()} and no longer waits for it.`);
      }
      if (refusal) throw new AppError('CONFLICT', `${refusal}.`);
      if (!isLiveRequest(rollout, request)) throw new AppError('CONFLICT', 'This approval is closed: the rollout is no longer waiting for it.');
      await ctx.tx.approvalDecision.create({ data: { requestId, approverId: actor.id!, approverName: actor.name, decision, reason } });
      const decisions = [...request.decisions, { approverId: actor.id!, decision, at: now }];
      const count = approvalCount(decisions);
      const spec = specOf(rollout);
      const verb = decision === 'approve' ? 'approved' : 'rejected';
      await recordEvent(ctx.tx, rollout, {
        kind: 'decision',
        summary: `${actor.name} ${verb} ${stepWords(spec, request.stepIndex)} (${count} of ${request.quorum}): ${reason}`,
        actorName: actor.name,
        stepIndex: request.stepIndex,
        data: { requestId, decision, reason, approvals: count, quorum: request.quorum },
      });
      const state = tally(request, decisions, now);
      if (state !== 'open') {
        await ctx.tx.approvalRequest.update({ where: { id: requestId }, data: { state, closedAt: now } });
        const names = [...new Set([...request.decisions.filter((d) => d.decision === 'approve').map((d) => d.approverName), ...(decision === 'approve' ? [actor.name] : [])])];
        const summary = state === 'approved' ? `Approval reached its quorum of ${request.quorum}: ${names.join(', ')}` : `Approval rejected by ${actor.name}: ${reason}`;
        await recordEvent(ctx.tx, rollout, { kind: 'approval', summary, actorName: actor.name, stepIndex: request.stepIndex, data: { requestId, state } });
      }
      await ctx.audit({ action: 'rollout.decide', targetType: 'rollout', targetId: rollout.id, targetName: rollout.name, after: { requestId, decision, reason, request: state } });
      await announce(ctx, rollout);
      return { requestId, state, approvals: count, quorum: request.quorum };
    });
  } catch (err) {
    // Two decisions of one approver racing: the database kept the first.
    if (err instanceof AppError && err.details?.table === 'ApprovalDecision') {
      throw new AppError('CONFLICT', 'You already decided this request; each approver decides once.');
    }
    throw err;
  }
}

export interface OpenRequest {
  request: ApprovalRequest & { decisions: Array<{ approverId: string; decision: 'approve' | 'reject' }> };
  rollout: Rollout & { authorIds: string[] };
}

/** Open requests a rollout waits on now, with their decisions. */
export async function liveRequests(db: DbOrTx, where: { rolloutIds?: string[] } = {}): Promise<OpenRequest[]> {
  const rows = await db.approvalRequest.findMany({
    where: { state: 'open', rollout: { state: 'paused', pauseReason: 'awaiting_approval', ...(where.rolloutIds ? { id: { in: where.rolloutIds } } : {}) } },
    include: { decisions: { select: { approverId: true, decision: true } }, rollout: true },
  });
  const live = rows.filter((r) => isLiveRequest(r.rollout, r));
  const authors = await authorIdsOf(db, live.map((r) => r.rollout));
  return live.map(({ rollout, ...request }) => ({ request, rollout: { ...rollout, authorIds: authors.get(rollout.id) ?? [] } }));
}

/** Whether `user` may decide `request` now (the button shown is the button that works). */
export function canDecide(user: { id: string; isApprover: boolean }, o: OpenRequest, now = new Date()): boolean {
  return decisionRefusal({ user, rollout: o.rollout, request: o.request, decisions: o.request.decisions, now }) === null;
}

/** "Waiting for your approval": open requests the signed-in user may decide. */
export async function pendingApprovals(db: Db, user: { id: string }) {
  const approver = await isApprover(db, user.id);
  if (!approver) return { count: 0 };
  const open = await liveRequests(db);
  return { count: open.filter((o) => canDecide({ id: user.id, isApprover: true }, o)).length };
}

export { isApprover };

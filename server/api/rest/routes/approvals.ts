// Approve or reject a rollout by its id (the CLI's `rollouts approve ID`, a chat link): REST
// clients know the rollout, not the id of the approval request it waits on. The handler finds
// that request and calls rollouts.decide through a caller, so the same rules apply as in the
// console: approvers only, never the author, one decision each, quorum, expiry — and the same
// audit row (with the token's name).
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { uuid } from '../../../domain/inputs';
import { AppError } from '../../../errors';
import { reason } from '../../../services/rollouts/rollout-inputs';
import { STATE_LABELS } from '../../../domain/rollouts/machine';
import { createCaller } from '../../root';
import type { Context } from '../../trpc';
import type { HandlerRoute } from '../route';
import { bodyOf, type RawRequest } from './map-input';

export const decideByRolloutInput = z
  .object({
    id: uuid(),
    reason: reason(),
    /** The rollout version the approver looked at (If-Match): a rollout that moved on since is refused. */
    version: z.number().int().min(1).max(2_147_483_647).optional(),
  })
  .strict();

/** Decides the approval request the rollout waits on now; 409 in words when it waits on none. */
export async function decideRolloutApproval(ctx: Context, rolloutId: string, decision: 'approve' | 'reject', why: string, seenVersion?: number) {
  const caller = createCaller(ctx);
  const rollout = await caller.rollouts.get({ id: rolloutId });
  // Approving by rollout id decides whatever it waits on NOW: an approver who looked at step 2
  // must not approve step 4 because the rollout moved on meanwhile.
  if (seenVersion !== undefined && seenVersion !== rollout.version) {
    const words = `Rollout "${rollout.name}" changed since version ${seenVersion} — it is now version ${rollout.version}. Look at it again, then decide.`;
    throw new TRPCError({ code: 'CONFLICT', message: words, cause: new AppError('CONFLICT', words, undefined, { currentVersion: rollout.version, expectedVersion: seenVersion }) });
  }
  if (!rollout.approval) {
    const state = STATE_LABELS[rollout.state].toLowerCase();
    const words = `Rollout "${rollout.name}" is not waiting for an approval (it is ${state}${rollout.stateDetail ? `: ${rollout.stateDetail}` : ''}).`;
    // As a procedure's refusal reaches the REST layer: a TRPCError carrying the AppError.
    throw new TRPCError({ code: 'CONFLICT', message: words, cause: new AppError('CONFLICT', words) });
  }
  const decided = await caller.rollouts.decide({ requestId: rollout.approval.requestId, decision, reason: why });
  return { rolloutId, decision, ...decided };
}

function decideRoute(decision: 'approve' | 'reject'): HandlerRoute {
  return {
    method: 'POST',
    path: `/rollouts/{id}/${decision}`,
    operationId: decision === 'approve' ? 'approveRollout' : 'rejectRollout',
    summary: `${decision === 'approve' ? 'Approve' : 'Reject'} the approval request the rollout waits on (body {reason}); 409 when it waits on none.`,
    tag: 'rollouts',
    min: 'approver',
    input: decideByRolloutInput,
    versionField: 'version',
    mapInput: (raw: RawRequest) => {
      const body = bodyOf(raw);
      return { id: raw.params.id, reason: body.reason, ...(body.version !== undefined ? { version: body.version } : {}) };
    },
    handler: async (ctx, input) => {
      const { id, reason: why, version } = decideByRolloutInput.parse(input);
      return decideRolloutApproval(ctx, id, decision, why, version);
    },
  };
}

export const approvalRoutes: HandlerRoute[] = [decideRoute('approve'), decideRoute('reject')];

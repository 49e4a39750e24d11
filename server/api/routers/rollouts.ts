import { tracked } from '@trpc/server';
import { z } from 'zod';
import { numericId } from '../../domain/inputs';
import { databaseUrl } from '../../env';
import { liveBus } from '../../live/bus';
import { liveStream } from '../../live/stream';
import { decideApproval, pendingApprovals } from '../../services/rollouts/approvals';
import { abortRollout, createRollout, pauseRollout, removeRollout, resumeRollout, retryRollout, startRollout, updateRollout } from '../../services/rollouts/rollout-commands';
import {
  createRolloutInput,
  decideInput,
  listRolloutsInput,
  previewInput,
  rolloutId,
  rolloutRef,
  rolloutWithReason,
  templateInput,
  updateRolloutInput,
} from '../../services/rollouts/rollout-inputs';
import { previewRolloutSpec, rolloutTemplate } from '../../services/rollouts/rollout-preview';
import { overrideRolloutFreeze, overrideRolloutGuard, promoteRollout, promoteRolloutFull } from '../../services/rollouts/rollout-promote';
import { getRollout, listRollouts, rolloutHistory } from '../../services/rollouts/rollout-reads';
import { whileSignedIn } from '../live-session';
import { approverProcedure, operatorProcedure, router, viewerProcedure } from '../trpc';

/**
 * Canary rollouts: everyone reads; operators author and run them; approvers also promote,
 * override guards and decide approvals (never on a rollout they created or started).
 */
export const rolloutsRouter = router({
  list: viewerProcedure.input(listRolloutsInput).query(({ ctx, input }) => listRollouts(ctx.db, ctx.user, input)),
  get: viewerProcedure.input(rolloutId).query(({ ctx, input }) => getRollout(ctx.db, ctx.user, input)),
  history: viewerProcedure.input(rolloutId).query(({ ctx, input }) => rolloutHistory(ctx.db, input)),
  template: viewerProcedure.input(templateInput).query(({ ctx, input }) => rolloutTemplate(ctx.db, input)),
  pendingApprovals: viewerProcedure.query(({ ctx }) => pendingApprovals(ctx.db, ctx.user)),
  // A mutation: it computes on demand from the author's unsaved spec.
  preview: operatorProcedure.input(previewInput).mutation(({ ctx, input }) => previewRolloutSpec(ctx.db, input)),

  create: operatorProcedure.input(createRolloutInput).mutation(({ ctx, input }) => createRollout(ctx.db, ctx.actor, input)),
  update: operatorProcedure.input(updateRolloutInput).mutation(({ ctx, input }) => updateRollout(ctx.db, ctx.actor, input)),
  remove: operatorProcedure.input(rolloutRef).mutation(({ ctx, input }) => removeRollout(ctx.db, ctx.actor, input)),
  start: operatorProcedure.input(rolloutRef).mutation(({ ctx, input }) => startRollout(ctx.db, ctx.actor, input)),
  pause: operatorProcedure.input(rolloutRef).mutation(({ ctx, input }) => pauseRollout(ctx.db, ctx.actor, input)),
  resume: operatorProcedure.input(rolloutRef).mutation(({ ctx, input }) => resumeRollout(ctx.db, ctx.actor, input)),
  retry: operatorProcedure.input(rolloutRef).mutation(({ ctx, input }) => retryRollout(ctx.db, ctx.actor, input)),
  abort: operatorProcedure.input(rolloutWithReason).mutation(({ ctx, input }) => abortRollout(ctx.db, ctx.actor, input)),
  promote: approverProcedure.input(rolloutRef).mutation(({ ctx, input }) => promoteRollout(ctx.db, ctx.actor, input)),
  promoteFull: approverProcedure.input(rolloutWithReason).mutation(({ ctx, input }) => promoteRolloutFull(ctx.db, ctx.actor, input)),
  overrideGuard: approverProcedure.input(rolloutWithReason).mutation(({ ctx, input }) => overrideRolloutGuard(ctx.db, ctx.actor, input)),
  overrideFreeze: approverProcedure.input(rolloutWithReason).mutation(({ ctx, input }) => overrideRolloutFreeze(ctx.db, ctx.actor, input)),
  decide: approverProcedure.input(decideInput).mutation(({ ctx, input }) => decideApproval(ctx.db, ctx.actor, input)),

  /** Rollout changes as they commit: {id, version, state}; `tracked` ids resume after a reconnect. */
  onChange: viewerProcedure
    .input(z.object({ lastEventId: numericId().nullish() }).optional())
    .subscription(async function* ({ ctx, input, signal }) {
      yield* whileSignedIn(ctx, signal, async function* (s) {
        for await (const e of liveStream(liveBus(databaseUrl()), input?.lastEventId, s)) {
          if (e.topic === 'rollout.changed') yield tracked(e.id, { id: String(e.payload.id), version: Number(e.payload.version), state: String(e.payload.state) });
        }
      });
    }),
});

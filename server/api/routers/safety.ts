import { tracked } from '@trpc/server';
import { z } from 'zod';
import { numericId } from '../../domain/inputs';
import { databaseUrl } from '../../env';
import { liveBus } from '../../live/bus';
import { liveStream } from '../../live/stream';
import { createFreeze, createFreezeInput, freezeRef, listFreezes, removeFreeze, updateFreeze, updateFreezeInput } from '../../services/safety/freeze';
import { engageHalt, haltInput, releaseHalt } from '../../services/safety/halt';
import { chaosLimits, setChaosLimits, setLimitsInput } from '../../services/safety/limits';
import { safetyStatus } from '../../services/safety/status';
import { whileSignedIn } from '../live-session';
import { adminProcedure, approverProcedure, operatorProcedure, router, viewerProcedure } from '../trpc';

/** Freeze windows: everyone sees them (banner, timeline); approvers manage them. */
const freezesRouter = router({
  list: viewerProcedure.query(({ ctx }) => listFreezes(ctx.db)),
  create: approverProcedure.input(createFreezeInput).mutation(({ ctx, input }) => createFreeze(ctx.db, ctx.actor, input)),
  update: approverProcedure.input(updateFreezeInput).mutation(({ ctx, input }) => updateFreeze(ctx.db, ctx.actor, input)),
  remove: approverProcedure.input(freezeRef).mutation(({ ctx, input }) => removeFreeze(ctx.db, ctx.actor, input)),
});

const limitsRouter = router({
  get: viewerProcedure.query(({ ctx }) => chaosLimits(ctx.db)),
  set: adminProcedure.input(setLimitsInput).mutation(({ ctx, input }) => setChaosLimits(ctx.db, ctx.actor, input)),
});

/**
 * The safety layer over rollouts and experiments: halt-all (any operator engages with a reason,
 * only an approver releases, with a reason), freeze windows, and the global blast-radius maximum.
 */
export const safetyRouter = router({
  status: viewerProcedure.query(({ ctx }) => safetyStatus(ctx.db)),
  haltEngage: operatorProcedure.input(haltInput).mutation(({ ctx, input }) => engageHalt(ctx.db, ctx.actor, input)),
  haltRelease: approverProcedure.input(haltInput).mutation(({ ctx, input }) => releaseHalt(ctx.db, ctx.actor, input)),
  freezes: freezesRouter,
  limits: limitsRouter,

  /** Halt / freeze / limits changes as they commit; `tracked` ids resume after a reconnect. */
  onChange: viewerProcedure
    .input(z.object({ lastEventId: numericId().nullish() }).optional())
    .subscription(async function* ({ ctx, input, signal }) {
      yield* whileSignedIn(ctx, signal, async function* (s) {
        for await (const e of liveStream(liveBus(databaseUrl()), input?.lastEventId, s)) {
          if (e.topic === 'safety.changed') yield tracked(e.id, { topic: e.topic });
        }
      });
    }),
});

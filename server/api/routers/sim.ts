import { z } from 'zod';
import {
  clearSimControls,
  getSimStatus,
  resetVersionBehaviour,
  resetVersionBehaviourInput,
  setDemand,
  setDemandInput,
  setVersionBehaviour,
  setVersionBehaviourInput,
  stressInstance,
  stressInstanceInput,
} from '../../services/platform/sim-control';
import { operatorProcedure, router, viewerProcedure } from '../trpc';

/** The simulator's control API; refused with PRECONDITION_FAILED unless the simulator is active. */
export const simRouter = router({
  status: viewerProcedure.query(({ ctx }) => getSimStatus(ctx.db)),
  setDemand: operatorProcedure.input(setDemandInput).mutation(({ ctx, input }) => setDemand(ctx.db, ctx.actor, input)),
  stress: operatorProcedure.input(stressInstanceInput).mutation(({ ctx, input }) => stressInstance(ctx.db, ctx.actor, input)),
  /** How an app version behaves in the simulated world (latency ×, error %, CPU ×): good or bad canaries. */
  setVersion: operatorProcedure.input(setVersionBehaviourInput).mutation(({ ctx, input }) => setVersionBehaviour(ctx.db, ctx.actor, input)),
  resetVersion: operatorProcedure.input(resetVersionBehaviourInput).mutation(({ ctx, input }) => resetVersionBehaviour(ctx.db, ctx.actor, input)),
  clear: operatorProcedure.input(z.object({}).optional()).mutation(({ ctx }) => clearSimControls(ctx.db, ctx.actor)),
});

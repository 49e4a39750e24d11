import { edgeTransitions, edgeTransitionsInput, machineView, machineViewInput } from '../../services/machines/machines';
import { inStateInput, inStateNow, machineHistory, machineHistoryInput } from '../../services/machines/machine-fleet';
import { router, viewerProcedure } from '../trpc';

export const machinesRouter = router({
  view: viewerProcedure.input(machineViewInput).query(({ ctx, input }) => machineView(ctx.db, input)),
  transitions: viewerProcedure.input(edgeTransitionsInput).query(({ ctx, input }) => edgeTransitions(ctx.db, input)),
  history: viewerProcedure.input(machineHistoryInput).query(({ ctx, input }) => machineHistory(ctx.db, input)),
  inState: viewerProcedure.input(inStateInput).query(({ ctx, input }) => inStateNow(ctx.db, input)),
});

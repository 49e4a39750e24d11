import { listEdgeTransitions, edgeTransitionsInput, getMachineView, machineViewInput } from '../../services/machines/machines';
import { inStateInput, listInStateNow, getMachineHistory, machineHistoryInput } from '../../services/machines/machine-fleet';
import { router, viewerProcedure } from '../trpc';

export const machinesRouter = router({
  view: viewerProcedure.input(machineViewInput).query(({ ctx, input }) => getMachineView(ctx.db, input)),
  transitions: viewerProcedure.input(edgeTransitionsInput).query(({ ctx, input }) => listEdgeTransitions(ctx.db, input)),
  history: viewerProcedure.input(machineHistoryInput).query(({ ctx, input }) => getMachineHistory(ctx.db, input)),
  inState: viewerProcedure.input(inStateInput).query(({ ctx, input }) => listInStateNow(ctx.db, input)),
});

import { edgeTransitions, edgeTransitionsInput, machineView, machineViewInput } from '../../services/machines';
import { router, viewerProcedure } from '../trpc';

export const machinesRouter = router({
  view: viewerProcedure.input(machineViewInput).query(({ ctx, input }) => machineView(ctx.db, input)),
  transitions: viewerProcedure.input(edgeTransitionsInput).query(({ ctx, input }) => edgeTransitions(ctx.db, input)),
});

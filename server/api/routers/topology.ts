import { getOverview, updateService, updateServiceInput } from '../../services/topology';
import { adminProcedure, router, viewerProcedure } from '../trpc';

export const topologyRouter = router({
  overview: viewerProcedure.query(({ ctx }) => getOverview(ctx.db)),
  updateService: adminProcedure.input(updateServiceInput).mutation(({ ctx, input }) => updateService(ctx.db, ctx.actor, input)),
});

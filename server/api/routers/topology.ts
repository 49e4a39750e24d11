import { getOverview, updateService, updateServiceInput } from '../../services/topology/topology';
import { getClusterDetail, clusterDetailInput } from '../../services/topology/cluster-detail';
import { getFleetHealth } from '../../services/topology/fleet-health';
import { adminProcedure, router, viewerProcedure } from '../trpc';

export const topologyRouter = router({
  cluster: viewerProcedure.input(clusterDetailInput).query(({ ctx, input }) => getClusterDetail(ctx.db, input)),
  overview: viewerProcedure.query(({ ctx }) => getOverview(ctx.db)),
  health: viewerProcedure.query(({ ctx }) => getFleetHealth(ctx.db)),
  updateService: adminProcedure.input(updateServiceInput).mutation(({ ctx, input }) => updateService(ctx.db, ctx.actor, input)),
});

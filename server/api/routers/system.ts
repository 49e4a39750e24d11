import { listAdapters } from '../../services/platform/adapters';
import { getHealth } from '../../services/system/health';
import { router, viewerProcedure } from '../trpc';

export const systemRouter = router({
  health: viewerProcedure.query(({ ctx }) => getHealth(ctx.db)),
  adapters: viewerProcedure.query(({ ctx }) => listAdapters(ctx.db)),
  workers: viewerProcedure.query(({ ctx }) => ctx.db.workerHeartbeat.findMany({ orderBy: { startedAt: 'asc' } })),
});

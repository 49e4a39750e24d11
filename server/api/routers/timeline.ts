import { listTimelineEvents, timelineInput } from '../../services/timeline/timeline';
import { router, viewerProcedure } from '../trpc';

export const timelineRouter = router({
  events: viewerProcedure.input(timelineInput).query(({ ctx, input }) => listTimelineEvents(ctx.db, input)),
});

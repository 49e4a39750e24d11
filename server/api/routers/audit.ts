import { listAuditFacets, listAudit, listAuditInput } from '../../services/audit/audit';
import { router, viewerProcedure } from '../trpc';

export const auditRouter = router({
  list: viewerProcedure.input(listAuditInput).query(({ ctx, input }) => listAudit(ctx.db, input)),
  facets: viewerProcedure.query(({ ctx }) => listAuditFacets(ctx.db)),
});

// API tokens: any signed-in user manages their own; an admin sees and revokes everyone's. The
// tRPC endpoint itself keeps cookie sessions only (tokens are for /api/v1), but REST's POST
// /tokens reaches `create` through a caller, acting with the token's effective role.
import { createToken, revokeToken } from '../../services/tokens/tokens';
import { createTokenInput, revokeTokenInput } from '../../services/tokens/token-inputs';
import { listAllTokens, listOwnTokens } from '../../services/tokens/token-reads';
import { adminProcedure, router, viewerProcedure } from '../trpc';

export const tokensRouter = router({
  list: viewerProcedure.query(({ ctx }) => listOwnTokens(ctx.db, ctx.user.id)),
  listAll: adminProcedure.query(({ ctx }) => listAllTokens(ctx.db)),
  create: viewerProcedure
    .input(createTokenInput)
    .mutation(({ ctx, input }) => createToken(ctx.db, { ...ctx.actor, role: ctx.user.role, ...(ctx.user.tokenExpiresAt ? { notAfter: ctx.user.tokenExpiresAt } : {}) }, input)),
  /** Own tokens for everyone; anyone's for an admin (decided in the service, in words). */
  revoke: viewerProcedure.input(revokeTokenInput).mutation(({ ctx, input }) => revokeToken(ctx.db, { ...ctx.actor, role: ctx.user.role }, input)),
});

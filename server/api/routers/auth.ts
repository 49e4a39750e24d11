import { changeOwnPassword, changeOwnPasswordInput, login, loginInput } from '../../services/users/users';
import { clearSessionCookie, deleteSession, sessionCookie } from '../../auth/sessions';
import { publicProcedure, router, viewerProcedure } from '../trpc';
import { runCommand } from '../../services/command';
import { AppError } from '../../errors';

export const authRouter = router({
  me: publicProcedure.query(({ ctx }) => ctx.user),

  login: publicProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
    const result = await login(ctx.db, input, { ...ctx.meta, sessionHours: ctx.config.sessionHours }).catch((err: unknown) => {
      // A throttled client is told when to come back in the standard header too.
      const retryAfterS = err instanceof AppError ? err.details?.retryAfterS : undefined;
      if (typeof retryAfterS === 'number') ctx.resHeaders.set('Retry-After', String(retryAfterS));
      throw err;
    });
    ctx.resHeaders.append('Set-Cookie', sessionCookie(result.token, { maxAgeS: ctx.config.sessionHours * 3600, secure: ctx.config.cookieSecure }));
    return result.user;
  }),

  logout: publicProcedure.mutation(async ({ ctx }) => {
    if (ctx.user) {
      const user = ctx.user;
      await runCommand(ctx.db, { id: user.id, name: user.name }, async (c) => {
        await deleteSession(c.tx, ctx.token);
        await c.audit({ action: 'session.logout', targetType: 'user', targetId: user.id, targetName: user.name });
      });
    }
    ctx.resHeaders.append('Set-Cookie', clearSessionCookie(ctx.config.cookieSecure));
    return { ok: true as const };
  }),

  changePassword: viewerProcedure
    .input(changeOwnPasswordInput)
    .mutation(({ ctx, input }) => changeOwnPassword(ctx.db, ctx.actor, input, { keepSessionId: ctx.user.sessionId, ip: ctx.meta.ip })),
});

import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { z, ZodError } from 'zod';
import type { Db } from '../db/client';
import type { Role } from '../db/generated/enums';
import { AppError, type FieldErrors } from '../errors';
import { timeoutsOf } from '../db/client';
import { databaseUnavailable } from '../db/unavailable';
import { hasRole } from '../auth/roles';
import type { SessionUser } from '../auth/sessions';

export interface Context {
  db: Db;
  user: SessionUser | null;
  /** The raw session token from the cookie (logout ends exactly this session). */
  token: string | undefined;
  /** Headers of the response: login and logout set the cookie here. */
  resHeaders: Headers;
  meta: { ip: string; userAgent: string };
  config: { sessionHours: number; cookieSecure: boolean };
}

function fieldErrorsOf(cause: unknown): FieldErrors | undefined {
  if (cause instanceof ZodError) return z.flattenError(cause).fieldErrors;
  if (cause instanceof AppError) return cause.fieldErrors;
  return undefined;
}

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const fieldErrors = fieldErrorsOf(error.cause);
    const details = error.cause instanceof AppError ? error.cause.details : undefined;
    return {
      ...shape,
      // Zod's own message is a JSON dump of issues; the form shows them per field instead.
      message: error.cause instanceof ZodError ? 'Some fields need attention.' : shape.message,
      data: { ...shape.data, stack: undefined, fieldErrors: fieldErrors ?? null, details: details ?? null },
    };
  },
});

/** Domain errors become tRPC errors with the matching HTTP status. */
const mapErrors = t.middleware(async ({ ctx, next }) => {
  const result = await next();
  // A database that does not answer is a 503 in words, never a hang or a 500 with driver text.
  const unavailable = result.ok ? null : databaseUnavailable(result.error.cause, timeoutsOf(ctx.db));
  if (unavailable) throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: unavailable.message, cause: unavailable });
  if (!result.ok && result.error.cause instanceof AppError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: cause.code, message: cause.message, cause });
  }
  if (!result.ok && result.error.cause instanceof ZodError && result.error.code === 'INTERNAL_SERVER_ERROR') {
    throw new TRPCError({ code: 'BAD_REQUEST', message: 'Some fields need attention.', cause: result.error.cause });
  }
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(mapErrors);

function requireRole(role: Role) {
  return publicProcedure.use(({ ctx, next }) => {
    if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in to continue.' });
    if (!hasRole(ctx.user.role, role)) {
      throw new TRPCError({ code: 'FORBIDDEN', message: `This needs the ${role} role; you are ${ctx.user.role}.` });
    }
    return next({ ctx: { ...ctx, user: ctx.user, actor: { id: ctx.user.id, name: ctx.user.name } } });
  });
}

export const viewerProcedure = requireRole('viewer');
export const operatorProcedure = requireRole('operator');
export const approverProcedure = requireRole('approver');
export const adminProcedure = requireRole('admin');

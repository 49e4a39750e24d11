import { initTRPC, TRPCError } from '@trpc/server';
import { randomUUID } from 'node:crypto';
import { z, ZodError } from 'zod';
import type { Db } from '../db/client';
import type { Role } from '../db/generated/enums';
import { AppError, type FieldErrors } from '../errors';
import { timeoutsOf } from '../db/client';
import { databaseUnavailable } from '../db/unavailable';
import { hasRole } from '../auth/roles';
import type { SessionUser } from '../auth/sessions';
import { safeSuperjson } from './transformer';

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

/** A short id that ties what the client is told to the server log line with the details. */
const newErrorId = () => randomUUID().replace(/-/g, '').slice(0, 12);

export const UNEXPECTED_MESSAGE = (errorId: string) => `Something went wrong on our side (error id ${errorId}).`;

/**
 * What a procedure declares about itself for the layers built over it: the REST layer and the
 * OpenAPI document read the least role from here (set by the tiers below), so the role a REST
 * reference page shows is the one the middleware enforces.
 */
export interface ProcedureMeta {
  minRole?: Role | 'public';
}

const t = initTRPC.context<Context>().meta<ProcedureMeta>().create({
  transformer: safeSuperjson,
  errorFormatter({ shape, error, path }) {
    // Anything not mapped to a status on purpose (a Prisma/PostgreSQL error, a ZodError thrown by
    // server code, a bug): the client learns only that it failed and the id to quote; the details
    // (SQL, stack) go to the server log under that id. A REST or CLI client sees no internals.
    if (error.code === 'INTERNAL_SERVER_ERROR') {
      const errorId = newErrorId();
      console.error(`[trpc] error ${errorId} in ${path ?? '(no procedure)'}:`, error.cause ?? error);
      return { ...shape, message: UNEXPECTED_MESSAGE(errorId), data: { ...shape.data, stack: undefined, fieldErrors: null, details: null, errorId } };
    }
    const fieldErrors = fieldErrorsOf(error.cause);
    const details = error.cause instanceof AppError ? error.cause.details : undefined;
    // Only tRPC's own input check raises BAD_REQUEST with a ZodError cause: the client's fault.
    // Zod's own message is a JSON dump of issues; the form shows them per field instead.
    const inputError = error.code === 'BAD_REQUEST' && error.cause instanceof ZodError;
    return {
      ...shape,
      message: inputError ? 'Some fields need attention.' : shape.message,
      data: { ...shape.data, stack: undefined, fieldErrors: fieldErrors ?? null, details: details ?? null, errorId: null },
    };
  },
});

/**
 * Errors the server means become tRPC errors with the matching HTTP status: an AppError carries
 * its code. A known infrastructure failure that is not a bug (a database timeout, a unique
 * violation) gets its own branch here; everything else stays a 500 (see errorFormatter).
 */
const mapErrors = t.middleware(async ({ ctx, next }) => {
  const result = await next();
  // A database that does not answer is a 503 in words, never a hang or a 500 with driver text.
  const unavailable = result.ok ? null : databaseUnavailable(result.error.cause, timeoutsOf(ctx.db));
  if (unavailable) throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: unavailable.message, cause: unavailable });
  if (!result.ok && result.error.cause instanceof AppError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: cause.code, message: cause.message, cause });
  }
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(mapErrors).meta({ minRole: 'public' });

function requireRole(role: Role) {
  return publicProcedure.use(({ ctx, next }) => {
    if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in to continue.' });
    if (!hasRole(ctx.user.role, role)) {
      throw new TRPCError({ code: 'FORBIDDEN', message: `This needs the ${role} role; you are ${ctx.user.role}.` });
    }
    const actor = { id: ctx.user.id, name: ctx.user.name, ...(ctx.user.via ? { via: ctx.user.via } : {}) };
    return next({ ctx: { ...ctx, user: ctx.user, actor } });
  }).meta({ minRole: role });
}

export const viewerProcedure = requireRole('viewer');
export const operatorProcedure = requireRole('operator');
export const approverProcedure = requireRole('approver');
export const adminProcedure = requireRole('admin');

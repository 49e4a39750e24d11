import { TRPCError } from '@trpc/server';
import { randomUUID } from 'node:crypto';
import { z, ZodError } from 'zod';
import { AppError, type FieldErrors } from '../../errors';
import { UNEXPECTED_MESSAGE } from '../trpc';

// Errors of /api/v1 as RFC 9457 problem documents. A client reads `status` and `title` to decide
// what to do, `detail` to tell a person, `errors` to mark fields; nothing from the inside (SQL,
// driver text, stacks) ever reaches it: a 500 carries only an error id, the cause is logged.

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldErrors;
  currentVersion?: number;
  errorId?: string;
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  412: 'Precondition failed',
  413: 'Content too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  428: 'Precondition required',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

/** A stable, documented `type` per status (the OpenAPI document lists them). */
export const problemType = (status: number) => `https://switchback.dev/problems/${status}`;

export function problem(status: number, detail: string, extra: Partial<Problem> = {}): Problem {
  return { type: problemType(status), title: TITLES[status] ?? 'Error', status, detail, ...extra };
}

export function problemResponse(p: Problem, headers: HeadersInit = {}): Response {
  const h = new Headers(headers);
  h.set('content-type', 'application/problem+json');
  h.set('cache-control', 'no-store');
  return new Response(JSON.stringify(p), { status: p.status, headers: h });
}

const STATUS_OF: Partial<Record<TRPCError['code'], number>> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_SUPPORTED: 405,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE_CONTENT: 422,
  TOO_MANY_REQUESTS: 429,
  SERVICE_UNAVAILABLE: 503,
};

const newErrorId = () => randomUUID().replace(/-/g, '').slice(0, 12);

function fieldErrorsOf(cause: unknown): FieldErrors | undefined {
  if (cause instanceof ZodError) {
    const flat = z.flattenError(cause);
    const errors: FieldErrors = { ...flat.fieldErrors };
    // A refinement on the whole object (no path) still names what is wrong.
    if (flat.formErrors.length) errors[''] = flat.formErrors;
    return errors;
  }
  if (cause instanceof AppError) return cause.fieldErrors;
  return undefined;
}

export interface ErrorSituation {
  /** The client sent If-Match: a lost compare-and-set is then 412, not 409. */
  ifMatch: boolean;
  /** For the server log line. */
  where: string;
}

/**
 * A thrown error as the problem a client sees. Input the schema refused is 422 with field
 * errors; a BAD_REQUEST the service meant (a rule in words, e.g. "a running rollout cannot be
 * edited") is 422 too when it names fields, else 400. A stale version is 409, or 412 when the
 * version came from If-Match (RFC 9110: the precondition failed), with the current version.
 */
export function problemFromError(err: unknown, s: ErrorSituation): Problem {
  const e = err instanceof TRPCError ? err : null;
  const status = e ? STATUS_OF[e.code] : undefined;
  if (!e || status === undefined) {
    const errorId = newErrorId();
    console.error(`[rest] error ${errorId} in ${s.where}:`, e?.cause ?? err);
    return problem(500, UNEXPECTED_MESSAGE(errorId), { errorId });
  }
  const cause = e.cause;
  const errors = fieldErrorsOf(cause);
  if (e.code === 'BAD_REQUEST' && cause instanceof ZodError) {
    return problem(422, 'Some fields need attention.', { errors: errors ?? {} });
  }
  if (e.code === 'BAD_REQUEST') {
    return problem(errors && Object.keys(errors).length ? 422 : 400, e.message, errors ? { errors } : {});
  }
  const current = cause instanceof AppError ? cause.details?.currentVersion : undefined;
  if (e.code === 'CONFLICT' && typeof current === 'number') {
    return problem(s.ifMatch ? 412 : 409, e.message, { currentVersion: current, ...(errors ? { errors } : {}) });
  }
  return problem(status, e.message, errors ? { errors } : {});
}

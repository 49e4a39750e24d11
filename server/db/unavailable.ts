// Tells "the database did not answer / cannot be reached" apart from every other failure, so the
// API can answer 503 in words (try again shortly) instead of a 500 or a request that hangs.
import { AppError } from '../errors';
import { readDeadlineMs, type DbTimeouts } from './client';

export type Unavailability = { kind: 'timeout'; waitedMs: number } | { kind: 'unreachable' };

// SQLSTATEs of a server that is going away or refuses connections: admin_shutdown,
// crash_shutdown, cannot_connect_now, too_many_connections; class 08 is connection_exception.
const UNREACHABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const UNREACHABLE_SOCKET = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND']);
// Prisma: can't reach (P1001), timed out (P1002), server closed the connection (P1017),
// no pooled connection in time (P2024).
const PRISMA_UNREACHABLE = new Set(['P1001', 'P1017']);
const PRISMA_TIMEOUT = new Set(['P1002', 'P2024']);
const ADAPTER_UNREACHABLE = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'TooManyConnections']);

interface Shape {
  message?: unknown;
  code?: unknown;
  kind?: unknown;
  originalCode?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: { cause?: unknown } };
}

/** The error and everything it wraps (cause chains, Prisma's driver-adapter error). */
function* layers(err: unknown, depth = 0): Generator<Shape> {
  if (depth > 6 || err === null || typeof err !== 'object') return;
  const e = err as Shape;
  yield e;
  yield* layers(e.meta?.driverAdapterError?.cause, depth + 1);
  yield* layers(e.cause, depth + 1);
}

export function classifyDbFailure(err: unknown, t: DbTimeouts): Unavailability | null {
  for (const e of layers(err)) {
    const message = typeof e.message === 'string' ? e.message : '';
    const code = typeof e.code === 'string' ? e.code : typeof e.originalCode === 'string' ? e.originalCode : '';
    // pg: query_timeout (the server never answered) and the pool's connect timeouts.
    if (message === 'Query read timeout') return { kind: 'timeout', waitedMs: readDeadlineMs(t) };
    if (message.startsWith('Connection terminated due to connection timeout') || message === 'timeout exceeded when trying to connect') {
      return { kind: 'timeout', waitedMs: t.connectMs };
    }
    if (code === '57014' && message.includes('statement timeout')) return { kind: 'timeout', waitedMs: t.statementMs };
    if (PRISMA_TIMEOUT.has(code) || e.kind === 'SocketTimeout') return { kind: 'timeout', waitedMs: t.connectMs };
    // Prisma could not get a connection for an interactive transaction within maxWait.
    if (code === 'P2028' && message.includes('Unable to start a transaction')) return { kind: 'timeout', waitedMs: t.connectMs };
    if (UNREACHABLE_SQLSTATES.has(code) || code.startsWith('08') || UNREACHABLE_SOCKET.has(code) || PRISMA_UNREACHABLE.has(code)) return { kind: 'unreachable' };
    if (typeof e.kind === 'string' && ADAPTER_UNREACHABLE.has(e.kind)) return { kind: 'unreachable' };
    if (message.startsWith('Connection terminated')) return { kind: 'unreachable' };
  }
  return null;
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

export function unavailableMessage(u: Unavailability): string {
  return u.kind === 'timeout'
    ? `The database did not answer within ${seconds(u.waitedMs)}; try again shortly.`
    : 'The database cannot be reached; try again shortly.';
}

/** A 503-class AppError for a database failure, or null for any other error. */
export function databaseUnavailable(err: unknown, t: DbTimeouts): AppError | null {
  if (err instanceof AppError) return null;
  const u = classifyDbFailure(err, t);
  return u ? new AppError('SERVICE_UNAVAILABLE', unavailableMessage(u), undefined, { database: u.kind }) : null;
}

import { TRPCError } from '@trpc/server';
import type { Db } from '../db/client';
import { sessionWatch } from '../auth/session-watch';
import { timeoutsOf } from '../db/client';
import { databaseUnavailable } from '../db/unavailable';
import { AppError } from '../errors';

/**
 * An error thrown while a stream runs never passes the procedures' error mapping (that only sees
 * what a resolver returns), so it is mapped here the same way: a domain error keeps its code and
 * words, a database that does not answer is a 503; anything else stays a 500 with an error id.
 */
function asStreamError(err: unknown, db: Db): unknown {
  if (err instanceof TRPCError) return err;
  const cause = err instanceof AppError ? err : databaseUnavailable(err, timeoutsOf(db));
  return cause ? new TRPCError({ code: cause.code, message: cause.message, cause }) : err;
}

/**
 * Runs a subscription's stream only while the session that opened it still authenticates: the
 * stream gets a signal that aborts when the client goes away OR the session ends (checked every
 * ~2 s, see SessionWatch), and the client is then told in words why its feed stopped.
 */
export async function* whileSignedIn<T>(
  ctx: { db: Db; user: { sessionId: string } },
  signal: AbortSignal | undefined,
  stream: (signal: AbortSignal) => AsyncIterable<T>,
): AsyncGenerator<T> {
  // One controller, aborted by either end: AbortSignal.any made a composite signal per stream
  // (with weak references and a registry of its sources), the hottest line of a burst of opens.
  const stop = new AbortController();
  let sessionEnded = false;
  const release = sessionWatch(ctx.db).watch(ctx.user.sessionId, () => {
    sessionEnded = true;
    stop.abort();
  });
  const clientLeft = () => stop.abort();
  if (signal?.aborted) stop.abort();
  else signal?.addEventListener('abort', clientLeft, { once: true });
  try {
    for await (const item of stream(stop.signal)) {
      if (stop.signal.aborted) break;
      yield item;
    }
  } catch (err) {
    throw asStreamError(err, ctx.db);
  } finally {
    signal?.removeEventListener('abort', clientLeft);
    release();
  }
  if (sessionEnded) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Your session has ended; sign in again.' });
}

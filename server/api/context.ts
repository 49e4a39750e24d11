import { TRPCError } from '@trpc/server';
import { db, timeoutsOf, type Db } from '../db/client';
import { databaseUnavailable } from '../db/unavailable';
import { env } from '../env';
import { getSessionUser, getStreamSessionUser, readCookie, SESSION_COOKIE } from '../auth/sessions';
import type { Context } from './trpc';

/**
 * The client's address: the LAST X-Forwarded-For entry. The web server (scripts/web-server.mjs)
 * sets the header to the socket's address itself, so a client cannot choose it; with
 * SWITCHBACK_TRUST_PROXY=true a reverse proxy appends the address it received from, and the
 * entries before that are whatever the client claimed. The login throttle keys on this.
 */
export function clientAddress(headers: Headers): string {
  const hops = (headers.get('x-forwarded-for') ?? '').split(',');
  return (hops[hops.length - 1] ?? '').trim().slice(0, 64);
}

export async function createContext(req: Request, resHeaders: Headers, database: Db = db()): Promise<Context> {
  const token = readCookie(req.headers.get('cookie'), SESSION_COOKIE);
  const e = env();
  return {
    db: database,
    // An event stream (EventSource sends this Accept) may reuse a fresh answer: see getStreamSessionUser.
    user: await sessionUser(database, token, (req.headers.get('accept') ?? '').includes('text/event-stream')),
    token,
    resHeaders,
    meta: {
      ip: clientAddress(req.headers),
      userAgent: req.headers.get('user-agent') ?? '',
    },
    config: { sessionHours: e.SWITCHBACK_SESSION_HOURS, cookieSecure: e.SWITCHBACK_COOKIE_SECURE },
  };
}

/** The session lookup runs before any procedure: a database that does not answer is a 503 here too. */
async function sessionUser(database: Db, token: string | undefined, stream: boolean) {
  try {
    return await (stream ? getStreamSessionUser(database, token) : getSessionUser(database, token));
  } catch (err) {
    const unavailable = databaseUnavailable(err, timeoutsOf(database));
    if (unavailable) throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: unavailable.message, cause: unavailable });
    throw err;
  }
}

import { db } from '../db/client';
import { env } from '../env';
import { getSessionUser, readCookie, SESSION_COOKIE } from '../auth/sessions';
import type { Context } from './trpc';

export async function createContext(req: Request, resHeaders: Headers): Promise<Context> {
  const token = readCookie(req.headers.get('cookie'), SESSION_COOKIE);
  const database = db();
  const e = env();
  return {
    db: database,
    user: await getSessionUser(database, token),
    token,
    resHeaders,
    meta: {
      ip: (req.headers.get('x-forwarded-for') ?? '').split(',')[0]?.trim() ?? '',
      userAgent: req.headers.get('user-agent') ?? '',
    },
    config: { sessionHours: e.SWITCHBACK_SESSION_HOURS, cookieSecure: e.SWITCHBACK_COOKIE_SECURE },
  };
}

import { db } from '../../db/client';
import { env } from '../../env';
import type { RestOptions } from './dispatch';

/** The process's database and settings, for app/api/v1 (tests pass their own). */
export function restOptionsFromEnv(): RestOptions {
  const e = env();
  return { db: db(), config: { sessionHours: e.SWITCHBACK_SESSION_HOURS, cookieSecure: e.SWITCHBACK_COOKIE_SECURE } };
}

import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { db } from '@/server/db/client';
import { getSessionUser, SESSION_COOKIE } from '@/server/auth/sessions';
import { safeNextPath } from '@/server/auth/safe-next';
import { getTimeZonePreference } from '@/server/services/users/preferences';
import type { ShellUser } from '@/components/shell/session-user';

/** The signed-in user of this request, or null. Cached per request: layout and page share it. */
export const currentUser = cache(async (): Promise<ShellUser | null> => {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  const user = await getSessionUser(db(), token);
  if (!user) return null;
  // Only what the browser needs: never the session id.
  return { id: user.id, name: user.name, displayName: user.displayName, role: user.role, timeZone: await getTimeZonePreference(db(), user.id) };
});

/**
 * A console page's guard. The page passes its own path because a layout cannot see the URL,
 * and `next=` must bring the user back to exactly this view after signing in.
 */
export async function requireUser(path: string, searchParams?: Record<string, string | string[] | undefined>): Promise<ShellUser> {
  const user = await currentUser();
  if (user) return user;
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(searchParams ?? {})) {
    for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) query.append(k, one);
  }
  const next = query.size ? `${path}?${query.toString()}` : path;
  redirect(`/login?next=${encodeURIComponent(next)}`);
}

/** Where to go after signing in: only a path on this site (see server/auth/safe-next.ts). */
export async function safeNext(next: string | string[] | undefined): Promise<string> {
  const h = await headers();
  // Only the base of the resolution: the result is a path either way, never this origin.
  const origin = `${h.get('x-forwarded-proto') === 'https' ? 'https' : 'http'}://${h.get('host') ?? 'localhost'}`;
  return safeNextPath(Array.isArray(next) ? next[0] : next, origin);
}

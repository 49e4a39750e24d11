import { createHash, randomBytes } from 'node:crypto';
import type { DbOrTx } from '../db/client';
import type { Role } from '../db/generated/enums';

export const SESSION_COOKIE = 'sb_session';

export interface SessionUser {
  id: string;
  name: string;
  displayName: string;
  role: Role;
  /** The browser session's id; '' for an API token (no session to end or watch). */
  sessionId: string;
  /** Set for an API token: "token:<name>", written on every audit row of its actions. */
  via?: string;
  /** Set for an API token: when it expires (a token it creates may not outlive it). */
  tokenExpiresAt?: Date;
}

// The cookie carries a random token; only its hash is stored, so a database read does not
// yield usable sessions.
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createSession(
  db: DbOrTx,
  userId: string,
  meta: { userAgent?: string; ip?: string; hours: number },
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + meta.hours * 3600_000);
  await db.session.create({
    data: { id: hashToken(token), userId, expiresAt, userAgent: (meta.userAgent ?? '').slice(0, 300), ip: meta.ip ?? '' },
  });
  return { token, expiresAt };
}

export async function getSessionUser(db: DbOrTx, token: string | undefined): Promise<SessionUser | null> {
  if (!token) return null;
  const id = hashToken(token);
  const session = await db.session.findUnique({ where: { id }, include: { user: true } });
  if (!session || session.expiresAt <= new Date() || !session.user.active) return null;
  // Touch at most once a minute: a read-mostly console should not write on every request.
  if (Date.now() - session.lastSeenAt.getTime() > 60_000) {
    await db.session.update({ where: { id }, data: { lastSeenAt: new Date() } }).catch(() => undefined);
  }
  const { user } = session;
  return { id: user.id, name: user.name, displayName: user.displayName, role: user.role, sessionId: id };
}

export async function deleteSession(db: DbOrTx, token: string | undefined): Promise<void> {
  if (!token) return;
  await db.session.deleteMany({ where: { id: hashToken(token) } });
}

export function sessionCookie(token: string, opts: { maxAgeS: number; secure: boolean }): string {
  const parts = [`${SESSION_COOKIE}=${token}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${Math.floor(opts.maxAgeS)}`];
  if (opts.secure) parts.push('Secure');
  return parts.join('; ');
}

export function clearSessionCookie(secure: boolean): string {
  return sessionCookie('', { maxAgeS: 0, secure });
}

export function readCookie(header: string | null | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

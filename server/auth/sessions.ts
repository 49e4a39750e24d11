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

/** When this process last wrote each session's lastSeenAt (see touch below). */
const touched = new Map<string, number>();
const TOUCH_EVERY_MS = 60_000;

/**
 * Touch at most once a minute: a read-mostly console should not write on every request. The time
 * of this process's last write is kept in memory too: a browser opening its live streams sends
 * several requests at once, which all read the same old lastSeenAt, and each UPDATE of the one row
 * would wait for the one before it, holding a pooled connection meanwhile (500 streams opening
 * held the pool for seconds and other queries failed with 503).
 */
async function touch(db: DbOrTx, id: string, lastSeenAt: Date) {
  const now = Date.now();
  if (now - lastSeenAt.getTime() <= TOUCH_EVERY_MS || now - (touched.get(id) ?? 0) <= TOUCH_EVERY_MS) return;
  touched.set(id, now);
  if (touched.size > 10_000) for (const [k, at] of touched) if (now - at > TOUCH_EVERY_MS) touched.delete(k);
  await db.session.update({ where: { id }, data: { lastSeenAt: new Date() } }).catch(() => undefined);
}

async function lookUp(db: DbOrTx, id: string): Promise<SessionUser | null> {
  const session = await db.session.findUnique({ where: { id }, include: { user: true } });
  if (!session || session.expiresAt <= new Date() || !session.user.active) return null;
  await touch(db, id, session.lastSeenAt);
  const { user } = session;
  return { id: user.id, name: user.name, displayName: user.displayName, role: user.role, sessionId: id };
}

/** Lookups in flight, by database client and session id (see getSessionUser). */
const inFlight = new WeakMap<object, Map<string, Promise<SessionUser | null>>>();

/**
 * The user of a session token, or null. Requests with the same token that arrive while its lookup
 * is running share that lookup (one query for a tab's burst of requests and streams, not one
 * each); nothing is kept after it answers, so a sign-out is seen by the next request.
 */
export async function getSessionUser(db: DbOrTx, token: string | undefined): Promise<SessionUser | null> {
  if (!token) return null;
  const id = hashToken(token);
  let running = inFlight.get(db);
  if (!running) inFlight.set(db, (running = new Map<string, Promise<SessionUser | null>>()));
  const pending = running.get(id);
  if (pending) return pending.then((u) => (u ? { ...u } : null));
  const lookup = lookUp(db, id).finally(() => running.delete(id));
  running.set(id, lookup);
  return lookup.then((u) => (u ? { ...u } : null));
}

/**
 * Stream opens reuse a session's answer for this long. A browser opens several event streams at
 * once and reopens them all after a blip; 500 of them each asking the database while a busy
 * process answered late made the lookups time out and the streams fail with 503. A stream does
 * not rely on this answer for long: SessionWatch checks every open stream's session every ~2 s
 * and ends it when the session is gone, so reusing an answer for up to that long ends no stream
 * later than before. Plain requests never reuse an answer (a sign-out is seen by the next one).
 */
export const STREAM_SESSION_REUSE_MS = 2000;
const streamAnswers = new Map<string, { at: number; user: Promise<SessionUser | null> }>();

/** getSessionUser for a stream open: an answer up to STREAM_SESSION_REUSE_MS old is reused. */
export async function getStreamSessionUser(db: DbOrTx, token: string | undefined, now = Date.now()): Promise<SessionUser | null> {
  if (!token) return null;
  const id = hashToken(token);
  const kept = streamAnswers.get(id);
  if (kept && now - kept.at >= 0 && now - kept.at < STREAM_SESSION_REUSE_MS) return kept.user.then((u) => (u ? { ...u } : null));
  const entry = { at: now, user: getSessionUser(db, token) };
  streamAnswers.set(id, entry);
  // A failed lookup (the database did not answer) is not reused: the next open asks again.
  entry.user.catch(() => {
    if (streamAnswers.get(id) === entry) streamAnswers.delete(id);
  });
  if (streamAnswers.size > 10_000) for (const [k, e] of streamAnswers) if (now - e.at >= STREAM_SESSION_REUSE_MS) streamAnswers.delete(k);
  return entry.user.then((u) => (u ? { ...u } : null));
}

export async function deleteSession(db: DbOrTx, token: string | undefined): Promise<void> {
  if (!token) return;
  streamAnswers.delete(hashToken(token));
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

// What lists of API tokens show: never the hash (a database read must not yield anything usable,
// and the API must not hand it out either), always the prefix so a person can tell tokens apart.
import type { Db } from '../../db/client';
import type { Role } from '../../db/generated/enums';

export const tokenColumns = {
  id: true,
  userId: true,
  name: true,
  prefix: true,
  role: true,
  createdAt: true,
  expiresAt: true,
  lastUsedAt: true,
  lastUsedIp: true,
  revokedAt: true,
  revokedByName: true,
} as const;

export type TokenState = 'active' | 'expired' | 'revoked';

interface TokenRow {
  id: string;
  userId: string;
  name: string;
  prefix: string;
  role: Role;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  lastUsedIp: string;
  revokedAt: Date | null;
  revokedByName: string | null;
}

export function tokenState(t: { revokedAt: Date | null; expiresAt: Date }, now: Date): TokenState {
  if (t.revokedAt) return 'revoked';
  return t.expiresAt <= now ? 'expired' : 'active';
}

export const publicToken = (t: TokenRow, now = new Date()) => ({ ...t, state: tokenState(t, now) });

/** Lists stay bounded: a user with more tokens than this has a script that leaks them. */
const LIST_LIMIT = 500;

/** The caller's own tokens, newest first (revoked ones too: the record of what existed). */
export async function listOwnTokens(db: Db, userId: string) {
  const rows = await db.apiToken.findMany({ where: { userId }, select: tokenColumns, orderBy: { createdAt: 'desc' }, take: LIST_LIMIT });
  const now = new Date();
  return rows.map((r) => publicToken(r, now));
}

/** Every user's tokens, with the owner (admins only: the router decides). */
export async function listAllTokens(db: Db) {
  const rows = await db.apiToken.findMany({
    select: { ...tokenColumns, user: { select: { name: true, displayName: true, active: true } } },
    orderBy: { createdAt: 'desc' },
    take: LIST_LIMIT,
  });
  const now = new Date();
  return rows.map(({ user, ...r }) => ({ ...publicToken(r, now), owner: user }));
}

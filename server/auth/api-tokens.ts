import { randomBytes } from 'node:crypto';
import type { DbOrTx } from '../db/client';
import type { Role } from '../db/generated/enums';
import { ROLES } from './roles';
import { hashToken, type SessionUser } from './sessions';

/** `sbt_<8 chars>_<43 chars>`: the prefix tells tokens apart in lists; only the hash is stored. */
export const TOKEN_PATTERN = /^sbt_([A-Za-z0-9]{8})_([A-Za-z0-9_-]{43})$/;

export function newTokenSecret(): { secret: string; prefix: string; hash: string } {
  const prefix = randomBytes(6).toString('base64url').replace(/[-_]/g, 'x').slice(0, 8);
  const secret = `sbt_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { secret, prefix, hash: hashToken(secret) };
}

export const lowerRole = (a: Role, b: Role): Role => (ROLES.indexOf(a) <= ROLES.indexOf(b) ? a : b);

export type BearerRefusal = 'missing' | 'malformed' | 'unknown' | 'expired' | 'revoked' | 'inactive';

export const bearerRefusalWords: Record<BearerRefusal, string> = {
  missing: 'This API needs a token: send "Authorization: Bearer <token>" (create one under Settings → API tokens).',
  malformed: 'The Authorization header is not "Bearer sbt_…".',
  unknown: 'This token is not known (it may have been mistyped or deleted).',
  expired: 'This token has expired; create a new one under Settings → API tokens.',
  revoked: 'This token was revoked.',
  inactive: "This token's user is deactivated.",
};

/**
 * The user a REST request acts as. The effective role is the lower of the token's and the
 * user's current role, so a demoted user's old tokens lose the difference at once. Last use is
 * recorded at most once a minute per token (a read-mostly API should not write on every call).
 */
export async function authenticateBearer(
  db: DbOrTx,
  authorization: string | null,
  ip: string,
  now = new Date(),
): Promise<{ user: SessionUser; tokenId: string } | { refusal: BearerRefusal }> {
  if (!authorization) return { refusal: 'missing' };
  const m = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!m || !TOKEN_PATTERN.test(m[1]!)) return { refusal: 'malformed' };
  const token = await db.apiToken.findUnique({ where: { tokenHash: hashToken(m[1]!) }, include: { user: true } });
  if (!token) return { refusal: 'unknown' };
  if (token.revokedAt) return { refusal: 'revoked' };
  if (token.expiresAt <= now) return { refusal: 'expired' };
  if (!token.user.active) return { refusal: 'inactive' };
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > 60_000 || token.lastUsedIp !== ip) {
    await db.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: now, lastUsedIp: ip.slice(0, 64) } }).catch(() => undefined);
  }
  const { user } = token;
  return {
    tokenId: token.id,
    user: { id: user.id, name: user.name, displayName: user.displayName, role: lowerRole(token.role, user.role), sessionId: '', via: `token:${token.name}`, tokenExpiresAt: token.expiresAt },
  };
}

// API tokens (issue 13): per user, named, with an expiry and a role no higher than the user's.
// The secret is shown once — only its SHA-256 and its prefix are stored, and neither the secret
// nor the hash ever reaches the audit log. Revocable by the owner and by an admin; deactivating a
// user revokes all of theirs in the deactivation's own transaction (revokeAllForUser).
import type { Db } from '../../db/client';
import type { Role } from '../../db/generated/enums';
import { newTokenSecret, lowerRole } from '../../auth/api-tokens';
import { hasRole } from '../../auth/roles';
import { AppError, notFound } from '../../errors';
import { runCommand, type Actor, type CommandContext } from '../command';
import { createTokenInput, expiryOf, revokeTokenInput, type CreateTokenInput, type RevokeTokenInput } from './token-inputs';
import { publicToken, tokenColumns } from './token-reads';

/** Who acts: the signed-in user (or a token's user), with the role they act with now. */
export type TokenActor = Actor & { id: string; role: Role; /** Acting with a token: the new one may not outlive it. */ notAfter?: Date };

const nameTaken = (name: string) =>
  new AppError('CONFLICT', `You already have a live token named "${name}": revoke it or choose another name.`, {
    name: ['You already have a live token with this name'],
  });

export async function createToken(db: Db, actor: TokenActor, input: CreateTokenInput, now = new Date()) {
  const data = createTokenInput.parse(input);
  const expiry = expiryOf(data, now);
  if ('problem' in expiry) throw new AppError('BAD_REQUEST', expiry.problem, { [expiry.field]: [expiry.problem] });
  const { secret, prefix, hash } = newTokenSecret();
  try {
    return await runCommand(db, actor, async (ctx) => {
      const user = await ctx.tx.user.findUnique({ where: { id: actor.id }, select: { id: true, name: true, role: true, active: true } });
      if (!user?.active) throw new AppError('FORBIDDEN', 'A deactivated user cannot create tokens.');
      // The cap is the role the caller acts with now: a viewer's token cannot mint an admin token,
      // and neither can a demoted user's old session.
      const cap = lowerRole(actor.role, user.role);
      if (!hasRole(cap, data.role)) {
        const words = `A token's role can be at most yours (${cap}).`;
        throw new AppError('BAD_REQUEST', words, { role: [words] });
      }
      // Otherwise a leaked short-lived token could mint a year-long one that survives its revocation.
      if (actor.notAfter && expiry.at > actor.notAfter) {
        const words = `A token created with a token cannot outlive it: choose an expiry no later than ${actor.notAfter.toISOString()}.`;
        throw new AppError('BAD_REQUEST', words, { [data.expiresInDays !== undefined ? 'expiresInDays' : 'expiresAt']: [words] });
      }
      // An expired token keeps its name until revoked; reusing the name retires it, on the record.
      const sameName = await ctx.tx.apiToken.findFirst({ where: { userId: user.id, name: data.name, revokedAt: null } });
      if (sameName && sameName.expiresAt > now) throw nameTaken(data.name);
      if (sameName) {
        await ctx.tx.apiToken.update({ where: { id: sameName.id }, data: { revokedAt: now, revokedByName: actor.name } });
        await ctx.audit({ action: 'token.revoke', targetType: 'api-token', targetId: sameName.id, targetName: sameName.name, after: { owner: user.name, reason: 'expired; its name was reused' } });
      }
      const row = await ctx.tx.apiToken.create({
        data: { userId: user.id, name: data.name, tokenHash: hash, prefix, role: data.role, expiresAt: expiry.at, createdAt: now },
        select: tokenColumns,
      });
      await ctx.audit({
        action: 'token.create',
        targetType: 'api-token',
        targetId: row.id,
        targetName: row.name,
        after: { owner: user.name, prefix: row.prefix, role: row.role, expiresAt: row.expiresAt.toISOString() },
      });
      return { token: publicToken(row, now), secret };
    });
  } catch (err) {
    // Two creates of the same name at once: the partial unique index ApiToken_name_live decides.
    if (err instanceof AppError && err.code === 'CONFLICT' && err.details?.table === 'ApiToken') throw nameTaken(data.name);
    throw err;
  }
}

/** The owner revokes their own token; an admin revokes anyone's. A reason is optional. */
export async function revokeToken(db: Db, actor: TokenActor, input: RevokeTokenInput, now = new Date()) {
  const data = revokeTokenInput.parse(input);
  return runCommand(db, actor, async (ctx) => {
    const token = await ctx.tx.apiToken.findUnique({ where: { id: data.id }, include: { user: { select: { name: true } } } });
    if (!token) throw notFound('That token');
    if (token.userId !== actor.id && !hasRole(actor.role, 'admin')) {
      throw new AppError('FORBIDDEN', 'You can revoke only your own tokens; an admin can revoke anyone’s.');
    }
    // Only a live row is revoked: of two revokes at once, the second learns who was first.
    const { count } = await ctx.tx.apiToken.updateMany({ where: { id: token.id, revokedAt: null }, data: { revokedAt: now, revokedByName: actor.name } });
    if (count === 0) {
      const current = await ctx.tx.apiToken.findUniqueOrThrow({ where: { id: token.id } });
      throw new AppError('CONFLICT', `The token "${token.name}" was already revoked by ${current.revokedByName ?? 'someone'}.`);
    }
    await ctx.audit({
      action: 'token.revoke',
      targetType: 'api-token',
      targetId: token.id,
      targetName: token.name,
      after: { owner: token.user.name, ...(data.reason ? { reason: data.reason } : {}) },
    });
    const row = await ctx.tx.apiToken.findUniqueOrThrow({ where: { id: token.id }, select: tokenColumns });
    return publicToken(row, now);
  });
}

/**
 * Revokes every live token of a user inside the caller's command (the deactivation), so a
 * deactivated user's scripts stop in the same commit that deactivates them. One audit row names
 * the tokens; nothing is written when there were none.
 */
export async function revokeAllForUser(ctx: CommandContext, user: { id: string; name: string }, reason: string) {
  const live = await ctx.tx.apiToken.findMany({ where: { userId: user.id, revokedAt: null }, select: { id: true, name: true }, orderBy: { createdAt: 'asc' } });
  if (live.length === 0) return 0;
  await ctx.tx.apiToken.updateMany({ where: { id: { in: live.map((t) => t.id) }, revokedAt: null }, data: { revokedAt: new Date(), revokedByName: ctx.actor.name } });
  await ctx.audit({ action: 'token.revoke-all', targetType: 'user', targetId: user.id, targetName: user.name, after: { tokens: live.map((t) => t.name), reason } });
  return live.length;
}

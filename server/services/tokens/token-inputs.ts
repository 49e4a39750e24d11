// What a person (or a script through POST /api/v1/tokens) may ask for when creating or revoking an
// API token. Every field is bounded; the role cap and the live-name rule are checked by the
// commands (they need the database), in words next to the field.
import { z } from 'zod';
import { ROLES } from '../../auth/roles';
import { freeText, int32, text, timestamp, uuid } from '../../domain/inputs';

/** A token lives at most a year: a forgotten script's credential must die on its own. */
export const MAX_TOKEN_DAYS = 365;
export const TOKEN_NAME_MAX = 60;
const DAY_MS = 86_400_000;

export const tokenName = text(TOKEN_NAME_MAX, { min: 1, required: 'Enter a name (e.g. deploy-bot)' });
export const tokenRole = z.enum(ROLES, { error: 'Choose one of viewer, operator, approver, admin' });

export const createTokenInput = z
  .object({
    name: tokenName,
    role: tokenRole,
    /** Days from now, 1–365; or `expiresAt`, a date within the next 365 days — one of the two. */
    expiresInDays: int32(1).max(MAX_TOKEN_DAYS, `At most ${MAX_TOKEN_DAYS} days`).optional(),
    expiresAt: timestamp().optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if ((v.expiresInDays === undefined) === (v.expiresAt === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['expiresInDays'], message: 'Give the expiry either in days (1–365) or as a date, not both' });
    }
  });
export type CreateTokenInput = z.input<typeof createTokenInput>;

export const revokeTokenInput = z
  .object({
    id: uuid(),
    /** Why it was revoked (optional): kept in the audit log with the revoker's name. */
    reason: freeText(500).optional(),
  })
  .strict();
export type RevokeTokenInput = z.input<typeof revokeTokenInput>;

/**
 * The expiry a create asks for, or the problem with it in words (field `expiresAt` or
 * `expiresInDays`). A date must be in the future and at most 365 days away.
 */
export function expiryOf(input: { expiresInDays?: number; expiresAt?: Date }, now: Date): { at: Date } | { field: string; problem: string } {
  if (input.expiresInDays !== undefined) return { at: new Date(now.getTime() + input.expiresInDays * DAY_MS) };
  const at = input.expiresAt!;
  if (at.getTime() <= now.getTime()) return { field: 'expiresAt', problem: 'The expiry must be in the future' };
  // A day of slack: a date picked in the browser's zone may lie a few hours past "365 days from now".
  if (at.getTime() > now.getTime() + (MAX_TOKEN_DAYS + 1) * DAY_MS) return { field: 'expiresAt', problem: `A token lives at most ${MAX_TOKEN_DAYS} days` };
  return { at };
}

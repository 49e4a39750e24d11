// A user's own display preferences. Not a change to the platform or to anyone's access, so no
// audit row and no version bump: an admin editing the same user never sees a conflict for it.
import { z } from 'zod';
import type { Db } from '../../db/client';
import { notFound } from '../../errors';

export const TIME_ZONE_PREFERENCES = ['utc', 'local'] as const;
export const setTimeZonePreferenceInput = z.object({ timeZone: z.enum(TIME_ZONE_PREFERENCES, { error: 'Choose utc or local' }) });

/** Shows times to `userId` in UTC or in their browser's zone, on every device they sign in from. */
export async function setTimeZonePreference(db: Db, userId: string, input: z.input<typeof setTimeZonePreferenceInput>) {
  const { timeZone } = setTimeZonePreferenceInput.parse(input);
  const { count } = await db.user.updateMany({ where: { id: userId, active: true }, data: { timeZone } });
  if (count === 0) throw notFound('Your user');
  return { timeZone };
}

/** The user's preference; UTC for a user that is gone (the session check decides about access). */
export async function getTimeZonePreference(db: Db, userId: string): Promise<(typeof TIME_ZONE_PREFERENCES)[number]> {
  const row = await db.user.findUnique({ where: { id: userId }, select: { timeZone: true } });
  return row?.timeZone ?? 'utc';
}

import type { DbOrTx } from '../db/client';

// Failed logins are slowed down per login name: the first few are free, then each further
// attempt must wait twice as long as the last, up to five minutes. Kept in PostgreSQL so every
// web replica enforces the same limit.
export const FREE_FAILURES = 3;
export const MAX_DELAY_S = 300;

export function delayAfter(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(MAX_DELAY_S, 2 ** (failures - FREE_FAILURES + 1));
}

const keyFor = (name: string) => `login:${name.trim().toLowerCase()}`;

/** Seconds the caller must still wait before another attempt for this name, 0 if none. */
export async function loginWaitSeconds(db: DbOrTx, name: string, now = new Date()): Promise<number> {
  const row = await db.loginThrottle.findUnique({ where: { key: keyFor(name) } });
  if (!row?.blockedUntil) return 0;
  return Math.max(0, Math.ceil((row.blockedUntil.getTime() - now.getTime()) / 1000));
}

export async function recordLoginFailure(db: DbOrTx, name: string, now = new Date()): Promise<number> {
  const key = keyFor(name);
  const row = await db.loginThrottle.upsert({
    where: { key },
    create: { key, failures: 1, lastFailureAt: now },
    update: { failures: { increment: 1 }, lastFailureAt: now },
  });
  const delay = delayAfter(row.failures);
  if (delay > 0) {
    await db.loginThrottle.update({ where: { key }, data: { blockedUntil: new Date(now.getTime() + delay * 1000) } });
  }
  return delay;
}

export async function clearLoginFailures(db: DbOrTx, name: string): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { key: keyFor(name) } });
}

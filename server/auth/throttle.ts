import type { Db, Tx } from '../db/client';

// Failed sign-ins are slowed down, kept in PostgreSQL so every web replica enforces one limit.
//
// Three counters per attempt, because each one alone is abusable:
// - (name, address): the strict one. A guesser at one address gets 3 free tries for a name, then
//   waits 5 s, 10 s, … up to 5 min. It is keyed by address too so that a stranger who keeps
//   failing for `admin` locks out only themselves, never the real admin at another address.
// - address, across all names: a budget against one address spraying many names.
// - name, across all addresses: a looser ceiling against guessing one name from many addresses
//   (a botnet, or a client that forges X-Forwarded-For — without a proxy in front, the address is
//   whatever the client claims). At its cap a name admits one attempt a minute from anywhere, so
//   guessing stays slow; and to keep a name locked this way an attacker must keep failing at
//   least once a minute, from many addresses — a one-request-per-5-minutes lockout is not
//   enough any more. That residual risk is the price of a ceiling at all.
//
// Every attempt is booked BEFORE the password is verified, in one transaction that locks the
// three rows (INSERT … ON CONFLICT DO UPDATE takes the row locks, in key order so two attempts
// never deadlock): concurrent attempts queue on the locks and each sees the count left by the
// one before it, so a burst of parallel requests cannot all slip under the limit. A rejected
// attempt books nothing (a locked-out stranger does not push the name-wide ceiling); a
// successful sign-in clears its (name, address) counter and gives back what it booked on the
// other two.

export interface ThrottlePolicy {
  /** Failures that cost nothing. */
  free: number;
  /** The wait after the first failure beyond the free ones; it doubles with each further one. */
  firstDelayS: number;
  maxDelayS: number;
  /** A counter not touched for this long starts again from zero. */
  forgetAfterS: number;
}

export const POLICIES = {
  nameAtAddress: { free: 3, firstDelayS: 5, maxDelayS: 300, forgetAfterS: 900 },
  address: { free: 20, firstDelayS: 5, maxDelayS: 300, forgetAfterS: 900 },
  name: { free: 30, firstDelayS: 10, maxDelayS: 60, forgetAfterS: 900 },
} as const satisfies Record<string, ThrottlePolicy>;

type Scope = keyof typeof POLICIES;

/** Seconds to wait after the `failures`-th booked failure before the next attempt is admitted. */
export function delayAfter(policy: ThrottlePolicy, failures: number): number {
  if (failures < policy.free) return 0;
  return Math.min(policy.maxDelayS, policy.firstDelayS * 2 ** (failures - policy.free));
}

// Bounded so that a key always fits an index row, whatever the client sent.
const norm = (s: string, max: number) => s.trim().toLowerCase().slice(0, max);
const addressOf = (address: string | undefined) => norm(address ?? '', 64) || 'unknown';

export function throttleKeys(name: string, address: string | undefined): Record<Scope, string> {
  const n = norm(name, 64);
  const a = addressOf(address);
  // One prefix per scope and an unambiguous pair, so no name or forged address can spell
  // another scope's key (e.g. the name "admin@10.0.0.7" must not hit admin's counter there).
  return { nameAtAddress: `name-at:${JSON.stringify([n, a])}`, address: `from:${a}`, name: `name:${n}` };
}

export type Admission = { admitted: true } | { admitted: false; waitS: number };

async function book(tx: Tx, keys: Record<Scope, string>, now: Date): Promise<Admission> {
  const scopes = (Object.keys(keys) as Scope[]).sort((x, y) => (keys[x] < keys[y] ? -1 : 1));
  const sorted = scopes.map((s) => keys[s]);
  await tx.$executeRaw`INSERT INTO "LoginThrottle" (key) SELECT unnest(${sorted}::text[]) ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key`;
  const rows = new Map((await tx.loginThrottle.findMany({ where: { key: { in: sorted } } })).map((r) => [r.key, r]));

  const plan = scopes.map((scope) => {
    const policy = POLICIES[scope];
    const row = rows.get(keys[scope]);
    const forgotten = !row || now.getTime() - row.lastFailureAt.getTime() > policy.forgetAfterS * 1000;
    const failures = forgotten ? 0 : row.failures;
    const waitMs = !forgotten && row.blockedUntil ? row.blockedUntil.getTime() - now.getTime() : 0;
    return { key: keys[scope], policy, failures, waitMs };
  });
  const waitMs = Math.max(...plan.map((p) => p.waitMs));
  if (waitMs > 0) return { admitted: false, waitS: Math.ceil(waitMs / 1000) };

  for (const p of plan) {
    const failures = p.failures + 1;
    const delay = delayAfter(p.policy, failures);
    await tx.loginThrottle.update({
      where: { key: p.key },
      data: { failures, lastFailureAt: now, blockedUntil: delay > 0 ? new Date(now.getTime() + delay * 1000) : null },
    });
  }
  return { admitted: true };
}

/**
 * Books this sign-in attempt as a failure, atomically, unless one of its counters still makes
 * the caller wait. Call it before verifying the password; call `loginSucceeded` after a success.
 */
export function admitLoginAttempt(db: Db, name: string, address: string | undefined, now = new Date()): Promise<Admission> {
  // Generous waits: under a burst the attempts queue here for the row locks and the pool.
  return db.$transaction((tx) => book(tx, throttleKeys(name, address), now), { maxWait: 10_000, timeout: 10_000 });
}

/** The attempt booked by `admitLoginAttempt` was a success after all. */
export async function loginSucceeded(db: Db, name: string, address: string | undefined): Promise<void> {
  const keys = throttleKeys(name, address);
  await db.loginThrottle.deleteMany({ where: { key: keys.nameAtAddress } });
  for (const scope of ['address', 'name'] as const) {
    const free = POLICIES[scope].free;
    await db.$executeRaw`UPDATE "LoginThrottle" SET failures = GREATEST(failures - 1, 0),
      "blockedUntil" = CASE WHEN failures - 1 < ${free} THEN NULL ELSE "blockedUntil" END
      WHERE key = ${keys[scope]}`;
  }
}

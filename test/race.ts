import { expect } from 'vitest';
import pg from 'pg';

/**
 * Makes commands really overlap: a separate connection holds a lock (`lockSql`, run inside
 * BEGIN) while the commands start; once `waiters` sessions are seen waiting, the holder ends
 * (COMMIT or ROLLBACK) and the commands race past it. Waits for that condition, never for a
 * duration, so it holds on a loaded machine.
 */
export async function raceBehindLock<T>(
  url: string,
  lockSql: string,
  commands: Array<() => Promise<T>>,
  opts: { end?: 'COMMIT' | 'ROLLBACK'; waiters?: number } = {},
): Promise<Array<PromiseSettledResult<T>>> {
  const holder = new pg.Client({ connectionString: url });
  // Its own connection: pg_stat_activity is a snapshot frozen for the length of a transaction.
  const observer = new pg.Client({ connectionString: url });
  await Promise.all([holder.connect(), observer.connect()]);
  try {
    await holder.query('BEGIN');
    await holder.query(lockSql);
    // Settled as a whole at once, so an early rejection is not reported as unhandled meanwhile.
    const settled = Promise.allSettled(commands.map((c) => c()));
    const waiting = async () => {
      const r = await observer.query<{ n: string }>(
        `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND cardinality(pg_blocking_pids(pid)) > 0`,
      );
      return Number(r.rows[0]!.n);
    };
    await expect.poll(waiting, { timeout: 20_000, interval: 20 }).toBeGreaterThanOrEqual(opts.waiters ?? commands.length);
    await holder.query(opts.end ?? 'COMMIT');
    return await settled;
  } finally {
    await Promise.all([holder.end(), observer.end()]);
  }
}

export interface RaceError {
  code?: string;
  message: string;
  details?: Record<string, unknown>;
  fieldErrors?: Record<string, string[]>;
}

/** The one fulfilment and the one rejection among settled results; fails the test otherwise. */
export function oneWinner<T>(results: Array<PromiseSettledResult<T>>) {
  const won = results.filter((r): r is PromiseFulfilledResult<T> => r.status === 'fulfilled');
  const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  expect([won.length, lost.length], `expected one winner and one loser: ${lost.map((l) => String(l.reason)).join('; ')}`).toEqual([1, 1]);
  return { winner: won[0]!.value, winnerIndex: results.indexOf(won[0]!), error: lost[0]!.reason as RaceError };
}

/**
 * How many sessions wait on a lock `holder` holds. pg_locks spans the whole cluster, so a bare
 * "anyone waiting?" also counts other test files' databases; pg_blocking_pids names the holder.
 * Both are read live, so this works from inside the holder's own transaction.
 */
export async function sessionsBlockedBy(holder: pg.Client): Promise<number> {
  const r = await holder.query<{ n: string }>(
    `SELECT count(DISTINCT pid) AS n FROM pg_locks WHERE NOT granted AND pg_backend_pid() = ANY(pg_blocking_pids(pid))`,
  );
  return Number(r.rows[0]!.n);
}

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { Leadership } from './leader';

// The election itself, without a telemetry loop: how fast a follower takes a lock that is freed.
let t: TestDb;
let admin: pg.Pool;

beforeAll(async () => {
  t = await openTestDb();
  admin = new pg.Pool({ connectionString: t.url, max: 2 });
});
afterAll(async () => {
  await admin.end();
  await t.close();
});

// A key of this file's own: other files' leaders on the same cluster use the telemetry key.
const KEY = 0x5357_0014;

function candidate(name: string, pollMs: number, events: string[]) {
  return new Leadership({
    url: t.url,
    pollMs,
    key: KEY,
    log: () => undefined,
    onElected: () => events.push(`${name} elected`),
    onLost: (why) => events.push(`${name} lost: ${why}`),
  });
}

/** Ends the session that holds KEY, the way a killed worker's connection ends. */
async function killHolder(): Promise<number> {
  const { rowCount } = await admin.query(
    `SELECT pg_terminate_backend(pid) FROM pg_locks
      WHERE locktype = 'advisory' AND granted AND objid = $1 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    [KEY],
  );
  return rowCount ?? 0;
}

describe('telemetry leadership election', () => {
  it('a follower takes a freed lock at once, not at its next poll', async () => {
    const events: string[] = [];
    // Polls a minute apart: a follower that only polled would not take over within the wait below.
    const a = candidate('a', 60_000, events);
    const b = candidate('b', 60_000, events);
    try {
      a.start();
      await expect.poll(() => a.isLeader, { timeout: 15_000 }).toBe(true);
      b.start();
      await expect.poll(() => b.refused, { timeout: 15_000 }).toBe(1);
      expect(b.isLeader).toBe(false);
      expect(await killHolder()).toBe(1);
      await expect.poll(() => b.isLeader, { timeout: 15_000 }).toBe(true);
      // Still the first refusal: b was handed the lock while waiting for it, it did not ask again.
      expect(b.refused).toBe(1);
      expect(events.filter((e) => e.endsWith('elected'))).toEqual(['a elected', 'b elected']);
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it('a follower keeps asking while the leader lives, and stops promptly without taking the lock', async () => {
    const events: string[] = [];
    const a = candidate('a', 200, events);
    const b = candidate('b', 200, events);
    a.start();
    await expect.poll(() => a.isLeader, { timeout: 15_000 }).toBe(true);
    b.start();
    // Each wait ends at its lock_timeout and b asks again: several refusals, never elected.
    await expect.poll(() => b.refused, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    expect(b.isLeader).toBe(false);
    await b.stop();
    await a.stop();
    // Neither holds the key any more, and b's stop did not leave a waiting session behind.
    const { rows } = await admin.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = $1
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [KEY],
    );
    expect(rows[0]!.n).toBe('0');
    expect(events).toEqual(['a elected']);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../test/context';
import { createDb, createPool, type Db } from './client';

// A server (or database) whose TimeZone is not UTC must not shift the times the app reads: the
// database of this file is set to Europe/Berlin, and a client made the app's way reads now() the
// same as PostgreSQL writes it in UTC, as a timestamptz (graphile-worker's columns) and as a
// timestamp without time zone (what a raw now() stores in Prisma's DateTime columns).
let t: TestDb;
let db: Db;
beforeAll(async () => {
  t = await openTestDb();
  const name = decodeURIComponent(new URL(t.url).pathname.slice(1));
  await t.db.$executeRawUnsafe(`ALTER DATABASE "${name.replaceAll('"', '""')}" SET TimeZone = 'Europe/Berlin'`);
  db = createDb(t.url, 2);
});
afterAll(async () => {
  await db?.$disconnect();
  await t?.close();
});

describe('session time zone', () => {
  it('is UTC in the app’s sessions, so timestamps read back as the instants PostgreSQL means', async () => {
    const [row] = await db.$queryRaw<Array<{ zone: string; tz: Date; plain: Date; utc: string }>>`
      SELECT current_setting('TimeZone') AS zone, now() AS tz, now()::timestamp AS plain,
             to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS utc`;
    expect(row!.zone).toBe('UTC');
    expect(row!.tz.toISOString()).toBe(row!.utc);
    expect(row!.plain.toISOString()).toBe(row!.utc);
  });

  it('node-pg’s own queries read and send timestamp columns as UTC whatever the process’s zone', async () => {
    const pool = createPool(t.url, 1);
    const before = process.env.TZ;
    // Node reads TZ afresh when it changes: this file's process runs in Los Angeles for a moment.
    process.env.TZ = 'America/Los_Angeles';
    try {
      const at = new Date('2026-12-05T03:00:00.000Z');
      const { rows } = await pool.query<{ stored: Date; sent: string; same: boolean }>(
        `SELECT timestamp '2026-12-05 03:00:00' AS stored, to_char($1::timestamp, 'YYYY-MM-DD HH24:MI:SS') AS sent, $1::timestamp = timestamp '2026-12-05 03:00:00' AS same`,
        [at],
      );
      expect(rows[0]!.stored.toISOString()).toBe(at.toISOString());
      expect(rows[0]!.sent).toBe('2026-12-05 03:00:00');
      expect(rows[0]!.same).toBe(true);
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
      await pool.end();
    }
  });
});

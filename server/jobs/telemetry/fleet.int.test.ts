// The loop's change detector must move with every committed routing change, also one whose
// updatedAt is older than a change already seen (stamped at statement time in a long transaction
// that committed later): otherwise the leader never reloads and never applies that routing.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { makeFleet } from '../../db/factories';
import { fleetFingerprint } from './fleet';

let t: TestDb;
let pool: pg.Pool;
beforeAll(async () => {
  t = await openTestDb();
  pool = new pg.Pool({ connectionString: t.url, max: 2 });
});
afterAll(async () => {
  await pool.end();
  await t.close();
});

describe('fleetFingerprint', () => {
  it('moves when a routing write commits with an updatedAt older than the newest one seen', async () => {
    const { services } = await makeFleet(t.db, {
      regions: [{ name: 'r1', zones: [{ name: 'z1', clusters: ['c1'] }] }],
      services: [
        { name: 'a', placement: [{ cluster: 'c1', versions: { v1: 1 } }] },
        { name: 'b', placement: [{ cluster: 'c1', versions: { v1: 1 } }] },
      ],
    });
    const [a, b] = services;
    // The reconcile transaction stamps service a's row first…
    const stampedEarly = new Date(Date.now() - 60_000);
    // …meanwhile a quick write to service b commits and the loop sees it.
    await t.db.service.update({ where: { id: b!.id }, data: { version: { increment: 1 }, appliedVersion: { increment: 1 } } });
    await pool.query(`UPDATE "Service" SET "appliedVersion" = version`);
    const seen = await fleetFingerprint(pool);
    // Then the long transaction commits a's new routing with its earlier timestamp.
    await pool.query(`UPDATE "Service" SET routing = '{"versionWeights":{"v1":50}}', version = version + 1, "updatedAt" = $2 WHERE id = $1`, [a!.id, stampedEarly]);
    expect(await fleetFingerprint(pool)).not.toBe(seen);
    // Applied (appliedVersion raised): it moves again, and then stays still while nothing changes.
    await pool.query(`UPDATE "Service" SET "appliedVersion" = version, "updatedAt" = $2 WHERE id = $1`, [a!.id, stampedEarly]);
    const applied = await fleetFingerprint(pool);
    expect(applied).not.toBe(seen);
    expect(await fleetFingerprint(pool)).toBe(applied);
  });

  it('moves when an instance changes with an old updatedAt', async () => {
    const before = await fleetFingerprint(pool);
    await pool.query(`UPDATE "Instance" SET "adminState" = 'drain', version = version + 1, "updatedAt" = now() - interval '1 hour' WHERE id = (SELECT id FROM "Instance" LIMIT 1)`);
    expect(await fleetFingerprint(pool)).not.toBe(before);
  });
});

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { FreezableProxy } from '../../../test/freezable-proxy';
import { makeFleet } from '../../db/factories';
import { defaultPolicies } from '../../domain/policy-defaults';
import { recorded } from '../../platform/testing/recorded';
import { activeAdapterConfig, createAdapter, feedSimControls } from '../../services/platform/active-adapter';
import { TELEMETRY_LOCK_KEY } from './leader';
import { TelemetryLoop } from './loop';

// Two workers' telemetry loops on one database. The first is deposed the way that hurts: its lock
// connection goes silent (frozen behind a proxy) and PostgreSQL ends its session, so the lock
// passes to the second loop while the first still believes it leads and keeps ticking.
let t: TestDb;
let pool: pg.Pool;
let proxy: FreezableProxy;

beforeAll(async () => {
  t = await openTestDb();
  pool = new pg.Pool({ connectionString: t.url, max: 6 });
  pool.on('error', () => undefined);
  proxy = await FreezableProxy.for(t.url).start();
  for (const [kind, document] of Object.entries(defaultPolicies)) {
    await t.db.policy.create({ data: { kind: kind as keyof typeof defaultPolicies, scope: 'global', document } });
  }
  await t.db.adapterConfig.create({ data: { name: 'simulator', kind: 'sim', active: true, config: { seed: 7 } } });
  await makeFleet(t.db, {
    regions: [{ name: 'r1', zones: [{ name: 'z1', clusters: ['c1'] }] }],
    services: [{ name: 'api', placement: [{ cluster: 'c1', versions: { v1: 4 } }], routing: { versionWeights: { v1: 100 }, headerRules: [] } }],
  });
});
afterAll(async () => {
  proxy.thaw();
  await proxy.close();
  await pool.end();
  await t.close();
});

function loop(name: string, lockUrl: string, writes: string[], lines: string[]) {
  return new TelemetryLoop({
    url: lockUrl,
    pool,
    db: t.db,
    tickMs: 200,
    // The recording sits inside the fence: it sees only the writes that reach the platform.
    openAdapter: async () => recorded(createAdapter(await activeAdapterConfig(pool)), writes),
    beforeTick: feedSimControls,
    log: (l) => lines.push(`${name} ${l}`),
    workerId: name,
    electionPollMs: 200,
  });
}

const ticksOf = (leader: string) => t.db.tick.count({ where: { leader } });

describe('fencing of platform writes', () => {
  it('a deposed leader sends no further write to the platform; the new leader does', async () => {
    const lines: string[] = [];
    const aWrites: string[] = [];
    const bWrites: string[] = [];
    const a = loop('a', proxy.proxied(t.url), aWrites, lines);
    const b = loop('b', t.url, bWrites, lines);
    a.start();
    try {
      await expect.poll(() => ticksOf('a'), { timeout: 15_000, interval: 100 }).toBeGreaterThanOrEqual(2);
      expect(aWrites).toContain('applyWeights');
      b.start();
      // A's lock connection goes silent; PostgreSQL ends its session and so releases the lock.
      proxy.freeze();
      // pg_locks spans the whole cluster: other test files' leaders hold the same key in their own
      // databases, and ending theirs would break their tests (and this count).
      const { rowCount } = await pool.query(
        `SELECT pg_terminate_backend(l.pid) FROM pg_locks l JOIN pg_database d ON d.oid = l.database
          WHERE d.datname = current_database() AND l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = $1`,
        [TELEMETRY_LOCK_KEY],
      );
      expect(rowCount).toBe(1);
      await expect.poll(() => ticksOf('b'), { timeout: 15_000, interval: 100 }).toBeGreaterThanOrEqual(1);
      const aWritesWhenBLed = aWrites.length;
      const bWritesBefore = bWrites.length;
      // A registry change makes both loops reload: both want to write the new admin state.
      const target = await t.db.instance.findFirstOrThrow({ orderBy: { name: 'asc' } });
      await t.db.instance.update({ where: { id: target.id }, data: { adminState: 'drain' } });
      await expect
        .poll(() => lines.some((l) => l.startsWith('a ') && l.includes('deposed')) || aWrites.length > aWritesWhenBLed, { timeout: 15_000, interval: 100 })
        .toBe(true);
      expect(aWrites.slice(aWritesWhenBLed)).toEqual([]);
      expect(lines.some((l) => l.startsWith('a ') && /deposed: \w+ refused: this worker no longer holds/.test(l))).toBe(true);
      await expect.poll(() => bWrites.slice(bWritesBefore).includes('setInstanceState'), { timeout: 15_000, interval: 100 }).toBe(true);
      // The deposed loop stepped down by itself (without waiting for its dead connection to say so).
      await expect.poll(() => a.stats.leader, { timeout: 5_000, interval: 50 }).toBe(false);
      expect(b.stats.leader).toBe(true);
    } finally {
      proxy.thaw();
      await a.stop();
      await b.stop();
    }
  });
});

// The telemetry leader converging a real HAProxy to the Injection rows: a renewed lease keeps the
// fault, a lease nobody renews is marked lease_lapsed and the fault leaves HAProxy, a hard expiry
// is marked expired, a refusal is written in words, and NOTIFY sb_faults converges at once.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { createPool } from '../../db/client';
import { activeHaproxyLab, leaseRenewer, makeInjection, makeRunningRun, seedDefaultPolicies } from '../../../test/fault-fixtures';
import { FAULTS_CHANNEL } from '../../live/topics';
import { burst, type HaproxyLab } from '../../platform/haproxy/testing/harness';
import { activeAdapterConfig, activeAdapterKey, createAdapter } from '../../services/platform/active-adapter';
import { createSimAdapter, simConfigSchema } from '../../platform/sim';
import { syncFaultsOnce } from './fault-sync';
import { TelemetryLoop } from './loop';

let t: TestDb;
let pool: pg.Pool;
let lab: HaproxyLab;
let instanceId: string;

beforeAll(async () => {
  t = await openTestDb();
  // The app's pool options (its sessions in UTC), as the worker's loop has them.
  pool = createPool(t.url, 8);
  pool.on('error', () => undefined);
  await seedDefaultPolicies(t.db);
  lab = await activeHaproxyLab(t.db, { shop: { v1: 2, v2: 1 } });
  instanceId = (await t.db.instance.findFirstOrThrow({ where: { name: 'shop-v1-1' } })).id;
});
afterAll(async () => {
  await pool.end();
  await t.close();
  await lab.close();
});

function loop(name: string, tickMs: number, lines: string[] = []) {
  return new TelemetryLoop({
    url: t.url, pool, db: t.db, tickMs, log: (l) => lines.push(l), workerId: name, electionPollMs: 200,
    openAdapter: async () => createAdapter(await activeAdapterConfig(pool)), adapterKey: activeAdapterKey,
  });
}

const in503 = async (n = 40) => (await burst(lab.frontends.shop!, n, { concurrency: 4 })).byStatus[503] ?? 0;
const row = (id: string) => t.db.injection.findUniqueOrThrow({ where: { id } });
const e503 = { kind: 'http-error' as const, status: 503, pct: 100 };

describe('leader fault sync on HAProxy', () => {
  it('a renewed lease keeps the fault; a lease nobody renews is marked lease_lapsed and requests stop seeing it; a passed expiry is marked expired', { timeout: 120_000 }, async () => {
    const l = loop('fx', 250);
    l.start();
    const renewer = { stop: () => undefined as void };
    try {
      const { runId } = await makeRunningRun(t.db);
      // The whole shop backend (named by its service, as the run controller writes it).
      // A lease long enough that a stalled leader (a busy machine) does not lapse it while renewed.
      const id = await makeInjection(t.db, { runId, instanceId, backend: 'shop', spec: e503, adapterKind: 'haproxy', leaseMs: 8000 });
      const firstLease = (await row(id)).leaseExpiresAt.getTime();
      Object.assign(renewer, leaseRenewer(t.db, [id], 8000, 300));
      await expect.poll(async () => (await row(id)).injectedAt !== null, { timeout: 20_000, interval: 100 }).toBe(true);
      await expect.poll(() => in503(), { timeout: 10_000, interval: 100 }).toBe(40);
      // Renewed past the first lease (by HAProxy's whole-second clock and more): still there.
      while (Date.now() < firstLease + 2000) {
        expect(await in503(8)).toBe(8);
        expect((await row(id)).removedAt).toBeNull();
      }
      const r = await row(id);
      expect(r.platformExpiresAt!.getTime()).toBeGreaterThan(firstLease);
      expect(r.lastError).toBe('');

      // The controller dies: nobody renews. The leader drops the fault and says why.
      renewer.stop();
      await expect.poll(async () => (await row(id)).removeReason, { timeout: 20_000, interval: 100 }).toBe('lease_lapsed');
      expect(await row(id)).toMatchObject({ desired: false, removeReason: 'lease_lapsed' });
      expect((await row(id)).removedAt).not.toBeNull();
      await expect.poll(() => in503(), { timeout: 10_000, interval: 100 }).toBe(0);

      // A hard expiry passes while the lease is still renewed: removed as expired.
      const exp = await makeInjection(t.db, { runId, instanceId, backend: 'shop', spec: e503, adapterKind: 'haproxy', leaseMs: 60_000, expiresInMs: 2500 });
      await expect.poll(async () => (await row(exp)).injectedAt !== null, { timeout: 20_000, interval: 100 }).toBe(true);
      await expect.poll(async () => (await row(exp)).removeReason, { timeout: 20_000, interval: 100 }).toBe('expired');
      await expect.poll(() => in503(), { timeout: 10_000, interval: 100 }).toBe(0);
    } finally {
      renewer.stop();
      await l.stop();
    }
  });

  it('NOTIFY sb_faults converges at once (no tick runs): inject, refuse in words, remove keeping the reason', { timeout: 60_000 }, async () => {
    // A tick every ~11 days: every convergence below comes from the NOTIFY.
    const l = loop('fnotify', 1_000_000_000);
    l.start();
    try {
      await expect.poll(() => l.stats.leader, { timeout: 20_000, interval: 50 }).toBe(true);
      const { runId } = await makeRunningRun(t.db);
      const id = await makeInjection(t.db, { runId, instanceId, backend: 'shop', spec: e503, adapterKind: 'haproxy', leaseMs: 600_000 });
      const cpu = await makeInjection(t.db, { runId, instanceId, spec: { kind: 'cpu-stress', pct: 50 }, adapterKind: 'haproxy', leaseMs: 600_000 });
      await pool.query(`SELECT pg_notify($1, '')`, [FAULTS_CHANNEL]);
      await expect.poll(async () => (await row(id)).injectedAt !== null, { timeout: 20_000, interval: 50 }).toBe(true);
      expect(await in503()).toBe(40);
      await expect.poll(async () => (await row(cpu)).lastError, { timeout: 20_000, interval: 50 }).toBe('the haproxy adapter cannot inject cpu-stress (it sees traffic, not hosts)');
      expect((await row(cpu)).injectedAt).toBeNull();

      // An abort: desired = false with its reason and a NOTIFY, in one transaction.
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        await c.query(`UPDATE "Injection" SET desired = false, "removeReason" = 'aborted' WHERE "runId" = $1`, [runId]);
        await c.query(`SELECT pg_notify($1, '')`, [FAULTS_CHANNEL]);
        await c.query('COMMIT');
      } finally {
        c.release();
      }
      await expect.poll(async () => (await row(id)).removedAt !== null, { timeout: 20_000, interval: 50 }).toBe(true);
      expect(await in503()).toBe(0);
      expect(await row(id)).toMatchObject({ desired: false, removeReason: 'aborted' });
      expect(await row(cpu)).toMatchObject({ desired: false, removeReason: 'aborted' });
      expect(l.stats.ticks).toBe(0);
    } finally {
      await l.stop();
    }
  });

  it('a sync whose fence fails (a deposed leader) records nothing; with the fence it records refusals and lapses', async () => {
    const { runId } = await makeRunningRun(t.db);
    const live = await makeInjection(t.db, { runId, instanceId, spec: e503, adapterKind: 'sim', leaseMs: 600_000 });
    const lapsed = await makeInjection(t.db, { runId, instanceId, spec: e503, adapterKind: 'sim', leaseMs: -1000 });
    // A simulator that knows no instance: it refuses the live fault in words.
    const sim = createSimAdapter(simConfigSchema.parse({}));
    try {
      expect(await syncFaultsOnce(pool, sim, () => Promise.resolve(false))).toBeNull();
      expect(await row(live)).toMatchObject({ injectedAt: null, lastError: '', removedAt: null });
      expect(await row(lapsed)).toMatchObject({ desired: true, removedAt: null, removeReason: null });
      expect(await syncFaultsOnce(pool, sim, () => Promise.resolve(true))).toEqual({ desired: 1, failed: 1, removed: 1 });
      expect((await row(live)).lastError).not.toBe('');
      expect(await row(live)).toMatchObject({ injectedAt: null, removedAt: null });
      expect(await row(lapsed)).toMatchObject({ desired: false, removeReason: 'lease_lapsed' });
    } finally {
      await t.db.injection.updateMany({ where: { runId, removedAt: null }, data: { desired: false, removeReason: 'completed', removedAt: new Date() } });
    }
  });
});

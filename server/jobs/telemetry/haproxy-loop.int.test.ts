// The telemetry loop driving a real HAProxy: samples come from HAProxy's counters, and a socket
// that disappears is reported (health, banner) and recovered from without anyone's help.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { defaultPolicies } from '../../domain/policy-defaults';
import { burst, startHaproxyLab, type HaproxyLab } from '../../platform/haproxy/testing/harness';
import { getHealth } from '../../services/system/health';
import { activateAdapterConfig, importPlatformTopology, saveAdapterConfig } from '../../services/platform/platform-configs';
import { activeAdapterConfig, activeAdapterKey, createAdapter } from '../../services/platform/active-adapter';
import { TelemetryLoop } from './loop';

let t: TestDb;
let pool: pg.Pool;
let lab: HaproxyLab;
const admin = { id: null, name: 'test' };

beforeAll(async () => {
  t = await openTestDb();
  pool = new pg.Pool({ connectionString: t.url, max: 6 });
  pool.on('error', () => undefined);
  for (const [kind, document] of Object.entries(defaultPolicies)) {
    await t.db.policy.create({ data: { kind: kind as keyof typeof defaultPolicies, scope: 'global', document } });
  }
  lab = await startHaproxyLab({ shop: { v1: 2, v2: 1 } });
  const cfg = await saveAdapterConfig(t.db, admin, { name: 'lab', kind: 'haproxy', config: lab.adapterConfig });
  expect(await importPlatformTopology(t.db, admin, { id: cfg.id })).toEqual({ services: 1, instances: 3, updated: 0 });
  await activateAdapterConfig(t.db, admin, { id: cfg.id, version: cfg.version });
});
afterAll(async () => {
  await pool.end();
  await t.close();
  await lab.close();
});

describe('telemetry loop on HAProxy', () => {
  it('samples HAProxy traffic, reports a vanished socket in words, and recovers by itself', async () => {
    const lines: string[] = [];
    const loop = new TelemetryLoop({
      url: t.url, pool, db: t.db, tickMs: 250, log: (l) => lines.push(l), workerId: 'hx', electionPollMs: 200,
      openAdapter: async () => createAdapter(await activeAdapterConfig(pool)), adapterKey: activeAdapterKey,
    });
    loop.start();
    try {
      await expect.poll(() => t.db.tick.count(), { timeout: 15_000, interval: 100 }).toBeGreaterThanOrEqual(2);
      await burst(lab.frontends.shop!, 300, { concurrency: 6 });
      // Requests seen by HAProxy become per-instance request rates in the samples.
      await expect.poll(async () => (await t.db.telemetrySample.aggregate({ _max: { rps: true } }))._max.rps ?? 0, { timeout: 10_000, interval: 200 }).toBeGreaterThan(0);
      // The imported service routing (100 % to its most deployed version, v1, until a rollout changes it) was applied.
      const svc = await t.db.service.findUniqueOrThrow({ where: { name: 'shop' } });
      expect(svc.routing).toEqual({ versionWeights: { v1: 100, v2: 0 }, headerRules: [] });
      await expect.poll(async () => (await t.db.service.findUniqueOrThrow({ where: { id: svc.id } })).appliedVersion, { timeout: 10_000 }).toBe(svc.version);
      expect((await getHealth(t.db)).adapter).toMatchObject({ ok: true, kind: 'haproxy' });

      await lab.stop();
      // A command cut off mid-way while HAProxy dies may first report a reset or a timeout; once
      // the process is gone every tick says it in words: refused while the dead process's socket
      // file is still there, then no such socket.
      const vanished = [`HAProxy at ${lab.dir}/admin.sock: no such socket (is HAProxy running?)`, `HAProxy at ${lab.dir}/admin.sock: connection refused (is HAProxy running?)`];
      await expect.poll(async () => vanished.includes((await getHealth(t.db)).adapter?.error ?? ''), { timeout: 20_000, interval: 100 }).toBe(true);
      const down = await getHealth(t.db);
      expect(down.adapter?.ok).toBe(false);
      expect(down.status).toBe('degraded');

      await lab.start();
      await expect.poll(async () => (await getHealth(t.db)).adapter?.ok, { timeout: 10_000, interval: 100 }).toBe(true);
      const after = await t.db.tick.count();
      await expect.poll(() => t.db.tick.count(), { timeout: 10_000, interval: 100 }).toBeGreaterThan(after);
      expect(lines.some((l) => l.includes('platform adapter unreachable: HAProxy at'))).toBe(true);
    } finally {
      await loop.stop();
    }
  });
});

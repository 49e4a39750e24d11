import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { makeFleet } from '../../db/factories';
import { defaultPolicies } from '../../domain/policy-defaults';
import { TICK_CHANNEL } from '../../live/topics';
import { stressInstance } from '../../services/platform/sim-control';
import { activeAdapterConfig, activeAdapterKey, createAdapter, feedSimControls } from '../../services/platform/active-adapter';
import { activateAdapterConfig, saveAdapterConfig } from '../../services/platform/platform-configs';
import { ADAPTER_STATUS_KEY } from '../../services/platform/adapter-status';
import { TelemetryLoop } from './loop';

let t: TestDb;
let pool: pg.Pool;
let instanceIds: string[] = [];

beforeAll(async () => {
  t = await openTestDb();
  pool = new pg.Pool({ connectionString: t.url, max: 6 });
  pool.on('error', () => undefined);
  for (const [kind, document] of Object.entries(defaultPolicies)) {
    await t.db.policy.create({ data: { kind: kind as keyof typeof defaultPolicies, scope: 'global', document } });
  }
  await t.db.adapterConfig.create({ data: { name: 'simulator', kind: 'sim', active: true, config: { seed: 7, hotZone: 'z2' } } });
  await makeFleet(t.db, {
    regions: [{ name: 'r1', zones: [{ name: 'z1', clusters: ['c1'] }, { name: 'z2', clusters: ['c2'] }] }],
    services: [
      { name: 'api', placement: [{ cluster: 'c1', versions: { v1: 3 } }, { cluster: 'c2', versions: { v1: 3 } }], routing: { versionWeights: { v1: 100 }, headerRules: [] } },
    ],
  });
  instanceIds = (await t.db.instance.findMany({ select: { id: true } })).map((i) => i.id);
});
afterAll(async () => {
  await pool.end();
  await t.close();
});

function loop(name: string, lines: string[] = [], tickMs = 200) {
  return new TelemetryLoop({
    url: t.url,
    pool,
    db: t.db,
    tickMs,
    openAdapter: async () => createAdapter(await activeAdapterConfig(pool)),
    adapterKey: activeAdapterKey,
    beforeTick: feedSimControls,
    log: (l) => lines.push(`${name} ${l}`),
    workerId: name,
    electionPollMs: 200,
  });
}

const ticksOf = async (leader?: string) => t.db.tick.count({ where: leader ? { leader } : {} });

describe('telemetry loop', () => {
  it('commits each tick once: a Tick row, a sample per instance, NOTIFY with the tick id', async () => {
    const listener = new pg.Client({ connectionString: t.url });
    await listener.connect();
    const notified: string[] = [];
    listener.on('notification', (m) => notified.push(m.payload ?? ''));
    await listener.query(`LISTEN ${TICK_CHANNEL}`);
    const a = loop('a');
    a.start();
    try {
      await expect.poll(() => ticksOf('a'), { timeout: 15_000, interval: 100 }).toBeGreaterThanOrEqual(3);
    } finally {
      await a.stop();
    }
    await listener.end();
    const ticks = await t.db.tick.findMany({ where: { leader: 'a' }, orderBy: { id: 'asc' } });
    for (const tick of ticks) {
      const samples = await t.db.telemetrySample.findMany({ where: { tickId: tick.id } });
      expect(samples).toHaveLength(instanceIds.length);
      expect(new Set(samples.map((s) => s.instanceId))).toEqual(new Set(instanceIds));
      for (const s of samples) {
        expect(s.at.getTime()).toBe(tick.startedAt.getTime());
        expect(s.stageFill).toHaveLength(5);
        expect(s.stageState).toHaveLength(5);
        expect(s.effectiveWeight).toBeGreaterThanOrEqual(0);
        expect(s.effectiveWeight).toBeLessThanOrEqual(100);
      }
      // Slots are aligned to the tick interval.
      expect(tick.startedAt.getTime() % 200).toBe(0);
    }
    // Every committed tick was announced (NOTIFY is delivered at commit).
    for (const tick of ticks) expect(notified).toContain(tick.id.toString());
    // The first tick computes every weight: one weight transition per instance.
    const first = ticks[0]!;
    expect(await t.db.stateTransition.count({ where: { tickId: first.id, machine: 'weight' } })).toBe(instanceIds.length);
  });

  it('one leader at a time; a second worker takes over when the leader dies, never running a slot twice', async () => {
    const lines: string[] = [];
    const a = loop('lead-a', lines);
    const b = loop('lead-b', lines);
    a.start();
    await expect.poll(() => ticksOf('lead-a'), { timeout: 15_000, interval: 100 }).toBeGreaterThanOrEqual(2);
    b.start();
    // b has asked for the lock and been refused twice: it is a follower, not merely a late starter.
    await expect.poll(() => b.electionsRefused, { timeout: 15_000, interval: 50 }).toBeGreaterThanOrEqual(2);
    expect(await ticksOf('lead-b')).toBe(0);
    expect(b.stats.leader).toBe(false);
    // Kill the leader's lock connection the way a crashed process loses it.
    // Only this database's leader: other test files run leaders of their own on the same cluster.
    const { rowCount } = await pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()
         AND application_name = 'switchback-telemetry-leader' AND pid IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted)`,
    );
    expect(rowCount).toBe(1);
    try {
      await expect.poll(() => ticksOf('lead-b'), { timeout: 15_000, interval: 100 }).toBeGreaterThanOrEqual(3);
      const aTicksAfter = await ticksOf('lead-a');
      // Time measured in the new leader's ticks: two more of them, and none from the old one.
      const bTicks = await ticksOf('lead-b');
      await expect.poll(() => ticksOf('lead-b'), { timeout: 15_000, interval: 100 }).toBeGreaterThanOrEqual(bTicks + 2);
      // The old leader stopped committing once its lock was gone.
      expect(await ticksOf('lead-a')).toBe(aTicksAfter);
    } finally {
      await a.stop();
      await b.stop();
    }
    const dup = await t.db.$queryRaw<Array<{ n: bigint }>>`SELECT count(*) AS n FROM (SELECT "startedAt" FROM "Tick" GROUP BY 1 HAVING count(*) > 1) d`;
    expect(dup[0]!.n).toBe(0n);
    expect(lines.some((l) => l.startsWith('lead-b') && l.includes('elected leader'))).toBe(true);
  });

  it('stressing an instance through the simulator control API lowers its target weight and says why', async () => {
    const target = await t.db.instance.findFirstOrThrow({ where: { cluster: { name: 'c1' } }, orderBy: { name: 'asc' } });
    const admin = { id: null, name: 'test' };
    const a = loop('stress', [], 250);
    a.start();
    try {
      await expect.poll(() => ticksOf('stress'), { timeout: 15_000, interval: 100 }).toBeGreaterThanOrEqual(2);
      const before = await t.db.telemetrySample.findFirstOrThrow({ where: { instanceId: target.id }, orderBy: { at: 'desc' } });
      await stressInstance(t.db, admin, { instanceId: target.id, cpuPct: 100, durationS: 60 });
      // CPU is sampled every 5 s; the threshold crossing then triggers a recompute.
      await expect
        .poll(async () => (await t.db.telemetrySample.findFirstOrThrow({ where: { instanceId: target.id }, orderBy: { at: 'desc' } })).targetWeight, {
          timeout: 20_000,
          interval: 250,
        })
        .toBeLessThan(before.targetWeight - 10);
      // Stress also slows the instance, so P95 (sampled every 3 s) may cross first; CPU (every
      // 5 s) crosses too, and that recompute names it with its share of the weight.
      const cpuCause = async () =>
        t.db.stateTransition.findFirst({ where: { instanceId: target.id, machine: 'weight', cause: { contains: 'CPU' } }, orderBy: { id: 'desc' } });
      await expect.poll(async () => (await cpuCause())?.cause ?? '', { timeout: 15_000, interval: 250 }).toMatch(/CPU \d+ % crossed 85 %/);
      expect(((await cpuCause())!.values as Record<string, number>)['penalty.cpu']).toBeGreaterThanOrEqual(25);
    } finally {
      await a.stop();
    }
  });

  it('reopens the adapter when another configuration is activated, keeps ticking, and reports the adapter reachable', async () => {
    const lines: string[] = [];
    const a = loop('switch', lines, 250);
    a.start();
    const admin = { id: null, name: 'test' };
    try {
      await expect.poll(() => ticksOf('switch'), { timeout: 15_000, interval: 100 }).toBeGreaterThanOrEqual(2);
      const status = await t.db.systemSetting.findUniqueOrThrow({ where: { key: ADAPTER_STATUS_KEY } });
      expect(status.value).toMatchObject({ ok: true, kind: 'sim', error: null });
      const other = await saveAdapterConfig(t.db, admin, { name: 'calm', kind: 'sim', config: { seed: 9, hotZone: null } });
      await activateAdapterConfig(t.db, admin, { id: other.id, version: other.version });
      await expect.poll(() => lines.some((l) => l.includes('active platform adapter changed')), { timeout: 10_000, interval: 100 }).toBe(true);
      const after = await ticksOf('switch');
      await expect.poll(() => ticksOf('switch'), { timeout: 10_000, interval: 100 }).toBeGreaterThan(after + 1);
      expect(lines.filter((l) => l.includes('leading 6 instances')).length).toBe(2);
    } finally {
      await a.stop();
      await t.db.adapterConfig.updateMany({ data: { active: false } });
      await t.db.adapterConfig.update({ where: { name: 'simulator' }, data: { active: true } });
    }
  });

  it('a fault sync that fails is reported in the adapter status and the tick still commits its telemetry', async () => {
    const a = new TelemetryLoop({
      url: t.url,
      pool,
      db: t.db,
      tickMs: 250,
      openAdapter: async () => {
        const inner = createAdapter(await activeAdapterConfig(pool));
        inner.syncFaults = () => Promise.reject(new Error('fault maps unreachable'));
        return inner;
      },
      log: () => undefined,
      workerId: 'nosync',
      electionPollMs: 200,
    });
    a.start();
    try {
      await expect.poll(() => ticksOf('nosync'), { timeout: 15_000, interval: 100 }).toBeGreaterThanOrEqual(2);
      const status = await t.db.systemSetting.findUniqueOrThrow({ where: { key: ADAPTER_STATUS_KEY } });
      expect(status.value).toMatchObject({ ok: false, error: 'fault sync: fault maps unreachable' });
    } finally {
      await a.stop();
    }
  });
});

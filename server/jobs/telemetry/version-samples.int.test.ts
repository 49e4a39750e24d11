import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { makeFleet } from '../../db/factories';
import { LATENCY_BUCKET_COUNT } from '../../domain/latency-buckets';
import { defaultPolicies } from '../../domain/policy-defaults';
import { activeAdapterConfig, createAdapter, feedSimControls } from '../../services/platform/active-adapter';
import { readVersionTicks } from '../../services/rollouts/version-ticks';
import { TelemetryLoop } from './loop';

let t: TestDb;
let pool: pg.Pool;

beforeAll(async () => {
  t = await openTestDb();
  pool = new pg.Pool({ connectionString: t.url, max: 4 });
  pool.on('error', () => undefined);
  for (const [kind, document] of Object.entries(defaultPolicies)) {
    await t.db.policy.create({ data: { kind: kind as keyof typeof defaultPolicies, scope: 'global', document } });
  }
  await t.db.adapterConfig.create({ data: { name: 'simulator', kind: 'sim', active: true, config: { seed: 3, hotZone: null } } });
  // v2 runs in z1 only: the analysis compares it with the v1 instances of z1, never those of z2.
  await makeFleet(t.db, {
    regions: [{ name: 'r1', zones: [{ name: 'z1', clusters: ['c1'] }, { name: 'z2', clusters: ['c2'] }] }],
    services: [
      { name: 'api', placement: [{ cluster: 'c1', versions: { v1: 2, v2: 1 } }, { cluster: 'c2', versions: { v1: 3 } }], routing: { versionWeights: { v1: 80, v2: 20 }, headerRules: [] } },
    ],
  });
});
afterAll(async () => {
  await pool.end();
  await t.close();
});

describe('telemetry loop: per-version samples', () => {
  it('writes one row per tick × service × version × zone in the tick, matching the instance samples', async () => {
    const loop = new TelemetryLoop({
      url: t.url, pool, db: t.db, tickMs: 250,
      openAdapter: async () => createAdapter(await activeAdapterConfig(pool)),
      beforeTick: feedSimControls, log: () => undefined, workerId: 'vs', electionPollMs: 200,
    });
    loop.start();
    try {
      await expect.poll(() => t.db.tick.count(), { timeout: 15_000, interval: 100 }).toBeGreaterThanOrEqual(4);
    } finally {
      await loop.stop();
    }
    const service = await t.db.service.findFirstOrThrow({ where: { name: 'api' } });
    const instances = await t.db.instance.findMany({ select: { id: true, appVersion: true, cluster: { select: { zone: { select: { name: true } } } } } });
    const group = new Map(instances.map((i) => [i.id, `${i.appVersion}/${i.cluster.zone.name}`]));
    const ticks = await t.db.tick.findMany({ orderBy: { id: 'asc' } });
    let withTraffic = 0;
    for (const tick of ticks) {
      const rows = await t.db.versionSample.findMany({ where: { at: tick.startedAt }, orderBy: [{ appVersion: 'asc' }, { zone: 'asc' }] });
      expect(rows.map((r) => [r.serviceId, r.appVersion, r.zone, r.instances])).toEqual([
        [service.id, 'v1', 'z1', 2],
        [service.id, 'v1', 'z2', 3],
        [service.id, 'v2', 'z1', 1],
      ]);
      const samples = await t.db.telemetrySample.findMany({ where: { tickId: tick.id } });
      for (const r of rows) {
        const mine = samples.filter((s) => group.get(s.instanceId) === `${r.appVersion}/${r.zone}`);
        const requests = mine.reduce((s, x) => s + (x.requests ?? 0), 0);
        expect(r.requests).toBe(requests);
        expect(r.errors).toBeCloseTo(mine.reduce((s, x) => s + (x.errorRate ?? 0) * (x.requests ?? 0), 0), 6);
        expect(r.buckets).toHaveLength(LATENCY_BUCKET_COUNT);
        // The histogram holds the completed requests (not the ingress rejections).
        expect(r.buckets.reduce((s, b) => s + b, 0)).toBe(requests - mine.reduce((s, x) => s + (x.ingressTimeouts ?? 0), 0));
        if (requests > 0) withTraffic++;
      }
    }
    expect(withTraffic).toBeGreaterThan(0);

    // What the analysis reads: v2 against the v1 instances of z1 only, tick by tick.
    const read = await readVersionTicks(t.db, { serviceId: service.id, canaryVersion: 'v2', stableVersion: 'v1', since: ticks[0]!.startedAt });
    expect(read.map((x) => x.at)).toEqual(ticks.map((x) => x.startedAt.getTime()));
    for (const x of read) {
      const [v1z1, v2z1] = await Promise.all(['v1', 'v2'].map((appVersion) => t.db.versionSample.findUniqueOrThrow({ where: { serviceId_at_appVersion_zone: { serviceId: service.id, at: new Date(x.at), appVersion, zone: 'z1' } } })));
      expect(x.stable).toEqual({ requests: v1z1!.requests, errors: v1z1!.errors, buckets: v1z1!.buckets });
      expect(x.canary).toEqual({ requests: v2z1!.requests, errors: v2z1!.errors, buckets: v2z1!.buckets });
    }
  });
});

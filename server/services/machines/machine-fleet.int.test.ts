import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { makeFleet } from '../../db/factories';
import { listInStateNow, getMachineHistory } from './machine-fleet';
import { rollupTelemetry } from '../telemetry/telemetry-rollup';

let t: TestDb;
const t0 = Math.floor(Date.now() / 60_000) * 60_000 - 600_000;
beforeAll(async () => {
  t = await openTestDb();
  await makeFleet(t.db, {
    regions: [
      { name: 'r1', zones: [{ name: 'za', clusters: ['ca'] }, { name: 'zb', clusters: ['cb'] }] },
      { name: 'r2', zones: [{ name: 'zc', clusters: ['cc'] }] },
    ],
    services: [{ name: 'api', placement: [{ cluster: 'ca', versions: { v1: 1 } }, { cluster: 'cb', versions: { v1: 2 } }, { cluster: 'cc', versions: { v1: 1 } }] }],
  });
  const all = await t.db.instance.findMany({ orderBy: { name: 'asc' } });
  const by = (n: string) => all.find((i) => i.name === n)!.id;
  // Six ticks a minute apart; in zone b both instances go blocked in execution from tick 3 on
  // (one at minute 3, one at minute 4); the others stay active.
  for (let k = 0; k < 6; k++) {
    const at = new Date(t0 + k * 60_000);
    const tick = await t.db.tick.create({ data: { startedAt: at, finishedAt: at, durationMs: 1, instances: 4, skippedSoFar: 0, leader: 'x' } });
    const row = (name: string, blocked: boolean, degradation: number) => ({ instanceId: by(name), at, tickId: tick.id, targetWeight: 50, effectiveWeight: 50, degradation, breaker: 'closed', stageFill: [0, 0, 0, 0, blocked ? 0.97 : 0.2], stageState: ['active', 'idle', 'idle', 'idle', blocked ? 'blocked' : 'active'] });
    await t.db.telemetrySample.createMany({
      data: [row('api-ca-v1-1', false, 0), row('api-cb-v1-1', k >= 3, k >= 3 ? 2 : 0), row('api-cb-v1-2', k >= 4, 0), row('api-cc-v1-1', false, 0)],
    });
    const tr = (name: string) => ({ at, tickId: tick.id, instanceId: by(name), machine: 'stage' as const, stage: 'execution', fromState: 'active', toState: 'blocked', cause: 'next buffer full', values: { nextFill: 0.99 } });
    if (k === 3) await t.db.stateTransition.create({ data: tr('api-cb-v1-1') });
    if (k === 4) await t.db.stateTransition.create({ data: tr('api-cb-v1-2') });
  }
  // An older blocked spell of the same stage that ended: "since" must be the newest entry.
  const old = await t.db.tick.findFirstOrThrow();
  await t.db.stateTransition.create({ data: { at: new Date(t0 - 3600_000), tickId: old.id, instanceId: by('api-cb-v1-1'), machine: 'stage', stage: 'execution', fromState: 'active', toState: 'blocked', cause: 'old', values: {} } });
});
afterAll(() => t.close());

describe('machines over the fleet', () => {
  it('answers which stages in zone b are blocked, since when and why', async () => {
    const zb = await t.db.zone.findUniqueOrThrow({ where: { name: 'zb' } });
    const rows = await listInStateNow(t.db, { machine: 'stage', from: t0, to: t0 + 600_000, zoneId: zb.id, state: 'blocked' });
    expect(rows.map((r) => [r.instance, r.stage, r.since, r.cause, r.values])).toEqual([
      ['api-cb-v1-1', 'execution', t0 + 180_000, 'next buffer full', { nextFill: 0.99 }],
      ['api-cb-v1-2', 'execution', t0 + 240_000, 'next buffer full', { nextFill: 0.99 }],
    ]);
    const za = await t.db.zone.findUniqueOrThrow({ where: { name: 'za' } });
    expect(await listInStateNow(t.db, { machine: 'stage', from: t0, to: t0 + 600_000, zoneId: za.id, state: 'blocked' })).toEqual([]);
    const l2 = await listInStateNow(t.db, { machine: 'degradation', from: t0, to: t0 + 600_000, state: 'L2' });
    expect(l2.map((r) => [r.instance, r.since])).toEqual([['api-cb-v1-1', null]]);
  });

  it('lists nobody in a state the machine does not have (it used to read an unknown level as L0)', async () => {
    for (const machine of ['degradation', 'stage', 'breaker'] as const) {
      expect(await listInStateNow(t.db, { machine, from: t0, to: t0 + 600_000, state: 'foo' })).toEqual([]);
    }
  });

  it('counts instances per state per bucket (not samples), filtered by region and stage', async () => {
    const h = await getMachineHistory(t.db, { machine: 'stage', stage: 'execution', from: t0, to: t0 + 360_000, buckets: 6 });
    expect(h.bucketMs).toBe(60_000);
    expect(h.points.map((p) => [p.t - t0, (p as Record<string, number>).active ?? 0, (p as Record<string, number>).blocked ?? 0])).toEqual([
      [0, 4, 0], [60_000, 4, 0], [120_000, 4, 0], [180_000, 3, 1], [240_000, 2, 2], [300_000, 2, 2],
    ]);
    const r2 = await t.db.region.findUniqueOrThrow({ where: { name: 'r2' } });
    const one = await getMachineHistory(t.db, { machine: 'degradation', from: t0, to: t0 + 360_000, buckets: 10, regionId: r2.id });
    expect(one.states).toEqual(['L0']);
    expect(one.points.every((p) => (p as Record<string, number>).L0 === 1)).toBe(true);
    // Two minutes per bucket: the mean of the two ticks in it.
    const wide = await getMachineHistory(t.db, { machine: 'degradation', from: t0, to: t0 + 360_000, buckets: 3 });
    expect(wide.points.map((p) => (p as Record<string, number>).L2 ?? 0)).toEqual([0, 0.5, 1]);
  });

  it('reads long ranges from the rollups’ per-state counts, with the same numbers', async () => {
    await rollupTelemetry(t.db, new Date(t0 + 361_000), 2);
    const h = await getMachineHistory(t.db, { machine: 'stage', stage: 'execution', from: t0 - 3600_000, to: t0 + 3600_000, buckets: 120 });
    expect([h.resolutionS, h.bucketMs]).toEqual([60, 60_000]);
    expect(h.points.map((p) => [p.t - t0, (p as Record<string, number>).active, (p as Record<string, number>).blocked])).toEqual([
      [0, 4, 0], [60_000, 4, 0], [120_000, 4, 0], [180_000, 3, 1], [240_000, 2, 2], [300_000, 2, 2],
    ]);
    const zb = await t.db.zone.findUniqueOrThrow({ where: { name: 'zb' } });
    const ladder = await getMachineHistory(t.db, { machine: 'degradation', from: t0 - 3600_000, to: t0 + 3600_000, buckets: 120, zoneId: zb.id });
    expect(ladder.points.map((p) => (p as Record<string, number>).L2)).toEqual([0, 0, 0, 1, 1, 1]);
  });
});

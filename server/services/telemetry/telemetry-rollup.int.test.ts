import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { makeFleet } from '../../db/factories';
import { persistTick, type SampleRow } from '../../jobs/telemetry/persist';
import { pruneRetention } from './maintenance';
import { rollupTelemetry } from './telemetry-rollup';
import pg from 'pg';
import { isRawPack, packRecords } from './pack-codec';

let t: TestDb;
let ids: string[];
/** One connection for every tick the file writes: a connect per tick (122 of them) cost most of the file's time under load. */
let ticks: pg.Client;
beforeAll(async () => {
  t = await openTestDb();
  ticks = new pg.Client({ connectionString: t.url });
  await ticks.connect();
  await makeFleet(t.db, {
    regions: [{ name: 'r', zones: [{ name: 'z', clusters: ['c'] }] }],
    services: [{ name: 's', placement: [{ cluster: 'c', versions: { v1: 2 } }] }],
  });
  ids = (await t.db.instance.findMany({ orderBy: { name: 'asc' } })).map((i) => i.id);
});
afterAll(async () => {
  await ticks?.end();
  await t.close();
});

const sample = (instanceId: string, cpu: number, weight: number, fill: number): SampleRow => ({
  instanceId,
  up: true,
  rtMs: 20,
  cpu,
  memory: null,
  p50Ms: 10,
  p95Ms: cpu * 10,
  p99Ms: 40,
  connections: 100,
  rps: 50,
  errorRate: 0,
  inputAgeMs: { cpu: 0, p95: 0, connections: 0 },
  targetWeight: weight,
  effectiveWeight: weight,
  degradation: fill > 0.85 ? 1 : 0,
  breaker: 'closed',
  stageFill: [0.1, 0.2, fill, 0.1, 0.1],
  stageState: ['active', 'active', 'blocked', 'idle', 'idle'],
  requests: null, activeRequests: null, maxConcurrency: null, ingressTimeouts: null, stageInputs: [], stageOutputs: [], stageBlocked: [],
});

/** One tick in its own transaction, as the telemetry loop commits it. */
async function writeTick(at: Date, rows: SampleRow[]) {
  const c = ticks;
  await c.query('BEGIN');
  try {
    await persistTick(c, { at, startedAt: at, instances: rows.length, skippedSoFar: 0, leader: 'test' }, rows, [
      { instanceId: rows[0]!.instanceId, machine: 'stage', stage: 'routing', from: 'active', to: 'blocked', cause: 'output buffer full', at: at.getTime(), values: { fill: 0.97 } },
    ]);
    await c.query('COMMIT');
  } catch (err) {
    await c.query('ROLLBACK');
    throw err;
  }
}

describe('telemetry persistence, rollups and retention', () => {
  const base = Date.UTC(2026, 10, 22, 10, 0, 0); // a whole 10-minute boundary

  it('persists arrays and JSON per row exactly (one statement per table)', async () => {
    const at = new Date(base - 3600_000);
    await writeTick(at, [sample(ids[0]!, 40, 55, 0.5), sample(ids[1]!, 90, 20, 0.97)]);
    const rows = await t.db.telemetrySample.findMany({ where: { at }, orderBy: { cpu: 'asc' } });
    expect(rows.map((r) => r.stageFill[2])).toEqual([0.5, 0.97]);
    expect(rows[1]!.stageState).toEqual(['active', 'active', 'blocked', 'idle', 'idle']);
    expect(rows[0]!.inputAgeMs).toEqual({ cpu: 0, p95: 0, connections: 0 });
    // Stored as UTC wall time, as Prisma reads and writes it.
    expect(rows[0]!.at.toISOString()).toBe(at.toISOString());
    const tr = await t.db.stateTransition.findFirstOrThrow({ where: { at } });
    expect(tr).toMatchObject({ machine: 'stage', stage: 'routing', fromState: 'active', toState: 'blocked', values: { fill: 0.97 } });
  });

  it('rolls complete minutes up into 60 s and 600 s buckets, idempotently', async () => {
    // Twenty minutes of one sample per 10 s; instance 0 has cpu 10 in the first ten minutes, 30 after.
    for (let s = 0; s < 1200; s += 10) {
      const at = new Date(base + s * 1000);
      await writeTick(at, [sample(ids[0]!, s < 600 ? 10 : 30, 80, 0.3), sample(ids[1]!, 50, 50, s === 610 ? 0.9 : 0.2)]);
    }
    const now = new Date(base + 1200_000 + 15_000); // past the 10 s grace before a minute is packed
    await rollupTelemetry(t.db, now, 2);
    const again = await rollupTelemetry(t.db, now, 2);
    expect(again.r60).toBeGreaterThan(0); // re-does the newest bucket only
    expect(again.packs).toBe(0); // every minute's pack already holds all its samples
    const m = await t.db.telemetryRollup.findMany({ where: { instanceId: ids[0], resolutionS: 60, bucketStart: { gte: new Date(base) } }, orderBy: { bucketStart: 'asc' } });
    expect(m).toHaveLength(20);
    expect(m[0]).toMatchObject({ samples: 6, cpuAvg: 10, cpuMax: 10, effectiveWeightAvg: 80 });
    expect(m[10]).toMatchObject({ cpuAvg: 30 });
    // Each rolled-up minute has its replay pack: six samples, in the lean layout.
    const packs = await t.db.telemetryPack.findMany({ where: { instanceId: ids[0], minute: { gte: new Date(base) } }, orderBy: { minute: 'asc' } });
    expect(packs.map((p) => p.minute.getTime())).toEqual(m.map((r) => r.bucketStart.getTime()));
    expect(packs.map((p) => [p.samples, isRawPack(Buffer.from(p.data)), packRecords(Buffer.from(p.data))])).toEqual(m.map(() => [6, false, 6]));
    const ten = await t.db.telemetryRollup.findMany({ where: { resolutionS: 600, bucketStart: { gte: new Date(base) } }, orderBy: [{ instanceId: 'asc' }, { bucketStart: 'asc' }] });
    const zero = ten.filter((r) => r.instanceId === ids[0]);
    expect(zero.map((r) => [r.samples, r.cpuAvg])).toEqual([
      [60, 10],
      [60, 30],
    ]);
    const one = ten.filter((r) => r.instanceId === ids[1]);
    expect(one[1]!.stageFillMax[2]).toBeCloseTo(0.9);
    expect(one[1]!.degradationMax).toBe(1);
    // Samples per state, summed from the minutes: one sample at L1 (the 0.9 fill at 610 s).
    expect([one[1]!.degradationCounts, one[1]!.breakerCounts]).toEqual([[59, 1, 0, 0], [60, 0, 0]]);
    expect([one[1]!.stageIdleCounts, one[1]!.stageActiveCounts, one[1]!.stageBlockedCounts]).toEqual([[0, 0, 0, 60, 60], [60, 60, 0, 0, 0], [0, 0, 60, 0, 0]]);
    expect(m[0]!.degradationCounts).toEqual([6, 0, 0, 0]);
    // A tick that commits minutes after its minute was packed (and rolled past) still joins the pack.
    await writeTick(new Date(base + 1205_000), [sample(ids[0]!, 30, 80, 0.3)]);
    await rollupTelemetry(t.db, new Date(now.getTime() + 60_000), 2);
    await writeTick(new Date(base + 1195_000), [sample(ids[0]!, 30, 80, 0.3)]);
    await rollupTelemetry(t.db, new Date(now.getTime() + 120_000), 2);
    const late = await t.db.telemetryPack.findUniqueOrThrow({ where: { instanceId_minute: { instanceId: ids[0]!, minute: new Date(base + 1140_000) } } });
    expect([late.samples, packRecords(Buffer.from(late.data))]).toEqual([7, 7]);
  });

  it('prunes raw samples past their window and keeps the rollups', async () => {
    const now = new Date(base + 7 * 3600_000);
    const r = await pruneRetention(t.db, { auditDays: 365, liveHours: 24, telemetryRawHours: 6, telemetryRollupDays: 30, transitionDays: 30 }, now);
    expect(r.samples).toBeGreaterThan(0);
    expect(await t.db.telemetrySample.count({ where: { at: { lt: new Date(now.getTime() - 6 * 3600_000) } } })).toBe(0);
    expect(await t.db.telemetryRollup.count({ where: { resolutionS: 60 } })).toBeGreaterThanOrEqual(40);
    // The packs serve previews of at most two hours: they go after two hours, raw samples or not.
    expect(r.packs).toBeGreaterThan(0);
    expect(await t.db.telemetryPack.count({ where: { minute: { lt: new Date(now.getTime() - 2 * 3600_000) } } })).toBe(0);
  });
});

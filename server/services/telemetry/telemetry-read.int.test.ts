import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { makeFleet } from '../../db/factories';
import { makeTick, makeTicks, tickSeries } from '../../db/telemetry-factories';
import { computeWeight, explanationValues } from '../../domain/weights';
import { defaultWeightPolicy } from '../../domain/policy-defaults';
import { getInstanceDetail, getInstanceSeries } from './telemetry-read';
import { getServiceDetail, getServiceSeries, listServices } from './telemetry-read-service';
import { rollupTelemetry } from './telemetry-rollup';

let t: TestDb;
let ids: { a: string; b: string; c: string };
let serviceId: string;
// A whole hour, so 60 s and 600 s buckets line up with the data.
const base = Date.UTC(2026, 10, 20, 8, 0, 0);
const at = (s: number) => new Date(base + s * 1000);

beforeAll(async () => {
  t = await openTestDb();
  const { services } = await makeFleet(t.db, {
    regions: [{ name: 'r-tr', zones: [{ name: 'z-tr', clusters: ['c-tr'] }] }],
    services: [
      { name: 'svc-tr', routing: { versionWeights: { v1: 90, v2: 10 }, headerRules: [{ header: 'X-Abtest-Group', equals: 'v2-canary', version: 'v2' }] }, placement: [{ cluster: 'c-tr', versions: { v1: 2, v2: 1 } }] },
    ],
  });
  serviceId = services[0]!.id;
  const byName = new Map((await t.db.instance.findMany()).map((i) => [i.name, i.id]));
  ids = { a: byName.get('svc-tr-c-tr-v1-1')!, b: byName.get('svc-tr-c-tr-v1-2')!, c: byName.get('svc-tr-c-tr-v2-1')! };

  // 25 minutes of one tick per second: instance a's cpu is the second of the hour mod 100 (so every
  // bucket's average is known), rps 10/20/5 for a/b/c; a weight recompute of a at 600 s.
  const { target, terms } = computeWeight(defaultWeightPolicy, { cpuPct: 40, p95Ms: 1240, connections: 600 });
  const values = explanationValues({ model: 'linear-decay', base: 100, terms, target, trigger: { kind: 'initial' }, computedAt: 0 });
  const ticks = tickSeries(
    at(0),
    1500,
    1000,
    [ids.a, ids.b, ids.c],
    (id, k) =>
      id === ids.a
        ? { cpu: k % 100, rps: 10, targetWeight: k >= 600 ? 55 : 80, effectiveWeight: k >= 600 ? Math.max(55, 80 - (k - 600)) : 80, stageFill: [0.1, 0.2, k === 700 ? 0.97 : 0.3, 0.1, 0.1], stageState: ['active', 'idle', k >= 1400 ? 'blocked' : 'active', 'active', 'active'], breaker: k >= 1490 ? 'open' : 'closed', degradation: k >= 1450 ? 1 : 0 }
        : { rps: id === ids.b ? 20 : 5, cpu: 20 },
    (k) => [
      ...(k === 600 ? [{ instanceId: ids.a, machine: 'weight' as const, from: '80', to: '55', cause: 'P95 1240 ms crossed 1200 ms', values, trigger: { kind: 'threshold' as const, input: 'p95' as const, direction: 'up' as const, value: 1240, threshold: 1200 } }] : []),
      ...(k === 1400 ? [{ instanceId: ids.a, machine: 'stage' as const, stage: 'routing', from: 'active', to: 'blocked', cause: 'output buffer full', values: { fill: 0.9 } }] : []),
      ...(k === 1401 ? [{ instanceId: ids.a, machine: 'stage' as const, stage: 'access', from: 'active', to: 'idle', cause: 'output sent' }] : []),
      ...(k === 1450 ? [{ instanceId: ids.a, machine: 'degradation' as const, from: 'L0', to: 'L1', cause: 'stage routing at 88 % ≥ 85 %: non-critical fields dropped' }] : []),
      ...(k === 1490 ? [{ instanceId: ids.a, machine: 'breaker' as const, from: 'closed', to: 'open', cause: 'rt 900 ms > 1.5 × EWMA 400 ms' }] : []),
    ],
  );
  await makeTicks(t.db, ticks);
});
afterAll(() => t.close());

describe('instance series', () => {
  it('reads 5 minutes as raw samples, one point per tick, in time order', async () => {
    const s = await getInstanceSeries(t.db, { instanceId: ids.a, range: { from: base + 1000_000, to: base + 1299_000 } });
    expect(s.resolution).toBe('raw');
    expect(s.stepS).toBe(1);
    expect(s.points).toHaveLength(300);
    expect(s.points[0]).toMatchObject({ t: base + 1000_000, cpu: 0, target: 55, effective: 55, rps: 10, breaker: 'closed', up: true });
    expect(s.points[0]!.tickId).toMatch(/^\d+$/);
    expect(s.points.every((p, i) => i === 0 || p.t > s.points[i - 1]!.t)).toBe(true);
    // The newest tick overall, so a live client resumes right after what it was given.
    expect(BigInt(s.lastTickId!)).toBeGreaterThan(BigInt(s.points.at(-1)!.tickId!));
  });

  it('averages a 25-minute raw range into buckets when it is longer than 1200 points', async () => {
    const s = await getInstanceSeries(t.db, { instanceId: ids.a, range: { from: base - 600_000, to: base + 1500_000 } });
    expect(s.resolution).toBe('raw');
    expect(s.stepS).toBe(2);
    expect(s.points).toHaveLength(750);
    // Bucket [0, 2 s): cpu 0 and 1 → 0.5; fill is the bucket's maximum.
    expect(s.points[0]).toMatchObject({ t: base, cpu: 0.5 });
    expect(s.points.find((p) => p.t === base + 700_000)!.stageFill[2]).toBeCloseTo(0.97);
    expect(s.points.at(-1)!.breaker).toBe('open');
  });

  it('reads 60 s and 600 s rollups for long ranges, with the newest buckets from raw samples', async () => {
    // Roll up the first 20 minutes only: the last 5 minutes are not rolled up yet.
    await rollupTelemetry(t.db, at(1200), 2);
    const day = await getInstanceSeries(t.db, { instanceId: ids.a, range: { from: base + 1500_000 - 24 * 3600_000, to: base + 1500_000 } });
    expect(day.resolution).toBe(60);
    expect(day.points.map((p) => p.t)).toEqual(Array.from({ length: 25 }, (_, i) => base + i * 60_000));
    expect(day.points[0]).toMatchObject({ cpu: 29.5, target: 80, tickId: null, up: null, breaker: null });
    expect(day.points[0]!.cpuMax).toBe(59);
    // Minute 20..24 came from raw samples, averaged the same way.
    expect(day.points[24]).toMatchObject({ cpu: (1440 + 1499) / 2 - 1400, target: 55, degradation: 1 });

    const week = await getInstanceSeries(t.db, { instanceId: ids.a, range: { from: base + 1500_000 - 7 * 24 * 3600_000, to: base + 1500_000 } });
    expect(week.resolution).toBe(600);
    expect(week.points.map((p) => p.t)).toEqual([base, base + 600_000, base + 1200_000]);
    expect(week.points[0]).toMatchObject({ cpu: 49.5, target: 80 });
    expect(week.points[1]!.stageFill[2]).toBeCloseTo(0.97);
  });

  it('lists the notable transitions of the range newest first, without idle ↔ active stage flips', async () => {
    const s = await getInstanceSeries(t.db, { instanceId: ids.a, range: { from: base, to: base + 1500_000 } });
    expect(s.transitions.map((x) => `${x.machine}:${x.to}`)).toEqual(['breaker:open', 'degradation:L1', 'stage:blocked', 'weight:55']);
    expect(s.transitions[3]).toMatchObject({ at: base + 600_000, cause: 'P95 1240 ms crossed 1200 ms', instanceId: ids.a });
    expect(s.transitionsTruncated).toBe(false);
  });
});

describe('instance detail', () => {
  it('has the topology, the latest sample, stage states with time in state, breaker and degradation', async () => {
    const d = await getInstanceDetail(t.db, { name: 'svc-tr-c-tr-v1-1' });
    expect(d).toMatchObject({ cluster: 'c-tr', zone: 'z-tr', region: 'r-tr', service: { id: serviceId, name: 'svc-tr' }, instance: { appVersion: 'v1', adminState: 'ready' } });
    expect(d.latest).toMatchObject({ t: base + 1499_000, target: 55, effective: 55, cpu: 99, breaker: 'open', degradation: 1 });
    expect(d.policy.weight.thresholds).toEqual({ cpuPct: 85, p95Ms: 1200, connections: 4500 });
    const routing = d.stages.find((s) => s.name === 'routing')!;
    expect(routing).toMatchObject({ state: 'blocked', since: base + 1400_000, band: 'normal' });
    // The last 5 minutes: 100 of 300 samples blocked.
    expect(routing.share!.blocked).toBeCloseTo(1 / 3);
    // The access stage's last transition (active → idle) does not match its state: no "since".
    expect(d.stages.find((s) => s.name === 'access')!.since).toBeNull();
    expect(d.breaker).toMatchObject({ state: 'open', since: base + 1490_000 });
    expect(d.degradation).toMatchObject({ level: 1, label: 'field-degraded', since: base + 1450_000 });
    expect(d.peers).toEqual({ instances: 2, sumEffective: 135, versionWeight: 90, versionWeightTotal: 100 });
    expect(d.sampledSince).toBe(base);
  });

  it('explains the current weight in words from the latest weight transition', async () => {
    const d = await getInstanceDetail(t.db, { name: 'svc-tr-c-tr-v1-1' });
    expect(d.explanation).toMatchObject({ target: 55, previousTarget: 80, computedAt: base + 600_000, cause: 'P95 1240 ms crossed 1200 ms' });
    expect(d.explanation!.sentence).toBe('Target 55 = 100 \u2212 31 from P95 1240 ms \u2212 12 from CPU 40 % \u2212 2.4 from 600 connections; recomputed because P95 1240 ms crossed 1200 ms');
    expect(d.lastCrossing).toMatchObject({ cause: 'P95 1240 ms crossed 1200 ms', at: base + 600_000 });
  });

  it('finds the last crossing by the stored trigger, not by the words of the cause', async () => {
    const tick = await t.db.tick.findFirstOrThrow({ orderBy: { id: 'asc' } });
    const weightRow = (instanceId: string, s: number, cause: string, trigger: object) => ({ at: at(s), tickId: tick.id, instanceId, machine: 'weight' as const, fromState: '80', toState: '70', cause, trigger });
    await t.db.stateTransition.createMany({
      data: [
        weightRow(ids.b, 900, 'P95 over its limit', { kind: 'threshold', input: 'p95', direction: 'up', value: 1300, threshold: 1200 }),
        weightRow(ids.b, 1000, 'periodic recompute, nothing crossed', { kind: 'periodic', everyS: 30 }),
        weightRow(ids.c, 900, 'CPU 90 % crossed 85 %', { kind: 'threshold', input: 'cpu', direction: 'held', value: 90, threshold: 85 }),
      ],
    });
    try {
      expect((await getInstanceDetail(t.db, { name: 'svc-tr-c-tr-v1-2' })).lastCrossing).toMatchObject({ cause: 'P95 over its limit', at: base + 900_000 });
      expect((await getInstanceDetail(t.db, { name: 'svc-tr-c-tr-v2-1' })).lastCrossing).toBeNull();
    } finally {
      // The service tests below read these instances' latest recompute.
      await t.db.stateTransition.deleteMany({ where: { instanceId: { in: [ids.b, ids.c] }, machine: 'weight' } });
    }
  });

  it('refuses an unknown instance with NOT_FOUND', async () => {
    await expect(getInstanceDetail(t.db, { name: 'no-such-instance' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('service reads', () => {
  it('has the routing and one row per instance with its latest sample and its biggest penalty', async () => {
    const s = await getServiceDetail(t.db, { name: 'svc-tr' });
    expect(s.service.routing).toEqual({ versionWeights: { v1: 90, v2: 10 }, headerRules: [{ header: 'X-Abtest-Group', equals: 'v2-canary', version: 'v2' }] });
    expect(s.instances.map((i) => [i.name, i.appVersion, i.rps, i.zone])).toEqual([
      ['svc-tr-c-tr-v1-1', 'v1', 10, 'z-tr'],
      ['svc-tr-c-tr-v1-2', 'v1', 20, 'z-tr'],
      ['svc-tr-c-tr-v2-1', 'v2', 5, 'z-tr'],
    ]);
    expect(s.instances[0]).toMatchObject({ target: 55, breaker: 'open', degradation: 1, why: '\u2212 31 from P95 1240 ms', cause: 'P95 1240 ms crossed 1200 ms' });
    expect(s.instances[1]!.why).toBeNull();
  });

  it('splits requests/s by version and by instance over time', async () => {
    const s = await getServiceSeries(t.db, { serviceId, range: { from: base + 1200_000, to: base + 1499_000 } });
    expect(s.resolution).toBe('raw');
    expect(s.versions).toEqual(['v1', 'v2']);
    expect(s.byVersion).toHaveLength(300);
    expect(s.byVersion[0]).toEqual({ t: base + 1200_000, v: { v1: 30, v2: 5 } });
    expect(s.byInstance[0]).toEqual({ t: base + 1200_000, v: { [ids.a]: 10, [ids.b]: 20, [ids.c]: 5 } });

    const day = await getServiceSeries(t.db, { serviceId, range: { from: base + 1500_000 - 24 * 3600_000, to: base + 1500_000 } });
    expect(day.resolution).toBe(60);
    expect(day.byVersion).toHaveLength(25);
    expect(day.byVersion.every((p) => p.v.v1 === 30 && p.v.v2 === 5)).toBe(true);
  });

  it('lists services with aggregates of the newest tick', async () => {
    // A newer tick where instance c is down.
    await makeTick(t.db, { at: at(1500), samples: [{ instanceId: ids.a, rps: 10, effectiveWeight: 40 }, { instanceId: ids.b, rps: 30, errorRate: 0.1 }, { instanceId: ids.c, up: false, rps: 0 }] });
    const [row] = await listServices(t.db);
    expect(row).toMatchObject({ name: 'svc-tr', instances: 3, byVersion: { v1: 2, v2: 1 }, zones: 1 });
    expect(row!.live).toMatchObject({ at: base + 1500_000, rps: 40, down: 1, lowest: { name: 'svc-tr-c-tr-v1-1', effective: 40 } });
    expect(row!.live!.errorRate).toBeCloseTo(3 / 40);
  });

  it('lists the newest sampled tick when the newest tick wrote no samples', async () => {
    await makeTick(t.db, { at: at(1501), samples: [] });
    const [row] = await listServices(t.db);
    expect(row!.live).toMatchObject({ at: base + 1500_000, rps: 40, down: 1 });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { makeDefaultPolicies, makeFleet } from '../../db/factories';
import { defaultPolicies } from '../../domain/policy-defaults';
import { publishPolicy } from '../policies/policies';
import { listTimelineEvents } from './timeline';

let t: TestDb;
const now = Date.now();
beforeAll(async () => {
  t = await openTestDb();
  await makeDefaultPolicies(t.db, ['watermark']);
  await makeFleet(t.db, {
    regions: [{ name: 'r', zones: [{ name: 'za', clusters: ['ca'] }, { name: 'zb', clusters: ['cb'] }] }],
    services: [
      { name: 'api', placement: [{ cluster: 'ca', versions: { v1: 1 } }] },
      { name: 'db', placement: [{ cluster: 'cb', versions: { v1: 1 } }] },
    ],
  });
  const [api, dbi] = await t.db.instance.findMany({ orderBy: { name: 'asc' } });
  const tick = await t.db.tick.create({ data: { startedAt: new Date(now - 60_000), finishedAt: new Date(now - 60_000), durationMs: 1, instances: 2, skippedSoFar: 0, leader: 'x' } });
  const row = (instanceId: string, s: number, machine: 'stage' | 'degradation' | 'breaker' | 'weight', from: string, to: string, cause: string, stage = '') => ({ at: new Date(now - s * 1000), tickId: tick.id, instanceId, machine, stage, fromState: from, toState: to, cause });
  await t.db.stateTransition.createMany({
    data: [
      row(api!.id, 50, 'weight', '80', '60', 'CPU 92 % crossed 85 %'),
      row(api!.id, 40, 'stage', 'active', 'blocked', 'output buffer full', 'execution'),
      row(dbi!.id, 30, 'degradation', 'L0', 'L1', 'buffer ≥ 85 %'),
      row(dbi!.id, 20, 'breaker', 'closed', 'open', 'rt 900 ms > 1.5 × 400 ms'),
      row(dbi!.id, 7200, 'weight', '100', '90', 'periodic recompute'),
    ],
  });
  await publishPolicy(t.db, { id: null, name: 'alice' }, { kind: 'watermark', scope: 'global', expectedVersion: 1, document: { ...defaultPolicies.watermark, breakPct: 90 }, message: 'earlier breaks' });
});
afterAll(() => t.close());

describe('timeline', () => {
  it('puts transitions, recomputes and policy changes on one axis, newest first, within the range', async () => {
    const r = await listTimelineEvents(t.db, { from: now - 3600_000, to: now + 60_000 });
    expect(r.events.map((e) => e.kind)).toEqual(['policy', 'breaker', 'degradation', 'stage', 'weight']);
    expect(r.events[0]).toMatchObject({ title: 'Policy watermark · global v2', detail: 'by alice: earlier breaks', actor: 'alice' });
    expect(r.events[3]).toMatchObject({ title: 'Stage execution active → blocked', instance: 'api-ca-v1-1' });
    expect(r.total).toBe(5);
  });

  it('filters by kind and topology; a service filter keeps global policy changes; limit says what was left out', async () => {
    const range = { from: now - 3600_000, to: now + 60_000 };
    expect((await listTimelineEvents(t.db, { ...range, kinds: ['weight'] })).events.map((e) => e.detail)).toEqual(['CPU 92 % crossed 85 %']);
    const svc = await t.db.service.findUniqueOrThrow({ where: { name: 'db' } });
    expect((await listTimelineEvents(t.db, { ...range, serviceId: svc.id })).events.map((e) => e.kind)).toEqual(['policy', 'breaker', 'degradation']);
    const zone = await t.db.zone.findUniqueOrThrow({ where: { name: 'za' } });
    expect((await listTimelineEvents(t.db, { ...range, zoneId: zone.id, kinds: ['stage', 'weight'] })).events).toHaveLength(2);
    const limited = await listTimelineEvents(t.db, { ...range, limit: 2 });
    expect([limited.events.length, limited.total, limited.truncated]).toEqual([2, 5, true]);
    await expect(listTimelineEvents(t.db, { from: now, to: now - 1 })).rejects.toThrow(/end after it starts/);
  });
});

describe('timeline: weight recomputes by trigger', () => {
  // Two days back, out of the other tests' range.
  const day = 86_400_000;
  const range = { from: now - 3 * day, to: now - day };
  beforeAll(async () => {
    const api = await t.db.instance.findFirstOrThrow({ orderBy: { name: 'asc' } });
    const tick = await t.db.tick.create({ data: { startedAt: new Date(now - 2 * day), finishedAt: new Date(now - 2 * day), durationMs: 1, instances: 1, skippedSoFar: 0, leader: 'x' } });
    const row = (s: number, cause: string, trigger: object | undefined) => ({ at: new Date(now - 2 * day - s * 1000), tickId: tick.id, instanceId: api.id, machine: 'weight' as const, fromState: '80', toState: '60', cause, trigger });
    await t.db.stateTransition.createMany({
      data: [
        // The sentence says nothing of a crossing; the stored trigger does.
        row(10, 'P95 over its limit', { kind: 'threshold', input: 'p95', direction: 'up', value: 1300, threshold: 1200 }),
        row(20, 'P95 back under its limit', { kind: 'threshold', input: 'p95', direction: 'down', value: 900, threshold: 1200 }),
        // The sentence says "crossed"; the stored trigger says it was the schedule.
        row(30, 'nothing crossed here', { kind: 'periodic', everyS: 30 }),
        row(40, 'P95 1300 ms still above 1200 ms', { kind: 'threshold', input: 'p95', direction: 'held', value: 1300, threshold: 1200 }),
      ],
    });
  });

  it('finds threshold crossings by the stored trigger, not by the words of the cause', async () => {
    const r = await listTimelineEvents(t.db, { ...range, kinds: ['weight'], weightTriggers: ['threshold-crossed'] });
    expect(r.events.map((e) => e.detail)).toEqual(['P95 over its limit', 'P95 back under its limit']);
    expect(r.events[0]!.trigger).toEqual({ kind: 'threshold', input: 'p95', direction: 'up', value: 1300, threshold: 1200 });
    const periodic = await listTimelineEvents(t.db, { ...range, kinds: ['weight'], weightTriggers: ['periodic', 'threshold-held'] });
    expect(periodic.events.map((e) => e.detail)).toEqual(['nothing crossed here', 'P95 1300 ms still above 1200 ms']);
    expect((await listTimelineEvents(t.db, { ...range, kinds: ['weight'] })).events).toHaveLength(4);
  });
});

describe('timeline: the cap when weight recomputes outnumber it', () => {
  // Five days back, out of the other tests' ranges: 30 recomputes newer than every other event.
  const day = 86_400_000;
  const base = now - 5 * day;
  beforeAll(async () => {
    const [api, dbi] = await t.db.instance.findMany({ orderBy: { name: 'asc' } });
    const tick = await t.db.tick.create({ data: { startedAt: new Date(base), finishedAt: new Date(base), durationMs: 1, instances: 2, skippedSoFar: 0, leader: 'x' } });
    const row = (instanceId: string, s: number, machine: 'degradation' | 'breaker' | 'weight', from: string, to: string) => ({ at: new Date(base - s * 1000), tickId: tick.id, instanceId, machine, stage: '', fromState: from, toState: to, cause: `${machine} ${s}` });
    await t.db.stateTransition.createMany({
      data: [
        ...Array.from({ length: 30 }, (_, k) => row(api!.id, k + 1, 'weight', '80', '60')),
        row(dbi!.id, 100, 'breaker', 'closed', 'open'),
        row(dbi!.id, 110, 'degradation', 'L0', 'L1'),
        row(dbi!.id, 120, 'breaker', 'open', 'half-open'),
      ],
    });
  });

  it('still returns the breaker and degradation events, newest first, within the limit', async () => {
    const r = await listTimelineEvents(t.db, { from: base - 3600_000, to: base + 1000, limit: 10 });
    expect([r.events.length, r.total, r.truncated]).toEqual([10, 33, true]);
    // Per kind, so the strip can say the weight lane was cut to its newest 7 (of 30).
    expect(r.totals).toEqual({ weight: 30, breaker: 2, degradation: 1 });
    expect(r.events.filter((e) => e.kind !== 'weight').map((e) => e.detail)).toEqual(['breaker 100', 'degradation 110', 'breaker 120']);
    expect(r.events.filter((e) => e.kind === 'weight').map((e) => e.detail)).toEqual(['weight 1', 'weight 2', 'weight 3', 'weight 4', 'weight 5', 'weight 6', 'weight 7']);
    expect(r.events.map((e) => e.at)).toEqual([...r.events.map((e) => e.at)].sort((a, b) => b - a));
  });
});

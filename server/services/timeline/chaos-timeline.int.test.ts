import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { makeFleet } from '../../db/factories';
import { EXPERIMENT_TEMPLATES } from '../../domain/experiments/templates';
import { listTimelineEvents } from './timeline';

let t: TestDb;
const now = Date.now();
const range = { from: now - 3600_000, to: now + 60_000 };
let runId: string;
let za: string;
let zb: string;
let target: string;

beforeAll(async () => {
  t = await openTestDb();
  await makeFleet(t.db, {
    regions: [{ name: 'r', zones: [{ name: 'za', clusters: ['ca'] }, { name: 'zb', clusters: ['cb'] }] }],
    services: [{ name: 'edge', placement: [{ cluster: 'ca', versions: { v1: 1 } }, { cluster: 'cb', versions: { v1: 1 } }] }],
  });
  za = (await t.db.zone.findUniqueOrThrow({ where: { name: 'za' } })).id;
  zb = (await t.db.zone.findUniqueOrThrow({ where: { name: 'zb' } })).id;
  const inst = await t.db.instance.findFirstOrThrow({ where: { cluster: { name: 'ca' } }, include: { service: true } });
  target = inst.id;
  const spec = EXPERIMENT_TEMPLATES[0]!.spec;
  const x = await t.db.experiment.create({ data: { name: 'jitter', spec: spec as never, createdByName: 'olga' } });
  const run = await t.db.experimentRun.create({ data: { experimentId: x.id, number: 1, spec: spec as never, experimentVersion: 1, startedByName: 'olga', state: 'aborted', abortReason: 'halted', endedAt: new Date(now - 60_000) } });
  runId = run.id;
  await t.db.experimentRunTarget.create({ data: { runId, instanceId: inst.id, instanceName: inst.name, serviceName: inst.service.name, zone: 'za', cluster: 'ca', state: 'recovered' } });
  const ev = (s: number, kind: string, summary: string, fromState: string | null = null, toState: string | null = null) =>
    ({ at: new Date(now - s * 1000), runId, kind, fromState: fromState as never, toState: toState as never, summary, actorName: 'controller' });
  await t.db.experimentRunEvent.createMany({
    data: [ev(600, 'state', 'started', 'pending', 'injecting'), ev(590, 'injected', 'delay 200 ms on edge-za-1'), ev(299.5, 'halt', 'halt-all engaged by olga'), ev(290, 'removed', 'delay removed (halted)'), ev(7200, 'injected', 'too old')],
  });
});
afterAll(() => t.close());

describe('chaos runs on the timeline', () => {
  it('shows each run event in words, newest first, linked to the run', async () => {
    const r = await listTimelineEvents(t.db, { ...range, kinds: ['experiment'] });
    expect(r.events.map((e) => e.title)).toEqual([
      'Run "jitter #1": fault removed',
      'Run "jitter #1": halted',
      'Run "jitter #1": fault injected',
      'Run "jitter #1": pending → injecting',
    ]);
    expect(r.total).toBe(4);
    expect(r.events.every((e) => e.kind === 'experiment' && e.href === `/experiments/runs/${runId}` && e.actor === 'controller')).toBe(true);
    expect(r.events[1]!.detail).toBe('halt-all engaged by olga');
  });

  it('keeps a run under the topology filter its targets are in; the kinds filter applies', async () => {
    const inZa = await listTimelineEvents(t.db, { ...range, kinds: ['experiment'], zoneId: za });
    expect(inZa.events).toHaveLength(4);
    expect((await listTimelineEvents(t.db, { ...range, kinds: ['experiment'], zoneId: zb })).events).toEqual([]);
    expect((await listTimelineEvents(t.db, { ...range, kinds: ['experiment'], instanceId: target })).events).toHaveLength(4);
    expect((await listTimelineEvents(t.db, { ...range, kinds: ['rollout', 'policy'] })).events.filter((e) => e.kind === 'experiment')).toEqual([]);
  });

  it('links the report and the end of a run that has one straight to its report section; a run without one to the run', async () => {
    const x = await t.db.experiment.findFirstOrThrow({ where: { name: 'jitter' } });
    const spec = EXPERIMENT_TEMPLATES[0]!.spec;
    const done = await t.db.experimentRun.create({ data: { experimentId: x.id, number: 2, spec: spec as never, experimentVersion: 1, startedByName: 'olga', state: 'completed', report: { layers: [] } as never, endedAt: new Date(now - 30_000) } });
    const ev = (s: number, kind: string, fromState: string | null = null, toState: string | null = null) =>
      ({ at: new Date(now - s * 1000), runId: done.id, kind, fromState: fromState as never, toState: toState as never, summary: kind, actorName: 'controller' });
    await t.db.experimentRunEvent.createMany({ data: [ev(50, 'state', 'running', 'recovering'), ev(41, 'report'), ev(40, 'state', 'recovering', 'completed')] });
    const r = await listTimelineEvents(t.db, { ...range, kinds: ['experiment'] });
    const mine = r.events.filter((e) => e.title.startsWith('Run "jitter #2"')).map((e) => [e.title, e.href]);
    expect(mine).toEqual([
      ['Run "jitter #2": recovering → completed', `/experiments/runs/${done.id}#report`],
      ['Run "jitter #2": report ready', `/experiments/runs/${done.id}#report`],
      ['Run "jitter #2": running → recovering', `/experiments/runs/${done.id}`],
    ]);
    // The first run ended without a report: its events open the run itself.
    expect(r.events.filter((e) => e.title.startsWith('Run "jitter #1"')).every((e) => e.href === `/experiments/runs/${runId}`)).toBe(true);
  });
});

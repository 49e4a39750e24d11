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
  await t.db.halt.create({ data: { engagedAt: new Date(now - 300_000), engagedByName: 'olga', reason: 'db failover', faultsClearedAt: new Date(now - 299_200), releasedAt: new Date(now - 100_000), releasedByName: 'paul', releaseReason: 'failover done' } });
  await t.db.freezeWindow.create({ data: { name: 'release weekend', reason: 'v3 launch', kind: 'one_off', startsAt: new Date(now - 7200_000), endsAt: new Date(now + 7200_000), appliesToExperiments: true, appliesToRollouts: false, createdByName: 'paul' } });
  await t.db.freezeWindow.create({ data: { name: 'deleted', reason: 'x', kind: 'one_off', startsAt: new Date(now - 7200_000), endsAt: new Date(now + 7200_000), createdByName: 'paul', deletedAt: new Date() } });
});
afterAll(() => t.close());

describe('chaos and safety on the timeline', () => {
  it('shows run events linked to the run, halts engaged / cleared / released, and freeze windows as spans', async () => {
    const r = await listTimelineEvents(t.db, { ...range, kinds: ['experiment', 'halt', 'freeze'] });
    const titles = r.events.map((e) => `${e.kind}: ${e.title}`);
    expect(titles).toEqual([
      'halt: Halt-all released',
      'experiment: Run "jitter #1": fault removed',
      'halt: Halt-all: every fault removed',
      'experiment: Run "jitter #1": halted',
      'halt: Halt-all engaged',
      'experiment: Run "jitter #1": fault injected',
      'experiment: Run "jitter #1": pending → injecting',
      'freeze: Freeze window "release weekend"',
    ]);
    expect(r.total).toBe(8);
    expect(r.events.filter((e) => e.kind === 'experiment').every((e) => e.href === `/experiments/runs/${runId}`)).toBe(true);
    expect(r.events.find((e) => e.title === 'Halt-all engaged')?.detail).toBe('by olga: db failover');
    expect(r.events.find((e) => e.title === 'Halt-all: every fault removed')?.detail).toBe('800 ms after engaging');
    expect(r.events.find((e) => e.title === 'Halt-all released')?.detail).toBe('by paul: failover done');
    const freeze = r.events.find((e) => e.kind === 'freeze')!;
    expect([freeze.at, freeze.endAt]).toEqual([now - 7200_000, now + 7200_000]);
    expect(freeze.detail).toMatch(/^v3 launch — refuses experiments until /);
  });

  it('keeps a run under the topology filter its targets are in; the kinds filter applies', async () => {
    const inZa = await listTimelineEvents(t.db, { ...range, kinds: ['experiment'], zoneId: za });
    expect(inZa.events).toHaveLength(4);
    expect((await listTimelineEvents(t.db, { ...range, kinds: ['experiment'], zoneId: zb })).events).toEqual([]);
    expect((await listTimelineEvents(t.db, { ...range, kinds: ['experiment', 'halt', 'freeze'], instanceId: target })).events.map((e) => e.kind)).toEqual(['experiment', 'experiment', 'experiment', 'experiment']);
    expect((await listTimelineEvents(t.db, { ...range, kinds: ['rollout', 'policy'] })).events.filter((e) => ['experiment', 'halt', 'freeze'].includes(e.kind))).toEqual([]);
  });
});

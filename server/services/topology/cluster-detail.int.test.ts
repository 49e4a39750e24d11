import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { makeFleet } from '../../db/factories';
import { getClusterDetail } from './cluster-detail';
import { listTimelineEvents } from '../timeline/timeline';

let t: TestDb;
const now = Date.now();
beforeAll(async () => {
  t = await openTestDb();
  await makeFleet(t.db, {
    regions: [{ name: 'r', zones: [{ name: 'za', clusters: ['ca'] }, { name: 'zb', clusters: ['cb'] }] }],
    services: [{ name: 'api', placement: [{ cluster: 'ca', versions: { v1: 1, v2: 1 } }, { cluster: 'cb', versions: { v1: 1 } }] }],
  });
  const tick = await t.db.tick.create({ data: { startedAt: new Date(now), finishedAt: new Date(now), durationMs: 1, instances: 3, skippedSoFar: 0, leader: 'x' } });
  const [a, , c] = await t.db.instance.findMany({ orderBy: { name: 'asc' } });
  await t.db.telemetrySample.create({ data: { instanceId: a!.id, at: new Date(now), tickId: tick.id, targetWeight: 40, effectiveWeight: 42.5, degradation: 2, breaker: 'open', stageFill: [0, 0, 0, 0.99, 0.99], stageState: ['active', 'idle', 'idle', 'blocked', 'blocked'] } });
  await t.db.stateTransition.createMany({
    data: [
      { at: new Date(now - 1000), tickId: tick.id, instanceId: a!.id, machine: 'breaker', fromState: 'closed', toState: 'open', cause: 'rt', values: {} },
      { at: new Date(now - 1000), tickId: tick.id, instanceId: c!.id, machine: 'breaker', fromState: 'closed', toState: 'open', cause: 'rt', values: {} },
    ],
  });
});
afterAll(() => t.close());

describe('cluster page', () => {
  it('lists the cluster’s instances with their newest sample, and none from other clusters', async () => {
    const d = await getClusterDetail(t.db, { name: 'ca' });
    expect([d.name, d.zone.name, d.region.name]).toEqual(['ca', 'za', 'r']);
    expect(d.instances.map((i) => [i.name, i.version, i.effectiveWeight, i.degradation, i.breaker, i.blockedStages])).toEqual([
      ['api-ca-v1-1', 'v1', 42.5, 2, 'open', 2],
      ['api-ca-v2-1', 'v2', null, null, null, null],
    ]);
    await expect(getClusterDetail(t.db, { name: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('filters the timeline to one cluster', async () => {
    const cb = await t.db.cluster.findUniqueOrThrow({ where: { name: 'cb' } });
    const r = await listTimelineEvents(t.db, { from: now - 60_000, to: now + 1000, kinds: ['breaker'], clusterId: cb.id });
    expect(r.events.map((e) => e.instance)).toEqual(['api-cb-v1-1']);
  });
});

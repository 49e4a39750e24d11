import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFleetDb, type FleetDb } from '../../../test/topology-fixtures';
import { makeRunningRun } from '../../../test/fault-fixtures';
import { getFleetHealth } from './fleet-health';

let t: FleetDb;
beforeAll(async () => {
  t = await openFleetDb({
    regions: [{ name: 'eu', zones: [{ name: 'eu-a', clusters: ['eu-a-1'] }] }],
    services: [
      { name: 'api', placement: [{ cluster: 'eu-a-1', versions: { v1: 4 } }] },
      { name: 'db', placement: [{ cluster: 'eu-a-1', versions: { v1: 2 } }] },
    ],
  });
});
afterAll(() => t.close());

describe('getFleetHealth (one aggregate over the newest tick)', () => {
  it('says there is no telemetry before the first tick', async () => {
    expect(await getFleetHealth(t.db)).toMatchObject({ at: null, instances: 6, sampled: 0, unhealthy: 0, rolloutsRunning: 0, experimentsRunning: 0 });
  });

  it("counts the newest tick's unhealthy instances once each, open breakers, blocked stages, running rollouts and runs", async () => {
    const base = Date.UTC(2026, 11, 5, 9, 0, 0);
    // An older tick full of trouble must not count.
    await t.writeTick(new Date(base), [t.sample('api-eu-a-1-v1-1', { breaker: 'open', degradation: 3, up: false })]);
    const at = new Date(base + 1000);
    await t.writeTick(at, [
      // Degraded and behind an open breaker: one unhealthy instance, one open breaker.
      t.sample('api-eu-a-1-v1-1', { degradation: 2, breaker: 'open', stageState: ['active', 'blocked', 'blocked', 'idle', 'idle'] }),
      t.sample('api-eu-a-1-v1-2', { breaker: 'half-open' }),
      t.sample('api-eu-a-1-v1-3', { stageState: ['blocked', 'idle', 'idle', 'idle', 'idle'] }),
      t.sample('api-eu-a-1-v1-4', { up: false }),
      t.sample('db-eu-a-1-v1-1', { degradation: 1 }),
      // db-eu-a-1-v1-2 has no sample in this tick: not counted as unhealthy, counted as unsampled.
    ]);
    const api = t.services.get('api')!;
    await t.db.rollout.create({ data: { serviceId: api, name: 'api v2', stableVersion: 'v1', canaryVersion: 'v2', spec: {}, createdByName: 'o', state: 'paused', pauseReason: 'step_pause' } });
    await t.db.rollout.create({ data: { serviceId: api, name: 'api v3', stableVersion: 'v1', canaryVersion: 'v3', spec: {}, createdByName: 'o', state: 'succeeded' } });
    await makeRunningRun(t.db);

    expect(await getFleetHealth(t.db)).toEqual({
      at: at.toISOString(),
      instances: 6,
      sampled: 5,
      unhealthy: 3,
      down: 1,
      degraded: 2,
      openBreakers: 1,
      halfOpenBreakers: 1,
      blockedStages: 3,
      blockedInstances: 2,
      rolloutsRunning: 1,
      experimentsRunning: 1,
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFleetDb, type FleetDb } from '../../../test/topology-fixtures';
import { makeInjection, makeRunningRun } from '../../../test/fault-fixtures';
import { bucketsAt } from '../../../test/experiment-fixtures';
import { seedDemoCalls } from '../../../prisma/demo-calls';
import { getServiceGraph } from './service-graph';

let t: FleetDb;
let ids: Map<string, string>;
let svc: Map<string, string>;
beforeAll(async () => {
  t = await openFleetDb({
    regions: [{ name: 'eu', zones: [{ name: 'eu-a', clusters: ['eu-a-1'] }] }],
    services: [
      { name: 'edge-gateway', labels: { layer: 'access' }, placement: [{ cluster: 'eu-a-1', versions: { v1: 2 } }] },
      { name: 'order-api', labels: { layer: 'service' }, placement: [{ cluster: 'eu-a-1', versions: { v1: 2, v2: 1 } }] },
      { name: 'payment-svc', labels: { layer: 'data' }, placement: [{ cluster: 'eu-a-1', versions: { v1: 1 } }] },
      { name: 'inventory-svc', labels: { layer: 'data' }, placement: [{ cluster: 'eu-a-1', versions: { v1: 1 } }] },
    ],
  });
  ids = t.ids;
  svc = t.services;
});
afterAll(() => t.close());

const sample = (name: string, o: Parameters<FleetDb['sample']>[1] = {}) => t.sample(name, o);
const writeTick = (...a: Parameters<FleetDb['writeTick']>) => t.writeTick(...a);

describe('getServiceGraph', () => {
  it('draws the services without telemetry and the declared calls before the first tick', async () => {
    expect(await seedDemoCalls(t.db)).toBe(3);
    // Seeding twice declares nothing new.
    expect(await seedDemoCalls(t.db)).toBe(0);
    const g = await getServiceGraph(t.db);
    expect(g.tickId).toBeNull();
    expect(g.nodes.map((n) => [n.name, n.instances, n.hasTelemetry, n.depth, n.layer])).toEqual([
      ['edge-gateway', 2, false, 0, 'access'],
      ['inventory-svc', 1, false, 2, 'data'],
      ['order-api', 3, false, 1, 'service'],
      ['payment-svc', 1, false, 2, 'data'],
    ]);
    const name = (id: string) => g.nodes.find((n) => n.id === id)!.name;
    expect(g.edges.map((e) => `${name(e.source)} → ${name(e.target)}`).sort()).toEqual([
      'edge-gateway → order-api',
      'order-api → inventory-svc',
      'order-api → payment-svc',
    ]);
  });

  it('refuses a self-call in the database', async () => {
    const id = svc.get('order-api')!;
    await expect(t.db.serviceCall.create({ data: { callerId: id, calleeId: id } })).rejects.toThrow();
  });

  it("aggregates the latest tick's samples per service with versions, rollouts and faults", async () => {
    const base = Date.UTC(2026, 11, 2, 7, 0, 0);
    const order = svc.get('order-api')!;
    await writeTick(new Date(base), [sample('order-api-eu-a-1-v1-1', { rps: 999, breaker: 'open' })]);
    await writeTick(
      new Date(base + 1000),
      [
        sample('edge-gateway-eu-a-1-v1-1', { rps: 100 }),
        sample('edge-gateway-eu-a-1-v1-2', { rps: 100 }),
        sample('order-api-eu-a-1-v1-1', { rps: 90, errorRate: 0.1, degradation: 2, breaker: 'open' }),
        sample('order-api-eu-a-1-v1-2', { rps: 90, stageFill: [0.1, 0.9, 0.1, 0.1, 0.1], breaker: 'half-open', degradation: 1 }),
        sample('order-api-eu-a-1-v2-1', { rps: 20, up: false }),
        sample('payment-svc-eu-a-1-v1-1', { rps: 40, p95Ms: 300 }),
      ],
      [
        { serviceId: order, appVersion: 'v1', zone: 'eu-a', instances: 2, requests: 180, errors: 9, buckets: bucketsAt(40, 180) },
        { serviceId: order, appVersion: 'v2', zone: 'eu-a', instances: 1, requests: 20, errors: 0, buckets: bucketsAt(40, 20) },
      ],
    );
    await t.db.rollout.create({
      data: { serviceId: order, name: 'order v2', stableVersion: 'v1', canaryVersion: 'v2', spec: {}, createdByName: 'olga', state: 'progressing', desiredRouting: { versionWeights: { v1: 90, v2: 10 } } },
    });
    const { runId } = await makeRunningRun(t.db);
    await makeInjection(t.db, { runId, instanceId: ids.get('payment-svc-eu-a-1-v1-1')!, spec: { kind: 'delay', delayMs: 200, jitterMs: 0 }, adapterKind: 'sim', leaseMs: 60_000 });

    const g = await getServiceGraph(t.db);
    expect(g.at).toBe(new Date(base + 1000).toISOString());
    const by = new Map(g.nodes.map((n) => [n.name, n]));
    const api = by.get('order-api')!;
    expect(api).toMatchObject({
      instances: 3,
      up: 2,
      hasTelemetry: true,
      rps: 180,
      errorPercent: 5,
      maxDegradation: 2,
      degraded: 2,
      severelyDegraded: 1,
      // Each instance once: v1-1 degraded behind an open breaker, v1-2 at L1, v2-1 down.
      unhealthy: 3,
      openBreakers: 1,
      halfOpenBreakers: 1,
      backpressured: 1,
      health: 'bad',
    });
    expect(api.versions.map((v) => [v.version, v.share])).toEqual([
      ['v1', 0.9],
      ['v2', 0.1],
    ]);
    expect(api.rollout).toMatchObject({ name: 'order v2', canaryVersion: 'v2', canaryShare: 0.1 });
    expect(api.reasons).toContain('1 of 3 breakers open');

    // No histogram for payment-svc: its P95 is the rps-weighted mean of its instances'.
    const pay = by.get('payment-svc')!;
    expect(pay).toMatchObject({ rps: 40, p95Ms: 300, health: 'warn', faults: { instances: 1, kinds: ['delay'] } });
    // inventory-svc has no sample in the latest tick.
    expect(by.get('inventory-svc')).toMatchObject({ hasTelemetry: false, rps: 0 });

    const edge = g.edges.find((e) => e.source === svc.get('edge-gateway') && e.target === order)!;
    expect(edge).toMatchObject({ rps: 180, errorPercent: 5, canaryShare: 0.1, canaryVersion: 'v2', apportioned: false });
    expect(edge.versions.map((v) => v.version)).toEqual(['v1', 'v2']);
  });
});

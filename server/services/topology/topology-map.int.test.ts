import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFleetDb, type FleetDb } from '../../../test/topology-fixtures';
import { assembleTopology, getTopologyMap, latestTickId, topologyMapSql, type TopologyMapRow } from './topology-map';

let t: FleetDb;
let ids: Map<string, string>;
beforeAll(async () => {
  t = await openFleetDb({
    regions: [
      { name: 'eu-west', zones: [{ name: 'euw-a', clusters: ['euw-a-1', 'euw-a-2'] }] },
      { name: 'us-east', zones: [{ name: 'use-a', clusters: ['use-a-1'] }] },
    ],
    services: [
      { name: 'api', placement: [{ cluster: 'euw-a-1', versions: { v1: 2, v2: 1 } }, { cluster: 'use-a-1', versions: { v1: 1 } }] },
    ],
  });
  ids = t.ids;
});
afterAll(() => t.close());

const sample = (name: string, weight: number, degradation = 0, breaker = 'closed', up = true) => t.sample(name, { targetWeight: weight + 1, effectiveWeight: weight, degradation, breaker, up });
const writeTick = (at: Date, rows: Parameters<FleetDb['writeTick']>[1]) => t.writeTick(at, rows);

describe('getTopologyMap', () => {
  it('returns the hierarchy with null telemetry before the first tick', async () => {
    const map = await getTopologyMap(t.db);
    expect(map.tickId).toBeNull();
    expect(map.at).toBeNull();
    expect(await latestTickId(t.db)).toBeNull();
    expect(map.regions.map((r) => r.name)).toEqual(['eu-west', 'us-east']);
    const euw = map.regions[0]!.zones[0]!;
    expect(euw.clusters.map((c) => c.name)).toEqual(['euw-a-1', 'euw-a-2']);
    // An empty cluster is still shown.
    expect(euw.clusters[1]!.instances).toEqual([]);
    const first = euw.clusters[0]!.instances[0]!;
    expect(first).toMatchObject({ name: 'api-euw-a-1-v1-1', service: 'api', appVersion: 'v1', adminState: 'ready', effectiveWeight: null, breaker: null, up: null });
    expect(euw.clusters[0]!.agg).toEqual({ count: 3, avgWeight: null, minWeight: null, maxDegradation: null, openBreakers: 0, down: 0 });
  });

  it("joins only the latest tick's samples and aggregates them per cluster", async () => {
    const base = Date.UTC(2026, 10, 22, 10, 0, 0);
    const old = await writeTick(new Date(base), [sample('api-euw-a-1-v1-1', 5), sample('api-euw-a-1-v1-2', 5), sample('api-use-a-1-v1-1', 5)]);
    // The latest tick has no sample for api-use-a-1-v1-1 (e.g. it was unreachable to the loop).
    const latest = await writeTick(new Date(base + 1000), [
      sample('api-euw-a-1-v1-1', 90),
      sample('api-euw-a-1-v1-2', 40, 2, 'open'),
      sample('api-euw-a-1-v2-1', 50, 1, 'half-open', false),
    ]);
    const map = await getTopologyMap(t.db);
    expect(map.tickId).toBe(String(latest));
    expect(map.at).toBe(new Date(base + 1000).toISOString());
    const c1 = map.regions[0]!.zones[0]!.clusters[0]!;
    expect(c1.instances.map((i) => [i.name, i.effectiveWeight, i.targetWeight, i.degradation, i.breaker, i.up])).toEqual([
      ['api-euw-a-1-v1-1', 90, 91, 0, 'closed', true],
      ['api-euw-a-1-v1-2', 40, 41, 2, 'open', true],
      ['api-euw-a-1-v2-1', 50, 51, 1, 'half-open', false],
    ]);
    expect(c1.agg).toEqual({ count: 3, avgWeight: 60, minWeight: 40, maxDegradation: 2, openBreakers: 1, down: 1 });
    const use = map.regions[1]!.zones[0]!.clusters[0]!;
    expect(use.instances[0]!.effectiveWeight).toBeNull();
    expect(use.agg.avgWeight).toBeNull();

    // An explicit tick id reads that tick.
    const then = await getTopologyMap(t.db, old);
    expect(then.tickId).toBe(String(old));
    expect(then.regions[1]!.zones[0]!.clusters[0]!.instances[0]!.effectiveWeight).toBe(5);
    expect(await latestTickId(t.db)).toBe(String(latest));
  });

  it('carries backpressured stages, the fault an experiment has injected right now, and labels', async () => {
    const base = Date.UTC(2026, 10, 22, 11, 0, 0);
    const blocked = { ...sample('api-euw-a-1-v1-1', 30), stageState: ['active', 'blocked', 'blocked', 'idle', 'idle'] };
    await writeTick(new Date(base), [blocked, sample('api-euw-a-1-v1-2', 60)]);
    await t.db.instance.update({ where: { id: ids.get('api-euw-a-1-v1-2')! }, data: { labels: { team: 'payments', tier: 1 } } });
    const spec = { fault: { kind: 'delay', delayMs: 200, jitterMs: 0 } };
    const x = await t.db.experiment.create({ data: { name: 'latency', spec: spec as never, createdByName: 'olga' } });
    const target = async (number: number, state: 'running' | 'completed', instance: string, targetState: 'injected' | 'recovered') => {
      const run = await t.db.experimentRun.create({ data: { experimentId: x.id, number, spec: spec as never, experimentVersion: 1, startedByName: 'olga', state, endedAt: state === 'completed' ? new Date(base) : null } });
      await t.db.experimentRunTarget.create({ data: { runId: run.id, instanceId: ids.get(instance)!, instanceName: instance, serviceName: 'api', zone: 'euw-a', cluster: 'euw-a-1', state: targetState } });
    };
    await target(1, 'running', 'api-euw-a-1-v1-2', 'injected');
    // A finished run, or a target already recovered, is no fault in place.
    await target(2, 'completed', 'api-euw-a-1-v1-1', 'injected');
    await target(3, 'running', 'api-euw-a-1-v2-1', 'recovered');

    const c1 = (await getTopologyMap(t.db)).regions[0]!.zones[0]!.clusters[0]!;
    const byName = new Map(c1.instances.map((i) => [i.name, i]));
    expect(byName.get('api-euw-a-1-v1-1')).toMatchObject({ blockedStages: 2, fault: null });
    // Labels that repeat the place (makeFleet labels zone and region) are left out.
    expect((await t.db.instance.findUnique({ where: { name: 'api-euw-a-1-v1-1' } }))!.labels).toMatchObject({ zone: 'euw-a' });
    expect(byName.get('api-euw-a-1-v1-1')!.labels).toBeUndefined();
    // Only string labels: search matches `key=value` text.
    expect(byName.get('api-euw-a-1-v1-2')).toMatchObject({ blockedStages: 0, fault: { kind: 'delay', run: 'latency #1' }, labels: { team: 'payments' } });
    // No sample in this tick: nothing known about its stages.
    expect(byName.get('api-euw-a-1-v2-1')).toMatchObject({ blockedStages: null, fault: null });
  });

  it('gives exactly the map the former one statement through Prisma $queryRaw gave', async () => {
    // Fractional weights, an open breaker, a down instance, a fault and labels are all in place
    // by now (the tests above); the former path is the same statement through $queryRaw.
    const base = Date.UTC(2026, 10, 22, 12, 0, 0);
    const older = await writeTick(new Date(base), [sample('api-euw-a-1-v1-1', 12.5)]);
    await writeTick(new Date(base + 1000), [sample('api-euw-a-1-v1-1', 33.25, 3, 'open', false), sample('api-euw-a-1-v1-2', 0.1), sample('api-use-a-1-v1-1', 99.9)]);
    for (const tick of [null, String(older), '999999']) {
      const viaPrisma = assembleTopology(await t.db.$queryRaw<TopologyMapRow[]>(topologyMapSql(tick)));
      const map = await getTopologyMap(t.db, tick);
      expect(map).toStrictEqual(viaPrisma);
      expect(map.regions.flatMap((r) => r.zones.flatMap((z) => z.clusters.flatMap((c) => c.instances))).some((i) => i.fault && i.labels)).toBe(true);
      expect(map.regions[0]!.zones[0]!.clusters[1]!.instances).toEqual([]);
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTrackedEnvelope } from '@trpc/server';
import { openTestDb, signedInContextFor, type TestDb } from '../../../test/context';
import type { Context } from '../trpc';
import { reloadEnv } from '../../env';
import { createCaller } from '../root';
import { makeFleet, makeUser } from '../../db/factories';
import { makeTick } from '../../db/telemetry-factories';
import { liveBus } from '../../live/bus';
import { applyFeedMessage, type TopologyFeedMessage } from '../../live/topology-delta';
import { getTopologyMap, type TopologyMap } from '../../services/topology/topology-map';
import { topologyFeed } from './topology-map';

// The topology feed over a real database and the real tick bus: a subscriber that resumes from
// a tick this process no longer has gets one snapshot, then per tick a delta that, applied onto
// what it holds, gives exactly the map the database has for that tick.
let t: TestDb;
let ctx: Context;
let instances: string[];
let clusterId: string;
let serviceId: string;
const controllers: AbortController[] = [];

beforeAll(async () => {
  t = await openTestDb();
  process.env.DATABASE_URL = t.url;
  reloadEnv();
  const { services, clusters } = await makeFleet(t.db, {
    regions: [{ name: 'r-feed', zones: [{ name: 'z-feed', clusters: ['c-feed-1', 'c-feed-2'] }] }],
    services: [{ name: 'svc-feed', placement: [{ cluster: 'c-feed-1', versions: { v1: 3 } }, { cluster: 'c-feed-2', versions: { v1: 2 } }] }],
  });
  serviceId = services[0]!.id;
  clusterId = clusters.get('c-feed-2')!.id;
  instances = (await t.db.instance.findMany({ orderBy: { name: 'asc' } })).map((i) => i.id);
  const { user } = await makeUser(t.db, { role: 'viewer' });
  ctx = await signedInContextFor(t.db, { id: user.id, name: user.name, role: 'viewer' });
});
afterAll(async () => {
  for (const c of controllers) c.abort();
  await liveBus(t.url).stop();
  await t.close();
});

let clock = Date.now() - 3600_000;
/** A committed tick with a weight per instance, announced on the tick channel. */
async function tick(weight: (i: number) => number): Promise<string> {
  clock += 1000;
  const ids = await t.db.instance.findMany({ orderBy: { name: 'asc' }, select: { id: true } });
  const id = await makeTick(t.db, { at: new Date(clock), samples: ids.map((x, i) => ({ instanceId: x.id, effectiveWeight: weight(i), targetWeight: weight(i) })) });
  await t.db.$executeRaw`SELECT pg_notify('switchback_tick', ${id.toString()})`;
  return id.toString();
}

type Message = TopologyFeedMessage<TopologyMap>;
function subscribe(lastEventId: string) {
  const ac = new AbortController();
  controllers.push(ac);
  const got: Array<[string, Message]> = [];
  void (async () => {
    for await (const e of await createCaller(ctx, { signal: ac.signal }).topologyMap.live({ lastEventId })) {
      expect(isTrackedEnvelope(e)).toBe(true);
      got.push(e as unknown as [string, Message]);
    }
  })().catch(() => undefined);
  return got;
}

const listening = async (before: number) => {
  await expect.poll(() => liveBus(t.url).subscriberCount, { timeout: 15_000, interval: 10 }).toBeGreaterThan(before);
  await liveBus(t.url).ensureConnected();
};

describe('topologyMap.live', () => {
  it('resuming with an old lastEventId: a snapshot of the latest tick, then deltas that apply cleanly (instances added and removed); each delta computed once for all subscribers', async () => {
    const old = await tick((i) => 10 + i);
    for (let k = 0; k < 6; k++) await tick((i) => 20 + k + i);
    const latest = await tick((i) => 50 + i);

    const before = liveBus(t.url).subscriberCount;
    const a = subscribe(old);
    const b = subscribe(old);
    await listening(before + 1);
    await expect.poll(() => a.length + b.length, { timeout: 15_000 }).toBe(2);
    const [id0, first] = a[0]!;
    expect(id0).toBe(latest);
    expect(first).toMatchObject({ kind: 'snapshot', tickId: latest });
    let held = (first as Extract<Message, { kind: 'snapshot' }>).map;
    expect(held).toEqual(await getTopologyMap(t.db, latest));

    const deltasBefore = topologyFeed(t.db).computed.deltas;
    // One instance's weight changes; then an instance is added; then one is removed. Each step
    // waits for its delta: a map is read when its tick is announced, and the hierarchy it joins
    // is the one of that moment.
    const steps: Array<() => Promise<unknown>> = [
      () => Promise.resolve(),
      () => t.db.instance.create({ data: { name: 'svc-feed-added', serviceId, clusterId, appVersion: 'v2', address: '127.0.0.1:1' } }),
      () => t.db.instance.delete({ where: { id: instances[0]! } }),
    ];
    for (const [k, change] of steps.entries()) {
      await change();
      const tickId = await tick((i) => (k === 0 ? (i === 2 ? 99 : 50 + i) : 60 + 10 * k + i));
      await expect.poll(() => Math.min(a.length, b.length), { timeout: 15_000 }).toBe(k + 2);
      const [id, message] = a[k + 1]!;
      expect(id).toBe(tickId);
      expect(message).toMatchObject({ kind: 'delta', tickId, baseTickId: held.tickId });
      const next = applyFeedMessage(held, message);
      expect(next).not.toBe('resync');
      held = next as TopologyMap;
      expect(held).toEqual(await getTopologyMap(t.db, tickId));
      // The other subscriber got the very same patch object: made once, not per subscriber.
      const other = b[k + 1]![1];
      expect(other.kind === 'delta' && message.kind === 'delta' && other.patch === message.patch && message.patch !== null).toBe(true);
      // The message itself is one object too, so the transformer serialises it once (shared-message.ts).
      expect(other).toBe(message);
    }
    expect(held.regions[0]!.zones[0]!.clusters[1]!.instances.map((i) => i.name)).toContain('svc-feed-added');
    expect(topologyFeed(t.db).computed.deltas - deltasBefore).toBe(3);
    // The first delta (one weight, two aggregates) carries what changed, far less than the map.
    expect(JSON.stringify(a[1]![1]).length).toBeLessThan(JSON.stringify(held).length / 2);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerAs, openTestDb, type TestDb } from '../../../test/context';
import { makeFleet } from '../../db/factories';
import { makeTick } from '../../db/telemetry-factories';
import { TopologyFeed } from '../../live/topology-feed';
import { getTopologyMap, type TopologyMap } from '../../services/topology/topology-map';
import { topologyFeed } from './topology-map';

// topologyMap.snapshot over a real database: tabs that open the placement page at once share one
// read of the tick (the feed reads one map at a time), each still checked for its own session; a
// tick committed after a read is in the next answer; a failed read reaches everyone waiting on it.
let t: TestDb;
let clock = Date.now() - 3600_000;

beforeAll(async () => {
  t = await openTestDb();
  await makeFleet(t.db, {
    regions: [{ name: 'r-snap', zones: [{ name: 'z-snap', clusters: ['c-snap-1', 'c-snap-2'] }] }],
    services: [{ name: 'svc-snap', placement: [{ cluster: 'c-snap-1', versions: { v1: 4 } }, { cluster: 'c-snap-2', versions: { v1: 3 } }] }],
  });
});
afterAll(async () => {
  await t.close();
});

/** A committed tick with each instance's weight from `weight(i)` (instances by name). */
async function tick(weight: (i: number) => number): Promise<string> {
  clock += 1000;
  const ids = await t.db.instance.findMany({ orderBy: { name: 'asc' }, select: { id: true } });
  return (await makeTick(t.db, { at: new Date(clock), samples: ids.map((x, i) => ({ instanceId: x.id, effectiveWeight: weight(i), targetWeight: weight(i) })) })).toString();
}

const weights = (m: TopologyMap) => m.regions.flatMap((r) => r.zones.flatMap((z) => z.clusters.flatMap((c) => c.instances.map((i) => [i.name, i.effectiveWeight]))));

describe('topologyMap.snapshot', () => {
  it('N tabs at once: one read of the tick serves all, each gets that tick, an anonymous call among them is refused', async () => {
    const latest = await tick((i) => 10 + i);
    const { caller } = await callerAs(t.db, 'viewer');
    const { caller: anonymous } = await callerAs(t.db, null);
    const before = topologyFeed(t.db).computed.maps;
    const [refused, ...maps] = await Promise.allSettled([anonymous.topologyMap.snapshot(), ...Array.from({ length: 8 }, () => caller.topologyMap.snapshot())]);
    expect(refused).toMatchObject({ status: 'rejected', reason: { code: 'UNAUTHORIZED' } });
    expect(topologyFeed(t.db).computed.maps - before).toBe(1);
    const values = maps.map((m) => (m.status === 'fulfilled' ? m.value : null));
    expect(new Set(values.map((m) => m?.tickId))).toEqual(new Set([latest]));
    // One object: serialised once for every tab (shared-message.ts).
    expect(new Set(values).size).toBe(1);
    expect(values[0]).toEqual(await getTopologyMap(t.db, latest));
  });

  it('a tick committed after a read is what the next call gets', async () => {
    const { caller } = await callerAs(t.db, 'viewer');
    const first = await caller.topologyMap.snapshot();
    const next = await tick((i) => 70 - i);
    const second = await caller.topologyMap.snapshot();
    expect(second.tickId).toBe(next);
    expect(second.tickId).not.toBe(first.tickId);
    expect(weights(second)).toEqual(weights(await getTopologyMap(t.db, next)));
    expect(weights(second)).not.toEqual(weights(first));
  });
});

describe('TopologyFeed over PostgreSQL', () => {
  it('a read PostgreSQL fails reaches every caller waiting on it; the next call reads again and succeeds', async () => {
    const latest = await tick((i) => 30 + i);
    let failNext = true;
    let reads = 0;
    const feed = new TopologyFeed<TopologyMap>((tickId) => {
      reads++;
      // Not a bigint: PostgreSQL refuses the cast (a real error from the server, not a mock).
      const asked = failNext ? `${tickId}x` : tickId;
      failNext = false;
      return getTopologyMap(t.db, asked);
    });
    const callers = await Promise.allSettled(Array.from({ length: 5 }, () => feed.map(latest)));
    expect(reads).toBe(1);
    for (const c of callers) {
      expect(c.status).toBe('rejected');
      expect(String((c as PromiseRejectedResult).reason)).toContain('bigint');
    }
    const retried = await feed.map(latest);
    expect(reads).toBe(2);
    expect(retried).toEqual(await getTopologyMap(t.db, latest));
  });

  it('calls across ticks while a read runs: the tick just after joins it, newer ones share one read of the newest tick', async () => {
    const t1 = await tick((i) => 40 + i);
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const reads: string[] = [];
    const feed = new TopologyFeed<TopologyMap>(async (tickId) => {
      reads.push(tickId);
      if (reads.length === 1) await gate;
      return getTopologyMap(t.db, tickId);
    });
    const first = feed.map(t1);
    const t2 = await tick((i) => 50 + i);
    const joined = feed.map(t2, { orPrevious: true });
    const t3 = await tick((i) => 60 + i);
    const t4 = await tick((i) => 70 + i);
    const later = [feed.map(t3, { orPrevious: true }), feed.map(t4, { orPrevious: true }), feed.map(t3)];
    expect(reads).toEqual([t1]);
    open();
    expect((await first).tickId).toBe(t1);
    expect(await joined).toBe(await first);
    const maps = await Promise.all(later);
    expect(reads).toEqual([t1, t4]);
    for (const m of maps) expect(m).toEqual(await getTopologyMap(t.db, t4));
  });
});

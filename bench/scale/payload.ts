// Bytes per tick on the topology feed: the whole snapshot (what the feed sent before issue 14)
// against the delta it sends now, over real simulator ticks of a fleet of about `instances`
// instances; and the time to make a delta (once per process per tick) and to apply it (per browser).
// Bytes are those of the SSE data line: the message as the tRPC transformer serializes it.
import superjson from 'superjson';
import type { Figures } from '../scale.bench';
import { percentile } from '../lib';
import { safeSuperjson } from '../../server/api/transformer';
import { TopologyFeed } from '../../server/live/topology-feed';
import { applyFeedMessage } from '../../server/live/topology-delta';
import { getTopologyMap, type TopologyMap } from '../../server/services/topology/topology-map';
import { liveFleet, until } from './lib/live-fleet';

const TICKS = Number(process.env.SCALE_PAYLOAD_TICKS ?? 8);
/** Topology subscribers of one web process (the streams part opens 125). */
const SUBSCRIBERS = Number(process.env.SCALE_PAYLOAD_SUBSCRIBERS ?? 125);

/**
 * ms to write one message to every subscriber as tRPC does (transformer, then JSON.stringify per
 * subscriber): `shared` through the API's transformer, which serialises a feed message once;
 * `each` with superjson per subscriber, as before shared-message.ts.
 */
function writeMs(message: object): { shared: number; each: number } {
  const t0 = performance.now();
  superjson.serialize(message); // the one walk (already made for `bytes` above, so counted here)
  for (let i = 0; i < SUBSCRIBERS; i++) JSON.stringify(safeSuperjson.output.serialize(message));
  const t1 = performance.now();
  for (let i = 0; i < SUBSCRIBERS; i++) JSON.stringify(superjson.serialize(message));
  return { shared: t1 - t0, each: performance.now() - t1 };
}
const bytes = (x: unknown) => Buffer.byteLength(JSON.stringify(safeSuperjson.output.serialize(x)));

export async function measure(instances: number): Promise<Figures> {
  const fleet = await liveFleet(instances, 1000);
  try {
    const feed = new TopologyFeed<TopologyMap>((tickId) => getTopologyMap(fleet.db, tickId));
    // The map of each tick is read as the web process reads it: when the tick is announced.
    await until(() => fleet.ticks.length >= 2, 180_000, 'the first ticks');
    let held: TopologyMap | null = null;
    let seen = fleet.ticks.length - 1;
    const snapshot: number[] = [];
    const delta: number[] = [];
    const diffMs: number[] = [];
    const applyMs: number[] = [];
    const sharedMs: number[] = [];
    const eachMs: number[] = [];
    let changedInstances = 0;
    while (snapshot.length < TICKS) {
      await until(() => fleet.ticks.length > seen, 60_000, 'the next tick');
      const tickId = fleet.ticks[fleet.ticks.length - 1]!;
      seen = fleet.ticks.length;
      const map = await feed.map(tickId);
      if (!held) {
        held = map;
        continue;
      }
      const t0 = performance.now();
      const message = await feed.message(held.tickId, tickId);
      diffMs.push(performance.now() - t0);
      if (message.kind !== 'delta') throw new Error('expected a delta from the tick before');
      snapshot.push(bytes({ kind: 'snapshot', tickId, map }));
      delta.push(bytes(message));
      const w = writeMs(message);
      sharedMs.push(w.shared);
      eachMs.push(w.each);
      const t1 = performance.now();
      const next: TopologyMap | 'resync' = applyFeedMessage(held, message);
      applyMs.push(performance.now() - t1);
      if (next === 'resync') throw new Error('a delta did not apply');
      changedInstances += (JSON.stringify(message.patch).match(/"effectiveWeight"/g) ?? []).length;
      held = next;
    }
    const instancesInMap = held!.regions.reduce((n, r) => n + r.zones.reduce((m, z) => m + z.clusters.reduce((k, c) => k + c.instances.length, 0), 0), 0);
    const p50 = (v: number[]) => percentile(v, 50);
    return {
      instances: instancesInMap,
      ticks: snapshot.length,
      snapshotBytesPerTick: p50(snapshot),
      deltaBytesPerTick: { p50: p50(delta), max: Math.max(...delta) },
      ratioSnapshotToDelta: Math.round((p50(snapshot) / p50(delta)) * 10) / 10,
      instancesWithNewWeightPerTick: Math.round(changedInstances / snapshot.length),
      diffMsPerTick: p50(diffMs),
      applyMsPerTick: p50(applyMs),
      // The delta written to SUBSCRIBERS subscribers per tick: serialised once (now) vs per subscriber (before).
      subscribers: SUBSCRIBERS,
      writeDeltaMsPerTick: { serialisedOnce: p50(sharedMs), perSubscriber: p50(eachMs), ratio: Math.round((p50(eachMs) / p50(sharedMs)) * 10) / 10 },
    };
  } finally {
    await fleet.stop();
  }
}

import { tracked } from '@trpc/server';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { databaseUrl } from '../../env';
import { liveBus } from '../../live/bus';
import { tickStream } from '../../live/stream';
import { TopologyFeed } from '../../live/topology-feed';
import { shareMessage } from '../../live/shared-message';
import { getTopologyMap, latestTickId, type TopologyMap } from '../../services/topology/topology-map';
import { router, viewerProcedure } from '../trpc';
import { numericId } from '../../domain/inputs';
import { whileSignedIn } from '../live-session';

// One feed per database client (one per web process, one per test database): every subscriber of
// the process shares its tick maps and deltas, computed once. A map is a shared message too: every
// snapshot request of that tick is sent the one serialised form (superjson walked the ~2.6 MB map
// of 10,000 instances per request).
const feeds = new WeakMap<Db, TopologyFeed<TopologyMap>>();
export function topologyFeed(db: Db): TopologyFeed<TopologyMap> {
  let feed = feeds.get(db);
  if (!feed) {
    feed = new TopologyFeed(async (tickId) => shareMessage(await getTopologyMap(db, tickId)));
    feeds.set(db, feed);
  }
  return feed;
}

export const topologyMapRouter = router({
  /**
   * The latest tick's map. Read through the feed's cache, so the map a browser starts from is the
   * very map the feed's first delta is made against; a read of the tick before that is running
   * now serves it too (never more than one tick old), so tabs opened at once cost one read.
   */
  snapshot: viewerProcedure.query(async ({ ctx }) => {
    const latest = await latestTickId(ctx.db);
    return latest === null ? getTopologyMap(ctx.db) : topologyFeed(ctx.db).map(latest, { orPrevious: true });
  }),

  /**
   * Per committed tick, what changed since the tick the client holds: `{kind:'delta', baseTickId,
   * tickId, patch}`, or `{kind:'snapshot', tickId, map}` when this process no longer has (or never
   * had) the client's tick. The tracked id is the tick id, so a reconnect names the tick the client
   * holds; a client far behind gets one snapshot of the latest tick, not a replay of every tick.
   */
  live: viewerProcedure
    .input(z.object({ lastEventId: numericId().nullish() }).optional())
    .subscription(async function* ({ ctx, input, signal }) {
      yield* whileSignedIn(ctx, signal, async function* (s) {
        const feed = topologyFeed(ctx.db);
        const bus = liveBus(databaseUrl());
        await bus.ensureConnected();
        // The bus knows the newest tick without a query (500 streams opening at once asked the
        // database 500 times); only while it is not connected is the database asked.
        const known = bus.latestTick;
        const latest = known !== null && known > 0n ? String(known) : await latestTickId(ctx.db);
        let held = input?.lastEventId ?? null;
        if (latest !== null && (held === null || BigInt(latest) > BigInt(held))) {
          const message = await feed.message(held, latest);
          yield tracked(message.tickId, message);
          held = message.tickId;
        }
        for await (const tickId of tickStream(bus, latest ?? held, s)) {
          // Straight to the newest tick heard of: a subscriber that waited for a slow read (seconds
          // at 10,000 instances) skips the ticks queued meanwhile; the delta from the tick it holds
          // covers them.
          const newest = bus.latestTick;
          const id = String(newest !== null && newest > tickId ? newest : tickId);
          // A snapshot (sent when this subscriber's tick was no longer kept) may be of a newer tick.
          if (held !== null && BigInt(id) <= BigInt(held)) continue;
          const message = await feed.message(held, id);
          yield tracked(message.tickId, message);
          held = message.tickId;
        }
      });
    }),
});

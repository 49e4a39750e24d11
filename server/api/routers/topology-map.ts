import { tracked } from '@trpc/server';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { databaseUrl } from '../../env';
import { liveBus } from '../../live/bus';
import { tickStream } from '../../live/stream';
import { getTopologyMap, latestTickId, type TopologyMap } from '../../services/topology/topology-map';
import { router, viewerProcedure } from '../trpc';
import { numericId } from '../../domain/inputs';
import { whileSignedIn } from '../live-session';

// Every subscriber of this process wants the same snapshot for the same tick: compute it once.
// Only the newest tick is kept (a snapshot is the full state, older ones are never asked again).
let cached: { tickId: string; value: Promise<TopologyMap> } | null = null;

function getTopologyMapCached(db: Db, tickId: string): Promise<TopologyMap> {
  if (cached?.tickId === tickId) return cached.value;
  const value = getTopologyMap(db, tickId);
  const entry = { tickId, value };
  cached = entry;
  // A failed read must not stick for later subscribers.
  value.catch(() => {
    if (cached === entry) cached = null;
  });
  return value;
}

export const topologyMapRouter = router({
  snapshot: viewerProcedure.query(({ ctx }) => getTopologyMap(ctx.db)),

  /**
   * One full snapshot per committed tick. A snapshot supersedes all earlier ones, so a
   * reconnecting client gets the latest one at once instead of a replay of every tick it missed;
   * the stream then continues after that tick (tickStream reads the gap from the Tick table).
   */
  live: viewerProcedure
    .input(z.object({ lastEventId: numericId().nullish() }).optional())
    .subscription(async function* ({ ctx, input, signal }) {
      yield* whileSignedIn(ctx, signal, async function* (s) {
        const latest = await latestTickId(ctx.db);
        const last = input?.lastEventId ?? null;
        if (latest !== null && last !== null && BigInt(latest) > BigInt(last)) {
          yield tracked(latest, await getTopologyMapCached(ctx.db, latest));
        }
        const after = latest ?? last;
        for await (const tickId of tickStream(liveBus(databaseUrl()), after, s)) {
          const id = String(tickId);
          yield tracked(id, await getTopologyMapCached(ctx.db, id));
        }
      });
    }),
});

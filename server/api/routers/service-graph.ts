import { tracked } from '@trpc/server';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { databaseUrl } from '../../env';
import { liveBus } from '../../live/bus';
import { tickStream } from '../../live/stream';
import { getServiceGraph, type ServiceGraph } from '../../services/topology/service-graph';
import { latestTickId } from '../../services/topology/topology-map';
import { setCallsInput, setServiceCalls } from '../../services/topology/service-calls';
import { numericId } from '../../domain/inputs';
import { adminProcedure, router, viewerProcedure } from '../trpc';
import { whileSignedIn } from '../live-session';

// Every subscriber of this process wants the same graph for the same tick: compute it once.
// Only the newest tick is kept (a graph is the full state; older ones are never asked again).
// Tick ids are per database: a process that serves another one (the integration files sharing a
// test process) must not get the first one's graph for the same id.
let cached: { db: Db; tickId: string; value: Promise<ServiceGraph> } | null = null;

function getServiceGraphCached(db: Db, tickId: string): Promise<ServiceGraph> {
  if (cached?.db === db && cached.tickId === tickId) return cached.value;
  const value = getServiceGraph(db, tickId);
  const entry = { db, tickId, value };
  cached = entry;
  // A failed read must not stick for later subscribers.
  value.catch(() => {
    if (cached === entry) cached = null;
  });
  return value;
}

export const serviceGraphRouter = router({
  /** The service graph at the newest tick: services, declared calls, traffic and resilience state. */
  get: viewerProcedure.query(({ ctx }) => getServiceGraph(ctx.db)),

  /** Replace the services a service calls (admins; refused when it would make a cycle). */
  setCalls: adminProcedure.input(setCallsInput).mutation(({ ctx, input }) => setServiceCalls(ctx.db, ctx.actor, input)),

  /**
   * The whole graph once per committed tick (it is small: one node per service). A reconnecting
   * client gets the latest graph at once, then the stream continues after that tick.
   */
  live: viewerProcedure
    .input(z.object({ lastEventId: numericId().nullish() }).optional())
    .subscription(async function* ({ ctx, input, signal }) {
      yield* whileSignedIn(ctx, signal, async function* (s) {
        const latest = await latestTickId(ctx.db);
        const last = input?.lastEventId ?? null;
        if (latest !== null && last !== null && BigInt(latest) > BigInt(last)) {
          yield tracked(latest, await getServiceGraphCached(ctx.db, latest));
        }
        const after = latest ?? last;
        for await (const tickId of tickStream(liveBus(databaseUrl()), after, s)) {
          const id = String(tickId);
          yield tracked(id, await getServiceGraphCached(ctx.db, id));
        }
      });
    }),
});

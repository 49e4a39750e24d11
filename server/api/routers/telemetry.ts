import { tracked } from '@trpc/server';
import { z } from 'zod';
import { databaseUrl } from '../../env';
import { liveBus } from '../../live/bus';
import { tickStream } from '../../live/stream';
import { DEFAULT_WINDOW_S, instanceLive, serviceLive } from '../../services/telemetry/telemetry-live';
import { getInstanceDetail, getInstanceSeries, instanceByName, instanceSeriesInput } from '../../services/telemetry/telemetry-read';
import { listInstances, listInstancesInput } from '../../services/telemetry/instance-list';
import { getServiceDetail, getServiceSeries, listServices, serviceByName, serviceSeriesInput } from '../../services/telemetry/telemetry-read-service';
import { router, viewerProcedure } from '../trpc';
import { numericId, uuid } from '../../domain/inputs';
import { whileSignedIn } from '../live-session';

// The live platform, read side (docs/telemetry.md). Subscriptions yield one event per committed
// tick with `tracked(tickId)`, so httpSubscriptionLink resumes after a reconnect without gaps.
const liveInput = {
  lastEventId: numericId().nullish(),
  /** The client's live window: a reconnect replays at most this far back. */
  windowS: z.number().int().min(10).max(3600).default(DEFAULT_WINDOW_S),
};

export const telemetryRouter = router({
  services: viewerProcedure.query(({ ctx }) => listServices(ctx.db)),
  service: viewerProcedure.input(serviceByName).query(({ ctx, input }) => getServiceDetail(ctx.db, input)),
  serviceSeries: viewerProcedure.input(serviceSeriesInput).query(({ ctx, input }) => getServiceSeries(ctx.db, input)),
  /** Every instance with its newest sample, filtered; REST pages it (GET /instances). */
  instances: viewerProcedure.input(listInstancesInput).query(({ ctx, input }) => listInstances(ctx.db, input)),
  instance: viewerProcedure.input(instanceByName).query(({ ctx, input }) => getInstanceDetail(ctx.db, input)),
  instanceSeries: viewerProcedure.input(instanceSeriesInput).query(({ ctx, input }) => getInstanceSeries(ctx.db, input)),

  /**
   * One event per committed tick, for pages that refetch a view on each tick (machines, cluster).
   * No backlog on reconnect: a refresh only needs the next tick.
   */
  ticks: viewerProcedure.subscription(async function* ({ ctx, signal }) {
    yield* whileSignedIn(ctx, signal, async function* (s) {
      for await (const tickId of tickStream(liveBus(databaseUrl()), null, s)) yield { tickId: tickId.toString() };
    });
  }),

  instanceLive: viewerProcedure
    .input(z.object({ instanceId: uuid(), ...liveInput }))
    .subscription(async function* ({ ctx, input, signal }) {
      yield* whileSignedIn(ctx, signal, async function* (s) {
        for await (const payload of instanceLive(ctx.db, liveBus(databaseUrl()), input, s)) yield tracked(payload.tickId, payload);
      });
    }),
  serviceLive: viewerProcedure
    .input(z.object({ serviceId: uuid(), ...liveInput }))
    .subscription(async function* ({ ctx, input, signal }) {
      yield* whileSignedIn(ctx, signal, async function* (s) {
        for await (const payload of serviceLive(ctx.db, liveBus(databaseUrl()), input, s)) yield tracked(payload.tickId, payload);
      });
    }),
});

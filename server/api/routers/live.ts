import { tracked } from '@trpc/server';
import { z } from 'zod';
import { liveBus } from '../../live/bus';
import { liveStream } from '../../live/stream';
import { numericId } from '../../domain/inputs';
import { databaseUrl } from '../../env';
import { router, viewerProcedure } from '../trpc';

export const liveRouter = router({
  /** The change feed. `tracked` ids let httpSubscriptionLink resume after a reconnect. */
  events: viewerProcedure
    .input(z.object({ lastEventId: numericId().nullish() }).optional())
    .subscription(async function* ({ input, signal }) {
      const bus = liveBus(databaseUrl());
      for await (const e of liveStream(bus, input?.lastEventId, signal ?? new AbortController().signal)) {
        yield tracked(e.id, e);
      }
    }),
});

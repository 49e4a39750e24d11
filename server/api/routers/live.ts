import { tracked } from '@trpc/server';
import { z } from 'zod';
import { liveBus } from '../../live/bus';
import { liveStream } from '../../live/stream';
import { numericId } from '../../domain/inputs';
import { databaseUrl } from '../../env';
import { router, viewerProcedure } from '../trpc';
import { whileSignedIn } from '../live-session';

export const liveRouter = router({
  /** The change feed. `tracked` ids let httpSubscriptionLink resume after a reconnect. */
  events: viewerProcedure
    .input(z.object({ lastEventId: numericId().nullish() }).optional())
    .subscription(async function* ({ ctx, input, signal }) {
      yield* whileSignedIn(ctx, signal, async function* (s) {
        for await (const e of liveStream(liveBus(databaseUrl()), input?.lastEventId, s)) yield tracked(e.id, e);
      });
    }),
});

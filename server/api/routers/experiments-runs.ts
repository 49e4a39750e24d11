import { tracked } from '@trpc/server';
import { z } from 'zod';
import { numericId } from '../../domain/inputs';
import { databaseUrl } from '../../env';
import { liveBus } from '../../live/bus';
import { liveStream } from '../../live/stream';
import { abortRun } from '../../services/experiments/run-abort';
import { abortRunInput, listRunsInput, reportInput, runIdInput, startRunInput } from '../../services/experiments/run-inputs';
import { getRun, listRuns, runReport } from '../../services/experiments/run-reads';
import { startRun } from '../../services/experiments/run-start';
import { whileSignedIn } from '../live-session';
import { operatorProcedure, router, viewerProcedure } from '../trpc';

/**
 * The run procedures of the `experiments` router (console names: experiments.runs.list / get /
 * onChange, experiments.start / abort / report). Exported as a record so experiments.ts spreads
 * them in next to the authoring procedures: `router({ ...experimentRunProcedures, list, … })`.
 * Everyone reads; operators start and abort; overriding a guard or a freeze window at start needs
 * an approver (checked by the service, with the reason recorded on the run).
 */
export const experimentRunProcedures = {
  runs: router({
    list: viewerProcedure.input(listRunsInput).query(({ ctx, input }) => listRuns(ctx.db, input)),
    get: viewerProcedure.input(runIdInput).query(({ ctx, input }) => getRun(ctx.db, input)),
    /** Experiment and run changes as they commit: {experimentId, runId?, state?}; `tracked` ids resume after a reconnect. */
    onChange: viewerProcedure
      .input(z.object({ lastEventId: numericId().nullish() }).optional())
      .subscription(async function* ({ ctx, input, signal }) {
        yield* whileSignedIn(ctx, signal, async function* (s) {
          for await (const e of liveStream(liveBus(databaseUrl()), input?.lastEventId, s)) {
            if (e.topic === 'experiment.changed') {
              yield tracked(e.id, { experimentId: String(e.payload.experimentId), runId: typeof e.payload.runId === 'string' ? e.payload.runId : null, state: typeof e.payload.state === 'string' ? e.payload.state : null });
            }
          }
        });
      }),
  }),
  start: operatorProcedure.input(startRunInput).mutation(({ ctx, input }) => startRun(ctx.db, { ...ctx.actor, role: ctx.user.role }, input)),
  abort: operatorProcedure.input(abortRunInput).mutation(({ ctx, input }) => abortRun(ctx.db, ctx.actor, input)),
  report: viewerProcedure.input(reportInput).query(({ ctx, input }) => runReport(ctx.db, input)),
};

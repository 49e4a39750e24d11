import { archiveExperiment, createExperiment, updateExperiment } from '../../services/experiments/experiment-commands';
import { archiveExperimentInput, createExperimentInput, experimentId, listExperimentsInput, previewExperimentInput, updateExperimentInput } from '../../services/experiments/experiment-inputs';
import { previewExperiment } from '../../services/experiments/experiment-preview';
import { experimentTemplates, getExperiment, listExperiments } from '../../services/experiments/experiment-reads';
import {
  createSchedule,
  createScheduleInput,
  listSchedules,
  listSchedulesInput,
  nextRuns,
  nextRunsInput,
  removeSchedule,
  scheduleRef,
  updateSchedule,
  updateScheduleInput,
} from '../../services/experiments/schedules';
import { evaluateSchedulesInput, evaluateSchedulesNow } from '../../services/experiments/schedule-evaluate';
import { operatorProcedure, router, viewerProcedure } from '../trpc';
import { experimentRunProcedures } from './experiments-runs';

/** Cron schedules of experiments: operators manage them; everyone reads them, their history and next times. */
const schedulesRouter = router({
  list: viewerProcedure.input(listSchedulesInput).query(({ ctx, input }) => listSchedules(ctx.db, input)),
  create: operatorProcedure.input(createScheduleInput).mutation(({ ctx, input }) => createSchedule(ctx.db, ctx.actor, input)),
  update: operatorProcedure.input(updateScheduleInput).mutation(({ ctx, input }) => updateSchedule(ctx.db, ctx.actor, input)),
  remove: operatorProcedure.input(scheduleRef).mutation(({ ctx, input }) => removeSchedule(ctx.db, ctx.actor, input)),
  nextRuns: viewerProcedure.input(nextRunsInput).query(({ input }) => nextRuns(input)),
  // Who may edit a schedule may also ask for its occurrence (or the sweep) now.
  evaluateNow: operatorProcedure.input(evaluateSchedulesInput).mutation(({ ctx, input }) => evaluateSchedulesNow(ctx.db, ctx.actor, input)),
});

/**
 * Chaos experiments, authoring side: everyone reads; operators author, archive, preview and
 * schedule. (Runs — start, abort, runs, report — are in experiments-runs.ts.)
 */
export const experimentsRouter = router({
  // runs.list / get / onChange, start, abort, report (routers/experiments-runs.ts).
  ...experimentRunProcedures,
  templates: viewerProcedure.query(() => experimentTemplates()),
  list: viewerProcedure.input(listExperimentsInput).query(({ ctx, input }) => listExperiments(ctx.db, input)),
  get: viewerProcedure.input(experimentId).query(({ ctx, input }) => getExperiment(ctx.db, input)),
  // A mutation: it computes on demand from the author's unsaved spec.
  preview: operatorProcedure.input(previewExperimentInput).mutation(({ ctx, input }) => previewExperiment(ctx.db, input)),
  create: operatorProcedure.input(createExperimentInput).mutation(({ ctx, input }) => createExperiment(ctx.db, ctx.actor, input)),
  update: operatorProcedure.input(updateExperimentInput).mutation(({ ctx, input }) => updateExperiment(ctx.db, ctx.actor, input)),
  archive: operatorProcedure.input(archiveExperimentInput).mutation(({ ctx, input }) => archiveExperiment(ctx.db, ctx.actor, input)),
  schedules: schedulesRouter,
});

// Experiment runs over REST: start one (idempotent with an Idempotency-Key), list and read runs,
// abort, and the report as JSON or Markdown. Each route is the procedure the console calls.
import { z } from 'zod';
import { uuid } from '../../../domain/inputs';
import { abortRunInput, listRunsInput as listRunsSchema, reportInput, startRunInput } from '../../../services/experiments/run-inputs';
import type { ProcedureRoute } from '../route';
import { bodyOf, bodyWithParams, defined, queryText, queryTexts, type RawRequest } from './map-input';

const tag = 'experiments';
const byRunId = bodyWithParams({ id: 'runId' });

/** The runs list is page-based; REST pages it by cursor over the newest runs of one page this size. */
const RUNS_PAGE = 100;

const listRunsInput = (raw: RawRequest, experimentId?: string) =>
  defined({ ...queryTexts(raw, ['state', 'experimentId']), ...(experimentId ? { experimentId } : {}), page: 1, pageSize: RUNS_PAGE });

type ReportOutput = { format: 'json'; report: unknown } | { format: 'markdown'; markdown: string };

export const runRoutes: ProcedureRoute[] = [
  {
    method: 'POST',
    path: '/experiments/{id}/runs',
    procedure: 'experiments.start',
    operationId: 'startExperimentRun',
    summary: 'Start a run of an experiment (Idempotency-Key: a retry gives the same run); answers the run id.',
    tag,
    idempotent: true,
    successStatus: 201,
    mapInput: bodyWithParams({ id: 'experimentId' }),
    requestSchema: startRunInput.omit({ experimentId: true }).extend({ id: uuid() }),
  },
  {
    method: 'GET',
    path: '/experiments/{id}/runs',
    procedure: 'experiments.runs.list',
    operationId: 'listExperimentRuns',
    summary: "An experiment's runs, newest first (?state=).",
    tag,
    paginated: { itemsAt: 'runs' },
    mapInput: (raw: RawRequest) => listRunsInput(raw, raw.params.id),
    requestSchema: listRunsSchema.pick({ state: true }).extend({ id: uuid() }),
  },
  {
    method: 'GET',
    path: '/runs',
    procedure: 'experiments.runs.list',
    operationId: 'listRuns',
    summary: 'Experiment runs, newest first (?experimentId=&state=).',
    tag,
    paginated: { itemsAt: 'runs' },
    mapInput: (raw: RawRequest) => listRunsInput(raw),
    requestSchema: listRunsSchema.pick({ state: true, experimentId: true }),
  },
  {
    method: 'GET',
    path: '/runs/{id}',
    procedure: 'experiments.runs.get',
    operationId: 'getRun',
    summary: 'One run: targets with live health, injections, abort conditions, timeline (ETag: its version).',
    tag,
    mapInput: byRunId,
    requestSchema: z.object({ id: uuid() }).strict(),
    etagOf: (o) => (o as { run: { version: number } }).run.version,
  },
  {
    method: 'POST',
    path: '/runs/{id}/abort',
    procedure: 'experiments.abort',
    operationId: 'abortRun',
    summary: 'Abort a run: its faults are removed (body {reason}; If-Match optional).',
    tag,
    versionField: 'version',
    mapInput: byRunId,
    requestSchema: abortRunInput.omit({ runId: true }).extend({ id: uuid() }),
  },
  {
    method: 'GET',
    path: '/runs/{id}/report',
    procedure: 'experiments.report',
    operationId: 'getRunReport',
    summary: 'The report of a finished run as JSON, or as Markdown with ?format=markdown.',
    tag,
    contentType: (input) => ((input as { format?: string }).format === 'markdown' ? 'text/markdown' : undefined),
    mapInput: (raw: RawRequest) => defined({ runId: raw.params.id, format: queryText(raw, 'format') ?? bodyOf(raw).format }),
    requestSchema: reportInput.omit({ runId: true }).extend({ id: uuid() }),
    mapOutput: (output: unknown) => {
      const o = output as ReportOutput;
      return o.format === 'markdown' ? o.markdown : o.report;
    },
  },
];

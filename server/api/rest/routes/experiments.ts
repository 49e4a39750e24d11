// Chaos experiments over REST, authoring side: list, create, read, edit, archive, preview,
// templates, and their cron schedules. Runs (start, abort, report) are in runs.ts. Each route is
// the experiments.* procedure of the console (same roles, refusals and audit).
import type { ProcedureRoute } from '../route';
import { bodyWithParams, defined, queryNumbers, queryTexts, versionOf, type RawRequest } from './map-input';

const tag = 'experiments';
const byId = bodyWithParams();

export const experimentRoutes: ProcedureRoute[] = [
  {
    method: 'GET',
    path: '/experiments',
    procedure: 'experiments.list',
    operationId: 'listExperiments',
    summary: 'Experiments, most recently changed first; filter by words (text), template, archived (active|archived|all).',
    tag,
    paginated: { itemsAt: 'experiments' },
    mapInput: (raw: RawRequest) => queryTexts(raw, ['text', 'template', 'archived']),
  },
  { method: 'POST', path: '/experiments', procedure: 'experiments.create', operationId: 'createExperiment', summary: 'Create an experiment from a draft (body {draft}).', tag, successStatus: 201 },
  { method: 'POST', path: '/experiments/preview', procedure: 'experiments.preview', operationId: 'previewExperiment', summary: 'The targets and blast radius a spec would have now, without saving it.', tag },
  { method: 'GET', path: '/experiment-templates', procedure: 'experiments.templates', operationId: 'experimentTemplates', summary: 'The templates an experiment can start from.', tag },
  { method: 'GET', path: '/experiments/{id}', procedure: 'experiments.get', operationId: 'getExperiment', summary: 'One experiment with its last run and schedules (ETag: its version).', tag, mapInput: byId },
  { method: 'PUT', path: '/experiments/{id}', procedure: 'experiments.update', operationId: 'updateExperiment', summary: 'Replace the draft of an experiment (If-Match: its version).', tag, versionField: 'version', mapInput: byId },
  {
    method: 'POST',
    path: '/experiments/{id}/archive',
    procedure: 'experiments.archive',
    operationId: 'archiveExperiment',
    summary: 'Archive an experiment (body {archived: false} restores it).',
    tag,
    versionField: 'version',
    mapInput: byId,
  },
  {
    method: 'GET',
    path: '/schedules',
    procedure: 'experiments.schedules.list',
    operationId: 'listSchedules',
    summary: 'Cron schedules of experiments with their next runs and history (active, recent, skipped with the reason); filter by experimentId.',
    tag,
    mapInput: (raw: RawRequest) => queryTexts(raw, ['experimentId']),
  },
  { method: 'POST', path: '/schedules', procedure: 'experiments.schedules.create', operationId: 'createSchedule', summary: 'Schedule an experiment with a cron expression.', tag, successStatus: 201 },
  {
    method: 'GET',
    path: '/schedules/next-runs',
    procedure: 'experiments.schedules.nextRuns',
    operationId: 'scheduleNextRuns',
    summary: 'The next times a cron expression fires (?cron=&n=).',
    tag,
    mapInput: (raw: RawRequest) => ({ ...queryTexts(raw, ['cron']), ...queryNumbers(raw, ['n']) }),
  },
  {
    method: 'POST',
    path: '/schedules/evaluate',
    procedure: 'experiments.schedules.evaluateNow',
    operationId: 'evaluateSchedulesNow',
    summary: 'Ask the worker to run the schedules sweep now (body {scheduleId} also brings that schedule’s next occurrence forward to now); one sweep is queued however often it is asked.',
    tag,
    successStatus: 202,
  },
  { method: 'PUT', path: '/schedules/{id}', procedure: 'experiments.schedules.update', operationId: 'updateSchedule', summary: 'Change a schedule (If-Match: its version).', tag, versionField: 'version', mapInput: byId },
  {
    method: 'DELETE',
    path: '/schedules/{id}',
    procedure: 'experiments.schedules.remove',
    operationId: 'deleteSchedule',
    summary: 'Delete a schedule (If-Match or ?version=).',
    tag,
    versionField: 'version',
    mapInput: (raw: RawRequest) => defined({ id: raw.params.id, version: versionOf(raw) }),
  },
];

// Chaos experiments from the command line: list them, start a run, abort it, read its report.
import { idArg, reasonFlag } from '../args';
import { emit, get, itemsOf, nextCursorOf, text, type Command } from '../context';
import { clean, stateColour, table, type Column } from '../table';

const list: Command = {
  path: ['experiments', 'list'],
  args: [],
  flags: ['cursor'],
  summary: 'Experiments with their last run',
  async run(ctx) {
    const res = await ctx.api().get('/experiments', { query: { cursor: typeof ctx.flags.cursor === 'string' ? ctx.flags.cursor : undefined } });
    emit(ctx, res.body, () => {
      const items = itemsOf(res.body, 'experiments');
      if (items.length === 0) return 'No experiments yet. Create one in the console (Experiments → New).\n';
      const cols: Column<unknown>[] = [
        { header: 'ID', value: (e) => text(get(e, 'id')), max: 36 },
        { header: 'NAME', value: (e) => text(get(e, 'name')), max: 40 },
        { header: 'FAULT', value: (e) => text(get(e, 'faultKind')), max: 24 },
        { header: 'SERVICES', value: (e) => (Array.isArray(get(e, 'services')) ? (get(e, 'services') as unknown[]).map(String).join(',') : null), max: 30 },
        { header: 'LAST RUN', value: (e) => text(get(e, 'lastRun', 'id')), max: 36 },
        { header: 'STATE', value: (e) => text(get(e, 'lastRun', 'state')), colour: (e, p) => stateColour(ctx.style, text(get(e, 'lastRun', 'state')) ?? '', p) },
      ];
      const next = nextCursorOf(res.body);
      return table(cols, items, ctx.style) + (next ? `More: switchback experiments list --cursor ${next}\n` : '');
    });
  },
};

const runOne: Command = {
  path: ['experiments', 'run'],
  args: ['id'],
  flags: [],
  summary: 'Start a run of an experiment (operator); prints the run id',
  async run(ctx) {
    const id = idArg('Experiment ID', ctx.args.id);
    const res = await ctx.api().post(`/experiments/${id}/runs`, { idempotent: true, body: {} });
    emit(ctx, res.body, () => {
      const runId = text(get(res.body, 'id')) ?? text(get(res.body, 'runId')) ?? '?';
      const warnings = Array.isArray(get(res.body, 'warnings')) ? (get(res.body, 'warnings') as unknown[]).map((w) => `  warning: ${clean(text(w) ?? JSON.stringify(w), 300)}\n`).join('') : '';
      return `Started run ${runId} of experiment ${id}${typeof get(res.body, 'targets') === 'number' ? ` on ${text(get(res.body, 'targets'))} targets` : ''}.\n${warnings}Abort it: switchback experiments abort ${runId} --reason "…"\n`;
    });
  },
};

const abort: Command = {
  path: ['experiments', 'abort'],
  args: ['run'],
  flags: ['reason'],
  required: ['reason'],
  summary: 'Abort a run: injected faults are removed (operator, --reason)',
  async run(ctx) {
    const runId = idArg('Run ID', ctx.args.run);
    const reason = reasonFlag(ctx.flags.reason, 'experiments abort');
    const res = await ctx.api().post(`/runs/${runId}/abort`, { body: { reason } });
    emit(ctx, res.body, () => `Aborting run ${runId}${text(get(res.body, 'state')) ? ` — now ${text(get(res.body, 'state'))}` : ''}.\n`);
  },
};

const report: Command = {
  path: ['experiments', 'report'],
  args: ['run'],
  flags: ['markdown'],
  summary: "A run's report (JSON, or --markdown for a postmortem)",
  async run(ctx) {
    const runId = idArg('Run ID', ctx.args.run);
    if (ctx.flags.markdown === true) {
      const res = await ctx.api().get(`/runs/${runId}/report`, { query: { format: 'markdown' }, accept: 'text/markdown, application/problem+json' });
      ctx.out(res.text.endsWith('\n') ? res.text : `${res.text}\n`);
      return;
    }
    const res = await ctx.api().get(`/runs/${runId}/report`);
    // The report is a structured document; people read it as markdown, scripts as JSON.
    ctx.out(JSON.stringify(res.body, null, 2) + '\n');
  },
};

export const experimentCommands: Command[] = [list, runOne, abort, report];

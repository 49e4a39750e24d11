// Chaos experiments from the command line: list them, start a run, abort it, read its report.
import { idArg, reasonFlag } from '../args';
import { emit, get, itemsOf, nextCursorOf, text, type Command } from '../context';
import { usageError } from '../errors';
import { clean, stateColour, table, type Column } from '../table';
import { RUN_ABORT_REASON_LABELS, RUN_STATE_LABELS, type RunAbortReason, type RunState } from '../../server/domain/experiments/machine';

/** A run's state in the console's words ("Aborted (aborted by a person)"); an unknown one as it came. */
export function runStateWords(run: unknown): string | null {
  const state = text(get(run, 'state'));
  if (state === null) return null;
  const label = RUN_STATE_LABELS[state as RunState] ?? clean(state, 40);
  const reason = text(get(run, 'abortReason'));
  return reason ? `${label} (${RUN_ABORT_REASON_LABELS[reason as RunAbortReason] ?? clean(reason, 40)})` : label;
}

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
        { header: 'STATE', value: (e) => runStateWords(get(e, 'lastRun')), colour: (e, p) => stateColour(ctx.style, text(get(e, 'lastRun', 'state')) ?? '', p), max: 60 },
      ];
      const next = nextCursorOf(res.body);
      return table(cols, items, ctx.style) + (next ? `More: switchback experiments list --cursor ${next}\n` : '');
    });
  },
};

const runOne: Command = {
  path: ['experiments', 'run'],
  args: ['id'],
  flags: ['override-guard', 'override-freeze'],
  summary: 'Start a run of an experiment (operator); prints the run id. An approver may start it despite a topology guard or inside a freeze window, with the reason',
  async run(ctx) {
    const id = idArg('Experiment ID', ctx.args.id);
    // The overrides are reasons recorded on the run; blank ones are refused here, not sent.
    const guardOverrideReason = ctx.flags['override-guard'] === undefined ? undefined : reasonFlag(ctx.flags['override-guard'], 'experiments run --override-guard');
    const freezeOverrideReason = ctx.flags['override-freeze'] === undefined ? undefined : reasonFlag(ctx.flags['override-freeze'], 'experiments run --override-freeze');
    const res = await ctx.api().post(`/experiments/${id}/runs`, { idempotent: true, body: { ...(guardOverrideReason ? { guardOverrideReason } : {}), ...(freezeOverrideReason ? { freezeOverrideReason } : {}) } });
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
    emit(ctx, res.body, () => `Aborting run ${runId}${runStateWords(res.body) ? ` — now ${runStateWords(res.body)}` : ''}: its faults are being removed.\n`);
  },
};

const report: Command = {
  path: ['experiments', 'report'],
  args: ['run'],
  flags: ['markdown'],
  summary: "A finished run's report: Markdown for people (a postmortem's table), --json for scripts",
  async run(ctx) {
    const runId = idArg('Run ID', ctx.args.run);
    if (ctx.json && ctx.flags.markdown === true) throw usageError('experiments report: either --json or --markdown (the default), not both.');
    // Like every command: words for people by default, the API's JSON with --json.
    if (!ctx.json) {
      const res = await ctx.api().get(`/runs/${runId}/report`, { query: { format: 'markdown' }, accept: 'text/markdown, application/problem+json' });
      ctx.out(res.text.endsWith('\n') ? res.text : `${res.text}\n`);
      return;
    }
    const res = await ctx.api().get(`/runs/${runId}/report`);
    ctx.out(JSON.stringify(res.body, null, 2) + '\n');
  },
};

export const experimentCommands: Command[] = [list, runOne, abort, report];

// Reading rollouts: list, get (with its steps) and watch.
import { idArg, intFlag, stringFlag } from '../args';
import { emit, get, itemsOf, nextCursorOf, text, type Command, type Context } from '../context';
import { usageError } from '../errors';
import { fields, stateColour, table, type Column } from '../table';
import { snapshotOf, stateWords, watchRollout } from '../watch';
import { IN_FLIGHT, ROLLOUT_STATES } from '../../server/domain/rollouts/machine';

const STATE_FILTERS: readonly string[] = [...ROLLOUT_STATES, IN_FLIGHT];

const stepOf = (r: unknown) => {
  const s = snapshotOf(r);
  return s.stepCount > 0 ? `${Math.min(s.step + 1, s.stepCount)}/${s.stepCount}` : '—';
};
const pct = (v: unknown) => (typeof v === 'number' ? `${v}%` : null);

export const rolloutColumns = (ctx: Context): Column<unknown>[] => [
  { header: 'ID', value: (r) => text(get(r, 'id')), max: 36 },
  { header: 'NAME', value: (r) => text(get(r, 'name')), max: 40 },
  { header: 'SERVICE', value: (r) => text(get(r, 'service', 'name')) ?? text(get(r, 'service')), max: 30 },
  { header: 'STATE', value: (r) => stateWords(snapshotOf(r)), colour: (r, p) => stateColour(ctx.style, text(get(r, 'state')) ?? '', p), max: 50 },
  { header: 'STEP', value: (r) => stepOf(r) },
  { header: 'CANARY', value: (r) => pct(get(r, 'desiredCanaryPct')) ?? pct(get(r, 'canaryPct')) },
  { header: 'ANALYSIS', value: (r) => text(get(r, 'verdict')), colour: (r, p) => stateColour(ctx.style, text(get(r, 'verdict')) ?? '', p) },
];

const list: Command = {
  path: ['rollouts', 'list'],
  args: [],
  flags: ['state', 'limit', 'cursor'],
  summary: 'Rollouts, newest first (--state progressing|paused|…|in-flight)',
  async run(ctx) {
    const state = stringFlag(ctx.flags.state);
    if (state !== undefined && !STATE_FILTERS.includes(state)) throw usageError(`--state: one of ${STATE_FILTERS.join(', ')}.`);
    const res = await ctx.api().get('/rollouts', { query: { state, limit: intFlag('limit', ctx.flags.limit, 1, 200), cursor: stringFlag(ctx.flags.cursor) } });
    emit(ctx, res.body, () => {
      const items = itemsOf(res.body, 'rollouts');
      if (items.length === 0) return state ? `No ${state} rollouts.\n` : 'No rollouts yet. Create one: switchback rollouts create -f rollout.yaml\n';
      const next = nextCursorOf(res.body);
      return table(rolloutColumns(ctx), items, ctx.style) + (next ? `More: switchback rollouts list --cursor ${next}\n` : '');
    });
  },
};

const show: Command = {
  path: ['rollouts', 'get'],
  args: ['id'],
  flags: [],
  summary: 'One rollout: state, step, canary share, analysis, approvals, steps',
  async run(ctx) {
    const id = idArg('Rollout ID', ctx.args.id);
    const res = await ctx.api().get(`/rollouts/${id}`);
    emit(ctx, res.body, () => {
      const r = res.body;
      const s = snapshotOf(r);
      const head = fields(
        [
          ['ID', text(get(r, 'id'))],
          ['Name', text(get(r, 'name'))],
          ['Service', text(get(r, 'service', 'name'))],
          ['Versions', `${text(get(r, 'stableVersion')) ?? '?'} → ${text(get(r, 'canaryVersion')) ?? '?'}`],
          ['State', stateWords(s)],
          ['Step', stepOf(r)],
          ['Canary', pct(get(r, 'desiredCanaryPct'))],
          ['Measured', pct(get(r, 'measuredCanaryPct'))],
          ['Analysis', s.verdict],
          ['Approvals', s.approvals],
          ['Detail', text(get(r, 'stateDetail'))],
          ['Created by', text(get(r, 'createdByName'))],
          ['Version', text(get(r, 'version'))],
        ],
        ctx.style,
      );
      const steps = itemsOf(get(r, 'steps'));
      if (steps.length === 0) return head;
      const cols: Column<unknown>[] = [
        { header: '#', value: (x) => (typeof get(x, 'index') === 'number' ? (get(x, 'index') as number) + 1 : null) },
        { header: 'STEP', value: (x) => stepWords(get(x, 'step')), max: 70 },
        { header: 'STATUS', value: (x) => text(get(x, 'run', 'state')) ?? text(get(x, 'run', 'status')) },
      ];
      return `${head}\n${table(cols, steps, ctx.style)}`;
    });
  },
};

/** A spec step in words: "set weight 5 %", "pause 60 s", "analysis …". */
export function stepWords(step: unknown): string {
  const kind = text(get(step, 'kind')) ?? '?';
  if (kind === 'setWeight') return `set weight ${text(get(step, 'weight')) ?? '?'} %`;
  if (kind === 'pause') return typeof get(step, 'seconds') === 'number' ? `pause ${text(get(step, 'seconds'))} s` : 'pause until resumed';
  if (kind === 'setHeaderRoute') return `header route ${text(get(step, 'header')) ?? ''} ${text(get(step, 'match')) ?? ''} ${text(get(step, 'value')) ?? ''}`.trim();
  const rest = Object.entries((step && typeof step === 'object' ? step : {}) as Record<string, unknown>)
    .filter(([k, v]) => k !== 'kind' && (typeof v === 'string' || typeof v === 'number'))
    .map(([k, v]) => `${k} ${String(v)}`);
  return [kind, ...rest].join(' ');
}

const watch: Command = {
  path: ['rollouts', 'watch'],
  args: ['id'],
  flags: ['until-approval'],
  summary: 'Follow a rollout live (a line per change; --json: NDJSON) until it ends: exit 0 succeeded, 3 aborted/rolled back; --until-approval also ends with 0 when it waits for approval',
  async run(ctx) {
    const id = idArg('Rollout ID', ctx.args.id);
    const api = ctx.api();
    const outcome = await watchRollout(
      {
        fetchRollout: async () => (await api.get(`/rollouts/${id}`)).body,
        print: (line) => ctx.out(line + '\n'),
        sleep: ctx.sleep,
        now: ctx.now,
        style: ctx.style,
        json: ctx.json,
      },
      ctx.flags['until-approval'] === true,
    );
    ctx.out(ctx.json ? JSON.stringify({ outcome: outcome.words, exitCode: outcome.exitCode }) + '\n' : `${outcome.words}\n`);
    return outcome.exitCode;
  },
};

export const rolloutReadCommands: Command[] = [list, show, watch];

// The fleet at a glance (status) and the halt-all switch.
import { reasonFlag } from '../args';
import { emit, get, itemsOf, text, type Command, type Context } from '../context';
import { clean, paint, stateColour, table, type Column } from '../table';
import { runStateWords } from './experiments';
import { rolloutColumns } from './rollouts-read';

/**
 * The halt in words, from either answer: GET /status says {engaged, reason, by, at}; GET /halt
 * (the console's safety status) says {halt: {reason, engagedByName, engagedAt} | null}.
 */
export function haltWords(halt: unknown): string {
  if (halt === null || halt === undefined || get(halt, 'engaged') === false) return 'released';
  const by = text(get(halt, 'by')) ?? text(get(halt, 'engagedByName'));
  const at = text(get(halt, 'at')) ?? text(get(halt, 'engagedAt'));
  const reason = text(get(halt, 'reason'));
  return `ENGAGED${by ? ` by ${by}` : ''}${at ? ` at ${at}` : ''}${reason ? ` — ${reason}` : ''}`;
}

/** Health is a word or a small object ({state, …}): shown as one line either way. */
function healthWords(health: unknown): string {
  if (typeof health === 'string') return health;
  if (health && typeof health === 'object') {
    return Object.entries(health as Record<string, unknown>)
      .filter(([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
      .slice(0, 12)
      .map(([k, v]) => `${k} ${String(v)}`)
      .join(', ');
  }
  return '—';
}

export function renderStatus(ctx: Pick<Context, 'style'>, body: unknown): string {
  const halt = get(body, 'halt');
  const health = get(body, 'health');
  const healthState = typeof health === 'string' ? health : (text(get(health, 'state')) ?? '');
  const engaged = haltWords(halt) !== 'released';
  const line = (k: string, v: string) => `${paint(ctx.style, 'bold', k.padEnd(7))}  ${v}\n`;
  const out = [
    line('Health:', stateColour(ctx.style, healthState, clean(healthWords(health), 300))),
    line('Halt:', engaged ? paint(ctx.style, 'red', clean(haltWords(halt), 300)) : clean(haltWords(halt), 300)),
  ];
  const rollouts = itemsOf(get(body, 'rollouts'));
  out.push(rollouts.length === 0 ? '\nNo rollouts running.\n' : `\nRunning rollouts\n${table(rolloutColumns({ style: ctx.style } as Context), rollouts, ctx.style)}`);
  const experiments = itemsOf(get(body, 'experiments'));
  const cols: Column<unknown>[] = [
    { header: 'RUN', value: (e) => text(get(e, 'runId')) ?? text(get(e, 'id')), max: 36 },
    { header: 'EXPERIMENT', value: (e) => text(get(e, 'experiment', 'name')) ?? text(get(e, 'experiment')), max: 40 },
    { header: 'STATE', value: (e) => runStateWords(e), colour: (e, p) => stateColour(ctx.style, text(get(e, 'state')) ?? '', p) },
  ];
  out.push(experiments.length === 0 ? '\nNo experiments running.\n' : `\nRunning experiments\n${table(cols, experiments, ctx.style)}`);
  return out.join('');
}

const status: Command = {
  path: ['status'],
  args: [],
  flags: [],
  summary: 'Fleet health, the halt, running rollouts and experiments',
  async run(ctx) {
    const res = await ctx.api().get('/status');
    emit(ctx, res.body, () => renderStatus(ctx, res.body));
  },
};

const haltShow: Command = {
  path: ['halt'],
  args: [],
  flags: [],
  summary: 'Whether the halt is engaged',
  async run(ctx) {
    const res = await ctx.api().get('/halt');
    emit(ctx, res.body, () => `Halt: ${clean(haltWords(get(res.body, 'halt')), 300)}\n`);
  },
};

const haltAction = (verb: 'engage' | 'release'): Command => ({
  path: ['halt', verb],
  args: [],
  flags: ['reason'],
  required: ['reason'],
  summary: verb === 'engage' ? 'Stop every rollout and experiment now (operator, --reason)' : 'Release the halt (approver, --reason)',
  async run(ctx) {
    const reason = reasonFlag(ctx.flags.reason, `halt ${verb}`);
    const res = await ctx.api().post(`/halt/${verb}`, { body: { reason }, idempotent: verb === 'engage' });
    emit(ctx, res.body, () => (verb === 'engage' ? 'Halt engaged: rollouts paused, experiments aborting.\n' : 'Halt released.\n'));
  },
});

export const haltStatusCommands: Command[] = [status, haltShow, haltAction('engage'), haltAction('release')];

// Changing rollouts: create from a YAML file (validated here with the domain's own parser, every
// problem at its line), start, pause, resume, retry, abort, promote and decide approvals. Actions
// on a rollout send If-Match with the version they act on (--version N, or the one just read), so
// a rollout that moved meanwhile is refused (412, exit 3) instead of acted on blindly.
import { idArg, intFlag, reasonFlag } from '../args';
import { emit, get, readInputFile, text, type Command, type Context } from '../context';
import { usageError } from '../errors';
import { versionOf } from '../http';
import { snapshotOf, stateWords } from '../watch';
import { parseSpecYaml } from '../../server/domain/rollouts/yaml';

/** The rollout spec in FILE (YAML or JSON), or a usage error listing each problem with its line. */
export function specFromFile(file: string, textOf: string): unknown {
  const r = parseSpecYaml(textOf);
  if (r.ok) return r.spec;
  throw usageError(
    `${file} is not a valid rollout:`,
    r.issues.slice(0, 30).map((i) => `${file}${i.line ? `:${i.line}` : ''}: ${i.path ? `${i.path}: ` : ''}${i.message}`),
  );
}

const create: Command = {
  path: ['rollouts', 'create'],
  args: [],
  flags: ['file'],
  required: ['file'],
  summary: 'Create a rollout (pending) from a YAML file: kind: Rollout, name, service, versions, steps',
  async run(ctx) {
    const file = ctx.flags.file;
    const spec = specFromFile(String(file), readInputFile(file, 'rollouts create'));
    const res = await ctx.api().post('/rollouts', { body: { spec } });
    emit(ctx, res.body, () => {
      const id = text(get(res.body, 'id')) ?? '?';
      return `Created rollout ${id} (${(spec as { name: string }).name}), pending.\nStart it: switchback rollouts start ${id}\n`;
    });
  },
};

/** The version to act on: --version N, or the rollout's current one (one GET). */
async function versionFor(ctx: Context, id: string): Promise<number> {
  const given = intFlag('version', ctx.flags.version, 1, 2_147_483_647);
  if (given !== undefined) return given;
  const res = await ctx.api().get(`/rollouts/${id}`);
  const v = versionOf(res);
  if (v === undefined) throw usageError('The server did not say the rollout\'s version; give --version N.');
  return v;
}

function afterAction(ctx: Context, body: unknown, did: string, id: string): void {
  emit(ctx, body, () => {
    const state = body && typeof body === 'object' && 'state' in body ? ` — now ${stateWords(snapshotOf(body))}` : '';
    return `${did} rollout ${id}${state}.\n`;
  });
}

interface ActionDef {
  verb: string;
  route: string;
  summary: string;
  did: string;
  reason?: 'required' | 'none';
  idempotent?: boolean;
}

const ACTIONS: ActionDef[] = [
  { verb: 'start', route: 'start', summary: 'Start a pending rollout (operator)', did: 'Started', idempotent: true },
  { verb: 'pause', route: 'pause', summary: 'Pause a rollout (operator)', did: 'Paused' },
  { verb: 'resume', route: 'resume', summary: 'Resume a paused rollout (operator)', did: 'Resumed' },
  { verb: 'retry', route: 'retry', summary: 'Retry a rolled-back rollout from step 1 (operator)', did: 'Retried' },
  { verb: 'abort', route: 'abort', summary: 'Abort a rollout: traffic back to stable (operator, --reason)', did: 'Aborted', reason: 'required' },
  { verb: 'override-guard', route: 'override-guard', summary: 'Continue despite a topology guard holding the step (approver, --reason)', did: 'Overrode the guard of', reason: 'required' },
  { verb: 'override-freeze', route: 'override-freeze', summary: 'Continue a rollout held by a freeze window (approver, --reason)', did: 'Overrode the freeze for', reason: 'required' },
];

const actionCommands: Command[] = ACTIONS.map((a) => ({
  path: ['rollouts', a.verb],
  args: ['id'],
  flags: a.reason === 'required' ? ['reason', 'version'] : ['version'],
  required: a.reason === 'required' ? ['reason'] : [],
  summary: a.summary,
  async run(ctx) {
    const id = idArg('Rollout ID', ctx.args.id);
    const reason = a.reason === 'required' ? reasonFlag(ctx.flags.reason, `rollouts ${a.verb}`) : undefined;
    const version = await versionFor(ctx, id);
    const res = await ctx.api().post(`/rollouts/${id}/${a.route}`, { ifMatch: version, idempotent: a.idempotent, body: reason === undefined ? {} : { reason } });
    afterAction(ctx, res.body, a.did, id);
  },
}));

const promote: Command = {
  path: ['rollouts', 'promote'],
  args: ['id'],
  flags: ['full', 'reason', 'version'],
  summary: 'Promote to the next step (approver); --full --reason: straight to 100 %',
  async run(ctx) {
    const id = idArg('Rollout ID', ctx.args.id);
    const full = ctx.flags.full === true;
    if (!full && ctx.flags.reason !== undefined) throw usageError('rollouts promote: --reason goes with --full (promote to 100 %).');
    const reason = full ? reasonFlag(ctx.flags.reason, 'rollouts promote --full') : undefined;
    const version = await versionFor(ctx, id);
    const res = await ctx.api().post(`/rollouts/${id}/${full ? 'promote-full' : 'promote'}`, { ifMatch: version, body: reason === undefined ? {} : { reason } });
    afterAction(ctx, res.body, full ? 'Promoting to 100 %' : 'Promoted', id);
  },
};

const decide = (verb: 'approve' | 'reject'): Command => ({
  path: ['rollouts', verb],
  args: ['id'],
  flags: ['reason', 'version'],
  required: ['reason'],
  summary:
    verb === 'approve'
      ? "Approve the rollout's open approval request (approver, never its author; --reason; --version N: only if the rollout is still at the version you reviewed)"
      : "Reject the rollout's open approval request: it aborts (approver, --reason; --version N as for approve)",
  async run(ctx) {
    const id = idArg('Rollout ID', ctx.args.id);
    const reason = reasonFlag(ctx.flags.reason, `rollouts ${verb}`);
    const version = intFlag('version', ctx.flags.version, 1, 2_147_483_647);
    const res = await ctx.api().post(`/rollouts/${id}/${verb}`, { ...(version !== undefined ? { ifMatch: version } : {}), body: { reason } });
    afterAction(ctx, res.body, verb === 'approve' ? 'Approved' : 'Rejected', id);
  },
});

export const rolloutActCommands: Command[] = [create, ...actionCommands, promote, decide('approve'), decide('reject')];

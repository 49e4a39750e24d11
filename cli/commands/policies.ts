// Policies as files: get the published document, diff a local file against it (client-side, with
// the domain's own diff) or two published versions (server-side), and publish a file. Publishing
// sends If-Match with the version the file is based on (--version N, else the version just read),
// so a publish over someone else's newer version is refused (412, exit 3) naming the current one.
import { intFlag, stringFlag } from '../args';
import { emit, get, readInputFile, text, type Command, type Context } from '../context';
import { usageError } from '../errors';
import { versionOf } from '../http';
import { clean, paint, table, type Column } from '../table';
import { POLICY_KINDS, diffPolicies, validatePolicy, type DiffLine, type PolicyKind } from '../../server/domain/policy-schemas';
import path from 'node:path';
import { parse } from 'yaml';

function kindArg(v: string | undefined): PolicyKind {
  if (!v || !(POLICY_KINDS as readonly string[]).includes(v)) throw usageError(`KIND: one of ${POLICY_KINDS.join(', ')}.`);
  return v as PolicyKind;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** SCOPE: global (the default) or service:<id> (a bare service id is accepted too). */
export function scopeArg(v: string | undefined): string {
  if (v === undefined || v === 'global') return 'global';
  const id = v.startsWith('service:') ? v.slice('service:'.length) : v;
  if (!UUID.test(id)) throw usageError('SCOPE: global or service:<service id>.');
  return `service:${id.toLowerCase()}`;
}

const pathOf = (kind: string, scope: string) => `/policies/${kind}/${encodeURIComponent(scope)}`;

/** The policy document in a file (YAML or JSON), checked with the schema the server publishes with. */
export function documentFromFile(kind: PolicyKind, file: string, content: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = parse(content, { schema: 'core', version: '1.2', maxAliasCount: 20 });
  } catch (err) {
    throw usageError(`${file} cannot be read as YAML or JSON: ${clean(err instanceof Error ? err.message.split('\n')[0] : 'invalid', 200)}`);
  }
  // `policies get --json` output works as is: take its document.
  if (value && typeof value === 'object' && 'document' in value && 'kind' in value) value = (value as { document: unknown }).document;
  const r = validatePolicy(kind, value);
  if (r.ok) return r.document;
  throw usageError(
    `${file} is not a valid ${kind} policy:`,
    Object.entries(r.errors).flatMap(([field, msgs]) => msgs.map((m) => `${field}: ${m}`)),
  );
}

const value = (v: unknown): string => (v === null || v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

export function renderDiff(ctx: Pick<Context, 'style'>, lines: readonly DiffLine[], before: string, after: string): string {
  if (lines.length === 0) return 'No differences.\n';
  const cols: Column<DiffLine>[] = [
    { header: 'FIELD', value: (l) => l.path, max: 60 },
    { header: before, value: (l) => value(l.before), colour: (_l, p) => paint(ctx.style, 'red', p), max: 40 },
    { header: after, value: (l) => value(l.after), colour: (_l, p) => paint(ctx.style, 'green', p), max: 40 },
  ];
  return table(cols, lines, ctx.style);
}

const show: Command = {
  path: ['policies', 'get'],
  args: ['kind', 'scope?'],
  flags: [],
  summary: 'The published policy document (KIND: weight|watermark|breaker|strategy; SCOPE: global or service:<id>)',
  async run(ctx) {
    const kind = kindArg(ctx.args.kind);
    const scope = scopeArg(ctx.args.scope);
    const res = await ctx.api().get(pathOf(kind, scope));
    emit(ctx, res.body, () => {
      const inherited = text(get(res.body, 'inheritedFrom'));
      return `# ${kind} policy, ${scope}, version ${text(get(res.body, 'version')) ?? '?'}${inherited ? ` (no override: inherits ${inherited})` : ''}\n${JSON.stringify(get(res.body, 'document') ?? {}, null, 2)}\n`;
    });
  },
};

const diff: Command = {
  path: ['policies', 'diff'],
  args: ['kind', 'scope?'],
  flags: ['file', 'a', 'b'],
  summary: 'Differences: -f FILE against the published document, or --a N --b M between two versions',
  async run(ctx) {
    const kind = kindArg(ctx.args.kind);
    const scope = scopeArg(ctx.args.scope);
    const a = intFlag('a', ctx.flags.a, 1, 2_147_483_647);
    const b = intFlag('b', ctx.flags.b, 1, 2_147_483_647);
    if (ctx.flags.file !== undefined) {
      if (a !== undefined || b !== undefined) throw usageError('policies diff: either -f FILE or --a N --b M, not both.');
      const file = String(ctx.flags.file);
      const local = documentFromFile(kind, file, readInputFile(file, 'policies diff'));
      const res = await ctx.api().get(pathOf(kind, scope));
      const lines = diffPolicies(get(res.body, 'document'), local);
      emit(ctx, lines, () => renderDiff(ctx, lines, `PUBLISHED v${versionOf(res) ?? '?'}`, `FILE ${path.basename(file)}`));
      return;
    }
    if (a === undefined || b === undefined) throw usageError('policies diff: give -f FILE, or --a N --b M.');
    const res = await ctx.api().get(`${pathOf(kind, scope)}/diff`, { query: { a, b } });
    emit(ctx, res.body, () => renderDiff(ctx, (Array.isArray(res.body) ? res.body : []) as DiffLine[], `v${a}`, `v${b}`));
  },
};

const publish: Command = {
  path: ['policies', 'publish'],
  args: ['kind', 'scope?'],
  flags: ['file', 'message', 'version'],
  required: ['file', 'message'],
  summary: 'Publish -f FILE as the next version (admin, --message); refused if someone published since --version N',
  async run(ctx) {
    const kind = kindArg(ctx.args.kind);
    const scope = scopeArg(ctx.args.scope);
    const message = stringFlag(ctx.flags.message);
    if (!message || message.trim() === '') throw usageError('policies publish needs --message "…" (what changed and why; kept in the history).');
    const file = String(ctx.flags.file ?? '');
    const document = documentFromFile(kind, file, readInputFile(ctx.flags.file, 'policies publish'));
    let expected = intFlag('version', ctx.flags.version, 0, 2_147_483_647);
    if (expected === undefined) {
      const current = await ctx.api().get(pathOf(kind, scope));
      expected = versionOf(current) ?? 0;
    }
    const res = await ctx.api().post(`${pathOf(kind, scope)}/publish`, { ifMatch: expected, body: { document, message } });
    emit(ctx, res.body, () => `Published ${kind} policy (${scope}) version ${text(get(res.body, 'version')) ?? expected + 1}.\n`);
  },
};

export const policyCommands: Command[] = [show, diff, publish];

// A small argument parser: `switchback <group> [<verb>] [positionals] [flags]`. Every flag has one
// kind across all commands (so flags may come anywhere), each command lists the flags it accepts,
// and every input is bounded before anything is sent.
import { usageError } from './errors';

export type FlagKind = 'boolean' | 'string';

export interface FlagSpec {
  kind: FlagKind;
  short?: string;
  /** Longest accepted value (string flags). */
  max?: number;
}

/** Every flag of the CLI. Global ones (json, config, help) are accepted by every command. */
export const FLAGS = {
  help: { kind: 'boolean', short: 'h' },
  json: { kind: 'boolean' },
  config: { kind: 'string', max: 4096 },
  file: { kind: 'string', short: 'f', max: 4096 },
  reason: { kind: 'string', max: 2000 },
  message: { kind: 'string', short: 'm', max: 500 },
  token: { kind: 'string', max: 512 },
  url: { kind: 'string', max: 2048 },
  state: { kind: 'string', max: 40 },
  limit: { kind: 'string', max: 6 },
  cursor: { kind: 'string', max: 512 },
  version: { kind: 'string', max: 10 },
  markdown: { kind: 'boolean' },
  full: { kind: 'boolean' },
  'until-approval': { kind: 'boolean' },
  experiment: { kind: 'string', max: 64 },
  'override-guard': { kind: 'string', max: 2000 },
  'override-freeze': { kind: 'string', max: 2000 },
  a: { kind: 'string', max: 10 },
  b: { kind: 'string', max: 10 },
  // `instances` filters (the bounds of GET /instances' query: names 200, tokens 64).
  service: { kind: 'string', max: 200 },
  region: { kind: 'string', max: 200 },
  zone: { kind: 'string', max: 200 },
  cluster: { kind: 'string', max: 200 },
  'app-version': { kind: 'string', max: 64 },
  'admin-state': { kind: 'string', max: 64 },
  health: { kind: 'string', max: 64 },
  unhealthy: { kind: 'boolean' },
} as const satisfies Record<string, FlagSpec>;

export type FlagName = keyof typeof FLAGS;
export const GLOBAL_FLAGS: readonly FlagName[] = ['help', 'json', 'config'];

const MAX_ARGS = 64;
const MAX_ARG_CHARS = 8192;

export interface ParsedArgs {
  words: string[];
  flags: Partial<Record<FlagName, string | true>>;
}

const SHORT = new Map<string, FlagName>(Object.entries(FLAGS).flatMap(([name, s]) => ('short' in s ? [[s.short, name as FlagName] as const] : [])));

/** Split argv into words (command path and positionals) and flags; unknown flags are usage errors. */
export function parseArgv(argv: readonly string[]): ParsedArgs {
  if (argv.length > MAX_ARGS) throw usageError(`Too many arguments (at most ${MAX_ARGS}).`);
  const words: string[] = [];
  const flags: ParsedArgs['flags'] = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.length > MAX_ARG_CHARS) throw usageError(`An argument is too long (at most ${MAX_ARG_CHARS} characters).`);
    if (arg === '--') {
      words.push(...argv.slice(i + 1));
      break;
    }
    let name: FlagName | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--') && arg.length > 2) {
      const eq = arg.indexOf('=');
      const raw = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      if (eq !== -1) inline = arg.slice(eq + 1);
      if (!Object.hasOwn(FLAGS, raw)) throw usageError(`Unknown flag --${raw.slice(0, 40)}. See switchback --help.`);
      name = raw as FlagName;
    } else if (/^-[a-zA-Z]$/.test(arg)) {
      name = SHORT.get(arg.slice(1));
      if (!name) throw usageError(`Unknown flag ${arg}. See switchback --help.`);
    } else {
      words.push(arg);
      continue;
    }
    const spec: FlagSpec = FLAGS[name];
    if (Object.hasOwn(flags, name)) throw usageError(`--${name} is given twice.`);
    if (spec.kind === 'boolean') {
      if (inline !== undefined) throw usageError(`--${name} takes no value.`);
      flags[name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith('-') && value.length > 1 && !/^-\d/.test(value))) throw usageError(`--${name} needs a value.`);
    if (spec.max !== undefined && value.length > spec.max) throw usageError(`--${name} is too long (at most ${spec.max} characters).`);
    flags[name] = value;
  }
  return { words, flags };
}

export interface CommandShape {
  /** The command's words, e.g. ['rollouts', 'approve']. */
  path: readonly string[];
  /** Positional arguments after the path: required ones, then optional ones ending in '?'. */
  args: readonly string[];
  flags: readonly FlagName[];
  /** Flags the command cannot do without (shown without brackets in the usage; checked by the command). */
  required?: readonly FlagName[];
}

/** The command the words name (longest path first), with its positionals checked against its shape. */
export function matchCommand<C extends CommandShape>(commands: readonly C[], parsed: ParsedArgs): { command: C; args: Record<string, string | undefined> } | null {
  const sorted = [...commands].sort((a, b) => b.path.length - a.path.length);
  const command = sorted.find((c) => c.path.every((w, i) => parsed.words[i] === w));
  if (!command) return null;
  const rest = parsed.words.slice(command.path.length);
  const required = command.args.filter((a) => !a.endsWith('?'));
  const name = command.path.join(' ');
  if (rest.length < required.length) throw usageError(`${name}: missing ${required.slice(rest.length).map((a) => a.toUpperCase()).join(' ')}.`, [`Usage: switchback ${usageOf(command)}`]);
  if (rest.length > command.args.length) throw usageError(`${name}: unexpected argument "${rest[command.args.length]!.slice(0, 60)}".`, [`Usage: switchback ${usageOf(command)}`]);
  for (const flag of Object.keys(parsed.flags) as FlagName[]) {
    if (!GLOBAL_FLAGS.includes(flag) && !command.flags.includes(flag)) throw usageError(`${name}: --${flag} does not apply here.`, [`Usage: switchback ${usageOf(command)}`]);
  }
  const args: Record<string, string | undefined> = {};
  command.args.forEach((a, i) => (args[a.replace(/\?$/, '')] = rest[i]));
  return { command, args };
}

export function usageOf(c: CommandShape): string {
  const args = c.args.map((a) => (a.endsWith('?') ? `[${a.slice(0, -1).toUpperCase()}]` : a.toUpperCase()));
  const flags = c.flags.map((f) => {
    const spec: FlagSpec = FLAGS[f];
    const shown = spec.kind === 'boolean' ? `--${f}` : spec.short ? `-${spec.short} ${f.toUpperCase()}` : `--${f} ${f.toUpperCase()}`;
    return c.required?.includes(f) ? shown : `[${shown}]`;
  });
  return [...c.path, ...args, ...flags].join(' ');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A row id given on the command line: a UUID, said in words when it is not. */
export function idArg(what: string, value: string | undefined): string {
  if (!value || !UUID.test(value)) throw usageError(`${what}: expected an id like 3f2b8c1e-…-… (a UUID), got "${(value ?? '').slice(0, 60)}".`);
  return value.toLowerCase();
}

export function intFlag(name: string, value: string | true | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw usageError(`--${name}: a whole number from ${min} to ${max}.`);
  return n;
}

/** A required reason (recorded with your name on the server): non-blank. */
export function reasonFlag(value: string | true | undefined, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw usageError(`${what} needs --reason "…" (it is recorded with your name).`);
  return value;
}

export function stringFlag(value: string | true | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

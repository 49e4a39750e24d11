// The CLI as a function: argv and the outside world in, an exit code out. No process globals here
// (cli/index.ts supplies them), so the tests run every command in-process against a fake server.
import { matchCommand, parseArgv, usageOf } from './args';
import { defaultConfigPath, resolveConfig } from './config';
import type { Command, Context } from './context';
import { CliError, renderError } from './errors';
import { EXIT, EXIT_CODES_HELP } from './exit-codes';
import { Api, type Fetch } from './http';
import { styleFor } from './table';
import { experimentCommands } from './commands/experiments';
import { haltStatusCommands } from './commands/halt-status';
import { instanceCommands } from './commands/instances';
import { login } from './commands/login';
import { policyCommands } from './commands/policies';
import { rolloutActCommands } from './commands/rollouts-act';
import { rolloutReadCommands } from './commands/rollouts-read';

export interface Io {
  env: Record<string, string | undefined>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isTTY: boolean;
  readStdin: () => Promise<string>;
  fetch?: Fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
}

export function commandsFor(fetchImpl?: Fetch): Command[] {
  return [login(fetchImpl), ...haltStatusCommands, ...rolloutReadCommands, ...rolloutActCommands, ...experimentCommands, ...instanceCommands, ...policyCommands];
}

export function helpText(commands: readonly Command[]): string {
  const groups = new Map<string, Command[]>();
  for (const c of commands) groups.set(c.path[0]!, [...(groups.get(c.path[0]!) ?? []), c]);
  const lines = ['switchback — the Switchback console from scripts and terminals (talks HTTP to /api/v1 only)', '', 'Usage: switchback <command> [arguments] [--json] [--config PATH]', ''];
  for (const [, cs] of groups) {
    for (const c of cs) lines.push(`  ${usageOf(c)}`, `      ${c.summary}`);
  }
  lines.push(
    '',
    'Global flags:',
    '  --json          the API\'s JSON as it is (rollouts watch: one JSON object per change)',
    '  --config PATH   the config file (default ~/.config/switchback/config.json, mode 0600)',
    '  -h, --help      this help',
    '',
    'Environment: SWITCHBACK_URL and SWITCHBACK_TOKEN override the config file; NO_COLOR turns colour off.',
    'Errors are printed in words on stderr; output for people is aligned columns (colour only on a terminal).',
    '',
    EXIT_CODES_HELP,
    '',
  );
  return lines.join('\n');
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const commands = commandsFor(io.fetch);
  try {
    const parsed = parseArgv(argv);
    if (parsed.words.length === 0 || (parsed.words[0] === 'help' && parsed.words.length === 1)) {
      (parsed.flags.help || parsed.words[0] === 'help' ? io.stdout : io.stderr)(helpText(commands));
      return parsed.flags.help || parsed.words[0] === 'help' ? EXIT.ok : EXIT.usage;
    }
    const group = commands.filter((c) => c.path[0] === parsed.words[0]);
    if (parsed.flags.help) {
      io.stdout(group.length > 0 ? group.map((c) => `switchback ${usageOf(c)}\n    ${c.summary}\n`).join('') : helpText(commands));
      return EXIT.ok;
    }
    const match = matchCommand(commands, parsed);
    if (!match) {
      const known = group.length > 0 ? ` Commands of "${parsed.words[0]}": ${[...new Set(group.map((c) => c.path[1]).filter(Boolean))].join(', ')}.` : ' See switchback --help.';
      throw new CliError(EXIT.usage, `Unknown command "${parsed.words.slice(0, 2).join(' ').slice(0, 60)}".${known}`);
    }
    const configPath = typeof parsed.flags.config === 'string' ? parsed.flags.config : defaultConfigPath(io.env);
    let api: Api | undefined;
    const ctx: Context = {
      api: () => {
        if (!api) {
          const { config, warning } = resolveConfig(configPath, io.env);
          if (warning) io.stderr(`${warning}\n`);
          api = new Api(config.url, config.token, io.fetch);
        }
        return api;
      },
      out: io.stdout,
      err: io.stderr,
      style: styleFor(io.isTTY, io.env),
      json: parsed.flags.json === true,
      flags: parsed.flags,
      args: match.args,
      configPath,
      env: io.env,
      readStdin: io.readStdin,
      sleep: io.sleep ?? defaultSleep,
      now: io.now ?? (() => new Date()),
    };
    return (await match.command.run(ctx)) ?? EXIT.ok;
  } catch (err) {
    if (err instanceof CliError) {
      io.stderr(renderError(err));
      return err.exitCode;
    }
    // A defect of the CLI itself: still no stack unless asked for.
    io.stderr(`switchback: unexpected error: ${err instanceof Error ? err.message : String(err)}\n${io.env.SWITCHBACK_DEBUG ? `${(err as Error)?.stack}\n` : ''}`);
    return EXIT.server;
  }
}

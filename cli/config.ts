// Where the CLI keeps the server URL and the token: ~/.config/switchback/config.json (or
// $XDG_CONFIG_HOME), file mode 0600 in a 0700 folder — the token is a password. SWITCHBACK_URL and
// SWITCHBACK_TOKEN override the file (CI jobs set them and never log in); --config picks another file.
import { chmodSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync, closeSync, unlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { CliError, usageError } from './errors';
import { EXIT } from './exit-codes';

export const MAX_CONFIG_BYTES = 16 * 1024;

export const tokenSchema = z
  .string()
  .max(512, 'The token is too long')
  .regex(/^[\x21-\x7e]+$/, 'The token has spaces or characters a token never has');

export const urlSchema = z
  .string()
  .max(2048, 'The URL is too long')
  .transform((s, ctx) => {
    let u: URL;
    try {
      u = new URL(s.trim());
    } catch {
      ctx.addIssue({ code: 'custom', message: 'Not a URL: give it like http://127.0.0.1:3000' });
      return z.NEVER;
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      ctx.addIssue({ code: 'custom', message: 'The URL must start with http:// or https://' });
      return z.NEVER;
    }
    if (u.username || u.password || u.search || u.hash) {
      ctx.addIssue({ code: 'custom', message: 'Give the console URL without a user, query or fragment' });
      return z.NEVER;
    }
    // The console's address; an API address (…/api/v1) pasted from the docs works too.
    const p = u.pathname.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
    return `${u.origin}${p}`;
  });

const fileSchema = z.object({ url: urlSchema, token: tokenSchema }).strict();
export type Config = z.output<typeof fileSchema>;

export function defaultConfigPath(env: Record<string, string | undefined>): string {
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(env.HOME || homedir(), '.config');
  return path.join(base, 'switchback', 'config.json');
}

function readFile(file: string): { config: Partial<Config>; warning?: string } {
  let text: string;
  let mode: number;
  try {
    const st = statSync(file);
    if (st.size > MAX_CONFIG_BYTES) throw usageError(`${file} is too large for a Switchback config (at most ${MAX_CONFIG_BYTES / 1024} KB).`);
    mode = st.mode & 0o777;
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof CliError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { config: {} };
    throw usageError(`Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw usageError(`${file} is not valid JSON. Log in again: switchback login URL --token TOKEN`);
  }
  const r = fileSchema.safeParse(parsed);
  if (!r.success) throw usageError(`${file} is not a Switchback config: ${r.error.issues[0]?.message ?? 'invalid'}. Log in again.`);
  const warning = (mode & 0o077) !== 0 ? `warning: ${file} can be read by other users (mode ${mode.toString(8)}); run chmod 600 ${file}` : undefined;
  return { config: r.data, warning };
}

export interface Resolved {
  config: Config;
  warning?: string;
}

/** URL and token for a command: the environment first, then the file; a missing one says how to log in. */
export function resolveConfig(file: string, env: Record<string, string | undefined>): Resolved {
  const fromEnv: Partial<Config> = {};
  if (env.SWITCHBACK_URL) {
    const r = urlSchema.safeParse(env.SWITCHBACK_URL);
    if (!r.success) throw usageError(`SWITCHBACK_URL: ${r.error.issues[0]?.message}`);
    fromEnv.url = r.data;
  }
  if (env.SWITCHBACK_TOKEN) {
    const r = tokenSchema.safeParse(env.SWITCHBACK_TOKEN);
    if (!r.success) throw usageError(`SWITCHBACK_TOKEN: ${r.error.issues[0]?.message}`);
    fromEnv.token = r.data;
  }
  // Read the file only for what the environment leaves out (CI needs no file at all).
  const { config: stored, warning } = fromEnv.url && fromEnv.token ? { config: {} } : readFile(file);
  const url = fromEnv.url ?? stored.url;
  const token = fromEnv.token ?? stored.token;
  if (!url || !token) throw new CliError(EXIT.auth, 'Not logged in.', ['Run: switchback login URL --token TOKEN   (or set SWITCHBACK_URL and SWITCHBACK_TOKEN)']);
  return { config: { url, token }, warning };
}

/**
 * Write the config readable by its owner only: the folder is created 0700 (an existing folder is
 * left as it is — it may be /tmp), the file is written 0600 beside it and renamed over the old one,
 * so no moment exists where the token sits in a file others can read.
 */
export function writeConfig(file: string, config: Config): void {
  const dir = path.dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Our own folder (the default ~/.config/switchback) is made private even if it existed before.
  if (path.basename(dir) === 'switchback') chmodSync(dir, 0o700);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, JSON.stringify(config, null, 2) + '\n');
  } finally {
    closeSync(fd);
  }
  try {
    chmodSync(tmp, 0o600); // the umask may only take bits away; this states the intent
    renameSync(tmp, file);
  } catch (err) {
    unlinkSync(tmp);
    throw err;
  }
}

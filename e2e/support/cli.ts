import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { APIRequestContext } from '@playwright/test';
import { expect, mutate } from './fixtures';

// The `switchback` CLI as child processes against the running app, the way a pipeline runs it:
// shared by the CLI specs (e2e/cli*.spec.ts). Tokens are made through the console's API.

export const appUrl = () => `http://127.0.0.1:${process.env.E2E_PORT ?? '3210'}`;
const root = path.resolve(import.meta.dirname, '..', '..');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Use this token (SWITCHBACK_URL/SWITCHBACK_TOKEN) instead of the stored login. */
  token?: string;
  stdin?: string;
  /** The run is killed (and the test failed) when it has not ended within this. */
  hangMs?: number;
  /** The program and its first arguments (default: node bin/switchback.mjs). */
  command?: string[];
}

export interface CliSession {
  /** The fresh HOME the runs see: the default config path is tested, nothing of the machine's is read. */
  home: string;
  /** Where `login` stores {url, token}. */
  configPath: string;
  cli: (args: string[], o?: CliOptions) => Promise<CliResult>;
}

/** A CLI user of their own: a fresh HOME (so a login of one spec is never another's). */
export function cliSession(): CliSession {
  const home = mkdtempSync(path.join(tmpdir(), 'switchback-cli-e2e-'));
  const configPath = path.join(home, '.config', 'switchback', 'config.json');
  const cli = (args: string[], o: CliOptions = {}): Promise<CliResult> => {
    const [cmd = 'node', ...pre] = o.command ?? ['node', 'bin/switchback.mjs'];
    const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: '', NO_COLOR: '1', SWITCHBACK_URL: o.token ? appUrl() : '', SWITCHBACK_TOKEN: o.token ?? '' };
    return new Promise((resolve, reject) => {
      const child = spawn(cmd, [...pre, ...args], { cwd: root, env, stdio: 'pipe' });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const hang = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`switchback ${args.join(' ')} did not end within ${o.hangMs ?? 60_000} ms:\n${stdout}\n${stderr}`));
      }, o.hangMs ?? 60_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(hang);
        resolve({ code, stdout, stderr });
      });
      child.stdin.end(o.stdin ?? '');
    });
  };
  return { home, configPath, cli };
}

let tokens = 0;
/** A fresh API token of the signed-in page's user, with `role` (a live token's name is unique per user). */
export async function tokenOf(request: APIRequestContext, role: string): Promise<string> {
  const res = await mutate(request, 'tokens.create', { name: `cli-${role}-${Date.now().toString(36)}-${++tokens}`, role, expiresInDays: 1 });
  expect(res.status(), await res.text()).toBe(200);
  return ((await res.json()) as { result: { data: { json: { secret: string } } } }).result.data.json.secret;
}

/** Errors are words: never a stack trace or node's internals on stderr. */
export const noStack = (r: CliResult) => expect(r.stderr).not.toMatch(/\n\s+at \S+ \(|node:internal/);

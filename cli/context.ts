// What a command gets: the API client (built on first use from the config), output streams, the
// style, and the parsed flags. Commands print through `out` only, so tests capture everything.
import { readFileSync, statSync } from 'node:fs';
import type { CommandShape, FlagName } from './args';
import { usageError } from './errors';
import type { Api } from './http';
import type { Style } from './table';

export interface Context {
  api: () => Api;
  out: (text: string) => void;
  err: (text: string) => void;
  style: Style;
  json: boolean;
  flags: Partial<Record<FlagName, string | true>>;
  args: Record<string, string | undefined>;
  configPath: string;
  env: Record<string, string | undefined>;
  readStdin: () => Promise<string>;
  sleep: (ms: number) => Promise<void>;
  now: () => Date;
}

export interface Command extends CommandShape {
  summary: string;
  /** The exit code (0 when nothing is returned). */
  run: (ctx: Context) => Promise<number | void>;
}

/** `--json`: the API's JSON as it came, indented; otherwise the human rendering. */
export function emit(ctx: Context, body: unknown, human: () => string): void {
  ctx.out(ctx.json ? JSON.stringify(body, null, 2) + '\n' : human());
}

export const MAX_FILE_BYTES = 1024 * 1024;

/** A file named by -f: bounded, and a missing one said in words. */
export function readInputFile(file: string | true | undefined, what: string): string {
  if (typeof file !== 'string') throw usageError(`${what} needs -f FILE.`);
  try {
    const st = statSync(file);
    if (!st.isFile()) throw usageError(`${file} is not a file.`);
    if (st.size > MAX_FILE_BYTES) throw usageError(`${file} is too large (at most ${MAX_FILE_BYTES / 1024} KB).`);
    return readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw usageError(`${file}: no such file.`);
    if ((err as NodeJS.ErrnoException).code) throw usageError(`Cannot read ${file}: ${(err as NodeJS.ErrnoException).code}.`);
    throw err;
  }
}

/** The list in a list answer: `{items}` (paginated REST lists) or a bare array, or a named array. */
export function itemsOf(body: unknown, ...names: string[]): unknown[] {
  if (Array.isArray(body)) return body;
  if (body && typeof body === 'object') {
    for (const n of ['items', ...names]) {
      const v = (body as Record<string, unknown>)[n];
      if (Array.isArray(v)) return v;
    }
  }
  return [];
}

export function nextCursorOf(body: unknown): string | null {
  const c = body && typeof body === 'object' ? (body as Record<string, unknown>).nextCursor : null;
  return typeof c === 'string' && c !== '' ? c : null;
}

/** A nested value read tolerantly: get(row, 'service', 'name'). */
export function get(v: unknown, ...path: string[]): unknown {
  let cur = v;
  for (const p of path) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[p] : undefined;
  return cur;
}

export const text = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null);

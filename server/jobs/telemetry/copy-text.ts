// PostgreSQL's COPY text format, for the tick's bulk rows (persist.ts): one line per row, fields
// separated by tabs, \N for NULL, and backslash escapes for the characters that would end a field
// or a line. The server parses these with each column's own input function, exactly as it parses
// the text of a bound parameter, so a value written here reads back as the INSERT wrote it.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

export type CopyValue = string | number | boolean | null | undefined;

const SPECIAL = /[\\\t\n\r]/;
const escapeText = (s: string) => (SPECIAL.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : s);

/** One field: numbers as JavaScript prints them (node-pg sends parameters the same way), booleans t/f. */
export function copyField(v: CopyValue): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (typeof v === 'number') return String(v);
  return escapeText(v);
}

/** A one-dimensional array literal ({1,2} or {"a","b"}); the whole literal is then one COPY field. */
export function arrayLiteral(xs: ReadonlyArray<number | string | boolean>): string {
  return `{${xs.map((x) => (typeof x === 'string' ? `"${x.replace(/["\\]/g, '\\$&')}"` : typeof x === 'boolean' ? (x ? 't' : 'f') : String(x))).join(',')}}`;
}

/**
 * COPY … FROM STDIN of rows already encoded as lines, on the caller's client (and so inside its
 * transaction). A failed COPY fails the statement and with it the transaction; the caller rolls back.
 */
export async function copyLines(client: pg.ClientBase, sql: string, lines: readonly string[]): Promise<void> {
  if (lines.length === 0) return;
  const stream = client.query(copyFrom(sql));
  // Chunks of ~1,000 rows: the socket takes them without one giant string or one write per row.
  const chunks: string[] = [];
  for (let i = 0; i < lines.length; i += 1000) chunks.push(lines.slice(i, i + 1000).join(''));
  await pipeline(Readable.from(chunks), stream);
}

// The building blocks every API input is made of, so that bad input stops at the edge in words
// instead of reaching PostgreSQL (a NUL byte, a version above 2^31-1, a date beyond the Date range
// and a 1 MB name each answered 500 with SQL text). Procedures and services compose these; no
// `z.string()` without a maximum anywhere in server/ (server/domain/inputs.test.ts checks it).
import { z } from 'zod';

/** Largest value of a PostgreSQL `integer` column (versions, counts). */
export const INT32_MAX = 2_147_483_647;
/** Timestamps the API accepts: anything a person could mean, well inside what Date and PostgreSQL hold. */
export const EARLIEST_MS = Date.UTC(2000, 0, 1);
export const LATEST_MS = Date.UTC(2100, 0, 1);
export const LIMITS = {
  /** Names of things (services, clusters, instances, adapters, users). */
  name: 200,
  /** Filters, states, short labels. */
  token: 64,
  /** Free text a person writes (descriptions, change messages). */
  text: 2000,
  /** Items in any list input. */
  items: 1000,
  /** A JSON document (policy, adapter configuration): its size once serialised, its depth, its keys. */
  jsonBytes: 256 * 1024,
  jsonDepth: 16,
  jsonKey: 200,
} as const;

// C0 controls other than tab, line feed and carriage return: NUL breaks PostgreSQL text, the rest
// only ever arrive by accident or attack.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
// A high surrogate not followed by a low one, or a low one without a high one before it: not
// valid UTF-16, so not encodable as UTF-8 for the database.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LINE_BREAK_OR_TAB = /[\t\n\r]/;

/** Why a string may not be stored, in words; null when it may. Used for JSON documents too. */
export function textProblem(s: string, opts: { multiline?: boolean } = {}): string | null {
  if (CONTROL.test(s)) return 'Contains a control character (such as a NUL byte)';
  if (!opts.multiline && LINE_BREAK_OR_TAB.test(s)) return 'Must be a single line';
  if (LONE_SURROGATE.test(s)) return 'Contains an invalid character (a lone UTF-16 surrogate)';
  return null;
}

export interface TextOptions {
  /** At least this many characters (after trimming); 0 = may be empty. */
  min?: number;
  /** Line breaks and tabs allowed (free text); single line otherwise. */
  multiline?: boolean;
  /** Surrounding white space removed; off for passwords. */
  trim?: boolean;
  /** The message when shorter than `min`. */
  required?: string;
}

/**
 * A bounded string: at most `max` characters, no control characters, valid UTF-16, trimmed by
 * default. The length is checked first, so a 1 MB string costs one comparison.
 */
export function text(max: number, opts: TextOptions = {}) {
  const base = z.string({ error: 'Expected text' }).max(max, `At most ${max} characters`);
  const trimmed = opts.trim === false ? base : base.trim();
  const sized = opts.min ? trimmed.min(opts.min, opts.required ?? (opts.min === 1 ? 'Must not be empty' : `At least ${opts.min} characters`)) : trimmed;
  return sized.superRefine((s, ctx) => {
    const problem = textProblem(s, opts);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

/** The name of a thing: one line, 1 to LIMITS.name characters. */
export const name = (max: number = LIMITS.name) => text(max, { min: 1, required: 'Enter a name' });
/** Free text a person writes: may span lines, may be empty. */
export const freeText = (max: number = LIMITS.text) => text(max, { multiline: true });
/** A short token such as a state name or a filter value. */
export const token = (max: number = LIMITS.token) => text(max);

/** A row id. */
export const uuid = () => z.uuid({ error: 'Expected an id (a UUID)' });

/** A whole number that fits a PostgreSQL integer, from `min` (default 0). */
export const int32 = (min = 0) =>
  z
    .number({ error: 'Expected a whole number' })
    .int('Expected a whole number')
    .min(min, `At least ${min}`)
    .max(INT32_MAX, `At most ${INT32_MAX}`);

/** The version of a versioned row: 1 … 2^31−1. */
export const version = () => int32(1);

/** A point in time as epoch milliseconds, between the years 2000 and 2100. */
export const epochMs = () =>
  z
    .number({ error: 'Expected a time (epoch milliseconds)' })
    .int('Expected a time (whole epoch milliseconds)')
    .min(EARLIEST_MS, 'Expected a time after the year 2000')
    .max(LATEST_MS, 'Expected a time before the year 2100');

/**
 * A point in time as a Date (superjson), epoch milliseconds or an ISO string; the result is a valid
 * Date between 2000 and 2100. Parsing a result again gives the same Date.
 */
export const timestamp = () =>
  z
    .union([z.date(), z.number(), z.string().max(40, 'Expected a date')], { error: 'Expected a date' })
    .pipe(
      z.coerce
        .date<string | number | Date>({ error: 'Expected a date' })
        .min(new Date(EARLIEST_MS), 'Expected a date after the year 2000')
        .max(new Date(LATEST_MS), 'Expected a date before the year 2100'),
    );

/** A list of at most `max` items. */
export const list = <T extends z.ZodType>(item: T, max: number = LIMITS.items) => z.array(item).max(max, `At most ${max} items`);

/** An opaque numeric cursor or event id (a PostgreSQL bigint as a string). */
export const numericId = () => z.string().max(18, 'Expected a numeric id').regex(/^\d{1,18}$/, 'Expected a numeric id');

function jsonProblem(value: unknown, depth: number, budget: { nodes: number }): string | null {
  if (--budget.nodes < 0) return 'Too many values';
  if (depth > LIMITS.jsonDepth) return `Nested deeper than ${LIMITS.jsonDepth} levels`;
  if (value === null || typeof value === 'boolean') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? null : 'Numbers must be finite';
  if (typeof value === 'string') return value.length > LIMITS.jsonBytes ? 'Text too long' : textProblem(value, { multiline: true });
  if (Array.isArray(value)) {
    for (const v of value) {
      const p = jsonProblem(v, depth + 1, budget);
      if (p) return p;
    }
    return null;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [k, v] of Object.entries(value)) {
      const p = k.length > LIMITS.jsonKey ? `A key is longer than ${LIMITS.jsonKey} characters` : textProblem(k) ?? jsonProblem(v, depth + 1, budget);
      if (p) return p;
    }
    return null;
  }
  return 'Expected plain JSON (objects, lists, text, numbers, true/false, null)';
}

/**
 * A JSON object document (a policy, an adapter configuration) that PostgreSQL can store: plain
 * JSON only, bounded in size, depth and key length, its text as clean as `text()`'s.
 */
export const jsonObject = (what = 'The document') =>
  z
    .record(z.string().max(LIMITS.jsonKey, `Keys: at most ${LIMITS.jsonKey} characters`), z.unknown(), { error: `${what} must be a JSON object` })
    .superRefine((doc, ctx) => {
      const problem = jsonProblem(doc, 0, { nodes: LIMITS.jsonBytes / 8 });
      if (problem) return ctx.addIssue({ code: 'custom', message: `${what}: ${problem}` });
      if (JSON.stringify(doc).length > LIMITS.jsonBytes) ctx.addIssue({ code: 'custom', message: `${what} is larger than ${LIMITS.jsonBytes / 1024} KB` });
    });

// Bad inputs for the API fuzz (server/api/fuzz.int.test.ts), derived from each procedure's own
// input schema (zod → JSON Schema): a plausible input first, then that input with one position
// made hostile — NUL bytes, 1 MB strings, lone surrogates, numbers past int32/int53 and the Date
// range, NaN, 10,000-item lists, wrong types, missing and extra fields. Seeded: the same cases
// every run, so a failure reproduces.

/** The subset of JSON Schema that z.toJSONSchema produces for our inputs. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  default?: unknown;
  additionalProperties?: unknown;
}

/** A real value for a field, so a case gets past "not found" to where the bad part is used. */
export type Hint = (key: string) => unknown;
/** A hint that leaves an optional field out (e.g. one of two alternatives a schema takes). */
export const OMIT = Symbol('omit');

export const NUL = 'x\u0000y';
export const MEGABYTE = 'm'.repeat(1 << 20);
export const LONE_SURROGATE = 'a\uD800b';
const BAD_STRINGS: unknown[] = [NUL, MEGABYTE, LONE_SURROGATE, '\uDFFF', '', 42, null, { nested: NUL }];
const BAD_NUMBERS: unknown[] = [2 ** 31, 2 ** 53, -1, Number.NaN, Infinity, 8.64e15, -8.64e15, 8.64e15 + 1, 1.5, '1', null, new Date(8.64e15)];
const BAD_WHOLE: unknown[] = [null, 'x', [], 0, NUL, MEGABYTE, { extra: NUL }, new Date(-8.64e15)];

function firstOf(schemas: JsonSchema[]): JsonSchema {
  return schemas.find((s) => s.type !== 'null') ?? schemas[0] ?? {};
}

/** A plausible value for `schema` (real ids and names from `hint` where it has them). */
export function plausible(schema: JsonSchema, hint: Hint, key = ''): unknown {
  const hinted = key ? hint(key) : undefined;
  if (hinted !== undefined) return hinted;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.anyOf || schema.oneOf) return plausible(firstOf(schema.anyOf ?? schema.oneOf ?? []), hint, key);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, s]) => [k, plausible(s, hint, k)]).filter(([, v]) => v !== OMIT));
    case 'array':
      return schema.items ? [plausible(schema.items, hint)] : [];
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return false;
    case 'null':
      return null;
    case 'string':
      if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
      if (schema.pattern === '^\\d{1,18}$') return '1';
      return 'fuzz'.padEnd(schema.minLength ?? 1, 'z');
    default:
      return {};
  }
}

type Path = Array<string | number>;

interface Position {
  path: Path;
  schema: JsonSchema;
  value: unknown;
}

/** Every position of `value` (built by `plausible` from `schema`), the root included. */
function positions(schema: JsonSchema, value: unknown, path: Path = []): Position[] {
  const here: Position = { path, schema, value };
  const effective = schema.anyOf || schema.oneOf ? firstOf(schema.anyOf ?? schema.oneOf ?? []) : schema;
  if (Array.isArray(value)) return [here, ...value.flatMap((v, i) => positions(effective.items ?? {}, v, [...path, i]))];
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return [here, ...Object.entries(value).flatMap(([k, v]) => positions(effective.properties?.[k] ?? {}, v, [...path, k]))];
  }
  return [here];
}

function setAt(root: unknown, path: Path, replace: (old: unknown) => unknown): unknown {
  if (path.length === 0) return replace(root);
  const copy = (Array.isArray(root) ? [...(root as unknown[])] : { ...(root as Record<string, unknown>) }) as Record<string | number, unknown>;
  const [head, ...rest] = path as [string | number, ...Path];
  copy[head] = setAt(copy[head], rest, replace);
  return copy;
}

const DELETE = Symbol('delete');
function withoutUndefined(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutUndefined);
  if (v && typeof v === 'object' && !(v instanceof Date)) return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== DELETE).map(([k, x]) => [k, withoutUndefined(x)]));
  return v;
}

/** The hostile variants of one position. */
function variants(p: Position): unknown[] {
  const v = p.value;
  if (Array.isArray(v)) {
    const first: unknown = (v as unknown[])[0];
    return [Array.from({ length: 10_000 }, () => first ?? NUL), 'not a list', { 0: first }];
  }
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    const o = v as Record<string, unknown>;
    return [
      ...Object.keys(o).map((k) => ({ ...o, [k]: DELETE })),
      { ...o, extra: NUL },
      { ...o, [NUL]: 1, __proto__x: LONE_SURROGATE },
      ['not', 'an', 'object'],
      'not an object',
    ];
  }
  if (typeof v === 'number') return BAD_NUMBERS;
  if (typeof v === 'string') return BAD_STRINGS;
  return [NUL, 2 ** 53, [], {}];
}

/** Seeded PRNG (mulberry32): fixed cases per procedure, different per procedure. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function hashSeed(text: string): number {
  let h = 2166136261;
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}

/**
 * Up to `max` hostile inputs for a procedure whose input schema is `schema` (undefined: it takes
 * none — it still gets garbage). Always includes each whole-input variant; the rest is a seeded
 * sample of one-position variants.
 */
export function hostileInputs(schema: JsonSchema | undefined, hint: Hint, seed: number, max: number): unknown[] {
  const base = schema ? plausible(schema, hint) : undefined;
  const all: unknown[] = [];
  if (schema) for (const p of positions(schema, base)) if (p.path.length > 0) for (const bad of variants(p)) all.push(withoutUndefined(setAt(base, p.path, () => bad)));
  if (base && typeof base === 'object') all.push(...variants({ path: [], schema: schema ?? {}, value: base }).map(withoutUndefined));
  const random = seeded(seed);
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  return [...BAD_WHOLE, ...all.slice(0, Math.max(0, max - BAD_WHOLE.length))];
}

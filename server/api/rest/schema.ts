import { z } from 'zod';
import type { Role } from '../../db/generated/enums';
import { appRouter } from '../root';
import type { ProcedureMeta } from '../trpc';
import type { HandlerRoute, ProcedureRoute, RestRoute } from './route';

// What the REST layer knows about a route from the procedure behind it: its input schema (the
// procedure's own zod schema, so REST validation, the OpenAPI document and the console's forms
// agree), its kind, and the least role its middleware enforces.

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  description?: string;
  [k: string]: unknown;
}

interface ProcedureDef {
  type: 'query' | 'mutation' | 'subscription';
  inputs: unknown[];
  meta?: ProcedureMeta;
}

export const isProcedureRoute = (r: RestRoute): r is ProcedureRoute => 'procedure' in r;
export const isHandlerRoute = (r: RestRoute): r is HandlerRoute => 'handler' in r;

export function procedureDef(path: string): ProcedureDef | undefined {
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: ProcedureDef } | undefined>;
  return procedures[path]?._def;
}

export function inputSchemaOf(route: RestRoute): z.ZodType | undefined {
  if (isHandlerRoute(route)) return route.input;
  const inputs = procedureDef(route.procedure)?.inputs ?? [];
  return inputs[0] as z.ZodType | undefined;
}

export function minRoleOf(route: RestRoute): Role | 'public' {
  if (isHandlerRoute(route)) return route.min;
  return procedureDef(route.procedure)?.meta?.minRole ?? 'public';
}

/** Marks a zod date: JSON carries it as an ISO 8601 string, which the REST layer revives. */
export const DATE_MARK = 'x-date';

/**
 * zod → JSON Schema 2020-12 as a client sees it. A `z.date()` (tRPC's superjson carries Dates;
 * JSON cannot) becomes an ISO 8601 string, marked so that `reviveDates` turns it into a Date
 * before the procedure's schema reads it.
 */
export function toJsonSchema(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
    override: (ctx) => {
      if (ctx.zodSchema._zod.def.type === 'date') Object.assign(ctx.jsonSchema, { type: 'string', format: 'date-time', [DATE_MARK]: true });
    },
  }) as JsonSchema;
}

/** ISO strings at the schema's date positions become Dates; everything else stays as sent. */
export function reviveDates(value: unknown, s: JsonSchema | undefined, root: JsonSchema): unknown {
  if (!s) return value;
  const r = resolve(s, root);
  if (r[DATE_MARK] && typeof value === 'string') {
    const d = new Date(value);
    return /^\d{4}-\d\d-\d\d/.test(value) && !Number.isNaN(d.getTime()) ? d : value;
  }
  for (const alt of [...(r.anyOf ?? []), ...(r.oneOf ?? [])]) {
    const v = reviveDates(value, alt, root);
    if (v !== value) return v;
  }
  if (Array.isArray(value) && r.items) return value.map((x) => reviveDates(x, r.items, root));
  if (value && typeof value === 'object' && !Array.isArray(value) && (r.properties || (r.anyOf ?? r.oneOf))) {
    const obj = objectPart(r);
    if (!obj?.properties) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = reviveDates(v, obj.properties[k], root);
    return out;
  }
  return value;
}

const cache = new WeakMap<RestRoute, JsonSchema | null>();

/** The route's input as JSON Schema 2020-12 (what a client may send), or null without input. */
export function inputJsonSchemaOf(route: RestRoute): JsonSchema | null {
  if (cache.has(route)) return cache.get(route)!;
  const schema = inputSchemaOf(route);
  const json = schema ? toJsonSchema(schema) : null;
  cache.set(route, json);
  return json;
}

/** The object form of a schema (an optional object input is `anyOf: [object, null]`-free in zod 4, but unions are not). */
export function objectPart(schema: JsonSchema | null): JsonSchema | null {
  if (!schema) return null;
  if (schema.properties) return schema;
  for (const alt of schema.anyOf ?? schema.oneOf ?? []) if (alt.properties) return alt;
  return null;
}

function resolve(s: JsonSchema, root: JsonSchema): JsonSchema {
  if (s.$ref?.startsWith('#/$defs/')) return root.$defs?.[s.$ref.slice(8)] ?? s;
  return s;
}

function typesOf(s: JsonSchema, root: JsonSchema): Set<string> {
  const r = resolve(s, root);
  const out = new Set<string>();
  for (const t of [r.type ?? []].flat()) out.add(t);
  for (const alt of [...(r.anyOf ?? []), ...(r.oneOf ?? [])]) for (const t of typesOf(alt, root)) out.add(t);
  return out;
}

/**
 * A query string's text values as the schema's types: `?limit=5&archived=true` → `{limit: 5,
 * archived: true}`. A value that does not read as the type stays text, so the schema's own
 * message ("Expected number") names the field instead of a guess here.
 */
export function coerceQuery(params: URLSearchParams, schema: JsonSchema | null): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const obj = objectPart(schema);
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    const field = obj?.properties?.[key];
    const types = field && schema ? typesOf(field, schema) : new Set<string>();
    const one = (v: string, t: Set<string>): unknown => {
      if ((t.has('integer') || t.has('number')) && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
      if (t.has('boolean') && (v === 'true' || v === 'false')) return v === 'true';
      if (t.has('null') && v === 'null') return null;
      return v;
    };
    if (types.has('array') && field && schema) {
      const items = resolve(field, schema).items;
      const itemTypes = items ? typesOf(items, schema) : new Set<string>();
      out[key] = values.flatMap((v) => v.split(',')).filter((v) => v !== '').map((v) => one(v, itemTypes));
    } else {
      out[key] = one(values[values.length - 1]!, types);
    }
  }
  return out;
}

// Small builders for a route's mapInput: the REST request (path parameters, query string, JSON
// body) turned into exactly the object the procedure's strict zod input accepts. Query values
// arrive as text; the ones a schema wants as numbers or lists are converted here, and anything
// the procedure does not name (limit/cursor of a paginated list, format) is left out, so a strict
// input never sees a stray key.
type Raw = { params: Record<string, string>; query: Record<string, unknown>; body: unknown };

/** The JSON body as an object ({} when there is none or it is not an object). */
export function bodyOf(raw: Raw): Record<string, unknown> {
  return raw.body !== null && typeof raw.body === 'object' && !Array.isArray(raw.body) ? (raw.body as Record<string, unknown>) : {};
}

/** A query value as one string (the first when repeated); undefined when absent or empty. */
export function queryText(raw: Raw, key: string): string | undefined {
  const v = raw.query[key];
  const first: unknown = Array.isArray(v) ? (v as unknown[])[0] : v;
  if (first === undefined || first === null || first === '') return undefined;
  if (typeof first === 'string') return first;
  return typeof first === 'number' || typeof first === 'boolean' ? String(first) : undefined;
}

/**
 * A query value as a number when it reads as one; otherwise the text itself, so the procedure's
 * schema answers "Expected a whole number" for the field instead of the route guessing.
 */
export function queryNumber(raw: Raw, key: string): number | string | undefined {
  const s = queryText(raw, key);
  if (s === undefined) return undefined;
  return /^-?\d+(\.\d+)?$/.test(s.trim()) ? Number(s) : s;
}

/** A query value as a list: repeated keys or one comma-separated value. */
export function queryList(raw: Raw, key: string): string[] | undefined {
  const v = raw.query[key];
  if (v === undefined || v === null || v === '') return undefined;
  const parts = (Array.isArray(v) ? v : [v]).flatMap((x) => String(x as string).split(','));
  const list = parts.map((s) => s.trim()).filter((s) => s.length > 0);
  return list.length ? list : undefined;
}

/** A query value as true/false ('true'/'1', 'false'/'0'); other text is passed on for the schema to refuse. */
export function queryBoolean(raw: Raw, key: string): boolean | string | undefined {
  const s = queryText(raw, key);
  if (s === undefined) return undefined;
  if (s === 'true' || s === '1') return true;
  if (s === 'false' || s === '0') return false;
  return s;
}

/** The named query values as text, absent ones left out. */
export function queryTexts(raw: Raw, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) {
    const v = queryText(raw, k);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** The named query values as numbers (see queryNumber), absent ones left out. */
export function queryNumbers(raw: Raw, keys: readonly string[]): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const k of keys) {
    const v = queryNumber(raw, k);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** Drops undefined values, so an absent optional field stays absent (strict schemas accept that). */
export function defined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/**
 * The version of a write that has no body (DELETE): `?version=` when given, else the body's.
 * (An `If-Match` header, when sent, fills the route's versionField in the dispatcher.)
 */
export function versionOf(raw: Raw, key = 'version'): number | string | undefined {
  return queryNumber(raw, key) ?? (bodyOf(raw)[key] as number | string | undefined);
}

/** mapInput for "the body, plus path parameters under the procedure's names": {id: 'runId'} renames. */
export function bodyWithParams(rename: Record<string, string> = {}) {
  return (raw: Raw) => {
    const out: Record<string, unknown> = { ...bodyOf(raw) };
    for (const [param, value] of Object.entries(raw.params)) out[rename[param] ?? param] = value;
    return out;
  };
}

export type { Raw as RawRequest };

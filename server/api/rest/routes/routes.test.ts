import { describe, expect, it } from 'vitest';
import type { ProcedureRoute, RestRoute } from '../route';
import { restRoutes } from './index';
import { inputKeys, procedureInputKeys, procedures } from './procedure-schemas';

const isProcedure = (r: RestRoute): r is ProcedureRoute => 'procedure' in r;
const WRITES = new Set(['POST', 'PUT', 'PATCH']);
const label = (r: RestRoute) => `${r.method} ${r.path}`;
const paramsOf = (path: string) => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
const keysOf = (r: RestRoute) => (isProcedure(r) ? procedureInputKeys(r.procedure) : inputKeys(r.input));

/** Every string anywhere inside a value (mapInput may nest a parameter, e.g. {range}, or rename it). */
function stringsIn(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(stringsIn);
  if (v && typeof v === 'object') return Object.values(v).flatMap(stringsIn);
  return [];
}

/** What mapInput makes of a request with only the path parameters set (each to a recognisable value). */
function mappedWithParams(r: RestRoute) {
  const params = Object.fromEntries(paramsOf(r.path).map((p) => [p, `param-${p}-value`]));
  return { params, input: r.mapInput ? r.mapInput({ params, query: {}, body: {} }) : params };
}

describe('REST route table', () => {
  it('has routes', () => {
    expect(restRoutes.length).toBeGreaterThan(50);
  });

  it.each(restRoutes.filter(isProcedure).map((r) => [label(r), r] as const))('%s calls a procedure of the router that is not a subscription', (_, r) => {
    expect(procedures[r.procedure], `no procedure ${r.procedure}`).toBeDefined();
    expect(procedures[r.procedure]!._def.type).not.toBe('subscription');
  });

  it.each(restRoutes.map((r) => [label(r), r] as const))('%s: every path parameter reaches the input, and mapInput names only input fields', (_, r) => {
    const keys = keysOf(r);
    const { params, input } = mappedWithParams(r);
    for (const [p, value] of Object.entries(params)) {
      if (!r.mapInput) expect(keys, `{${p}} is not a field of the input`).toContain(p);
      else expect(stringsIn(input), `mapInput drops {${p}}`).toContain(value);
    }
    // Strict inputs refuse unknown keys: whatever mapInput builds must be a field of the input.
    if (keys && input && typeof input === 'object') for (const k of Object.keys(input)) expect(keys, `mapInput sets "${k}"`).toContain(k);
  });

  // The OpenAPI document describes a reshaped request by requestSchema: it must say what mapInput reads.
  it.each(restRoutes.filter((r) => r.requestSchema).map((r) => [label(r), r] as const))('%s: requestSchema names the path parameters, and mapInput reads each of its other fields', (_, r) => {
    const keys = inputKeys(r.requestSchema) ?? [];
    const inPath = paramsOf(r.path);
    for (const p of inPath) expect(keys, `{${p}}`).toContain(p);
    const params = Object.fromEntries(inPath.map((p) => [p, `param-${p}-value`]));
    for (const k of keys.filter((x) => !inPath.includes(x))) {
      const marker = `field-${k}-value`;
      const inBody = WRITES.has(r.method);
      const input = r.mapInput!({ params, query: inBody ? {} : { [k]: marker }, body: inBody ? { [k]: marker } : {} });
      expect(stringsIn(input), `mapInput ignores "${k}" of requestSchema`).toContain(marker);
    }
  });

  it.each(restRoutes.filter((r) => r.mapInput && !r.requestSchema).map((r) => [label(r), r] as const))('%s: without requestSchema, the path parameters keep the input\'s names (the document shows the input)', (_, r) => {
    for (const p of paramsOf(r.path)) expect(keysOf(r), `{${p}} is renamed by mapInput: describe the request with requestSchema`).toContain(p);
  });

  it.each(restRoutes.filter((r) => r.versionField).map((r) => [label(r), r] as const))('%s: versionField is a field of the input', (_, r) => {
    expect(keysOf(r)).toContain(r.versionField);
  });

  it('(method, path) pairs are unique', () => {
    const seen = restRoutes.map(label);
    expect(seen.filter((s, i) => seen.indexOf(s) !== i)).toEqual([]);
  });

  it('operationIds are unique and camelCase', () => {
    const ids = restRoutes.map((r) => r.operationId);
    expect(ids.filter((s, i) => ids.indexOf(s) !== i)).toEqual([]);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-zA-Z0-9]*$/);
  });

  it('paths are well-formed: leading slash, lowercase words with dashes, {camelCase} parameters', () => {
    for (const r of restRoutes) expect(r.path, label(r)).toMatch(/^(\/([a-z][a-z0-9-]*|\{[a-z][a-zA-Z0-9]*\}))+$/);
  });

  it('no two templates of one path differ only in parameter names (OpenAPI counts them as one path)', () => {
    const byShape = new Map<string, Set<string>>();
    for (const r of restRoutes) {
      const shape = r.path.replace(/\{[^}]+\}/g, '{}');
      byShape.set(shape, (byShape.get(shape) ?? new Set()).add(r.path));
    }
    expect([...byShape.values()].filter((s) => s.size > 1).map((s) => [...s])).toEqual([]);
  });

  it('HTTP semantics: lists are paginated GETs, idempotent routes are POSTs, creates answer 201 from POST', () => {
    for (const r of restRoutes) {
      if (r.paginated) expect(r.method, label(r)).toBe('GET');
      if (r.idempotent) expect(r.method, label(r)).toBe('POST');
      if (r.successStatus === 201) expect(r.method, label(r)).toBe('POST');
    }
  });

  it('GETs call queries and never a mutation (a GET changes nothing)', () => {
    for (const r of restRoutes.filter(isProcedure)) {
      if (r.method === 'GET') expect(procedures[r.procedure]!._def.type, label(r)).toBe('query');
    }
  });
});

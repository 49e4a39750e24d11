import type { OaMethod, OaOperation, OaParameter, OaSchema, OpenApiDocument } from '@/server/api/rest/openapi-types';

// The reference page's model of the OpenAPI document (pure: document in, rows out), so the page
// renders what /api/v1/openapi.json says and nothing written by hand.

export interface DocParameter {
  name: string;
  in: string;
  required: boolean;
  type: string;
  description: string;
}

export interface DocField {
  /** Dotted path for nested fields: `window.startsAt`. */
  name: string;
  type: string;
  required: boolean;
  /** Limits and choices in words: "1–200 characters", "one of: a, b". */
  rules: string;
  description: string;
  depth: number;
}

export interface DocOperation {
  id: string;
  method: string;
  path: string;
  tag: string;
  summary: string;
  description: string;
  role: string;
  parameters: DocParameter[];
  body: DocField[] | null;
  bodyRequired: boolean;
  statuses: Array<{ status: string; description: string }>;
}

const METHODS: OaMethod[] = ['get', 'post', 'put', 'patch', 'delete'];

export function typeOf(s: OaSchema | undefined): string {
  if (!s) return 'any';
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  const alts = s.anyOf ?? s.oneOf;
  if (alts) return [...new Set(alts.map(typeOf))].join(' | ');
  const t = [s.type ?? []].flat();
  if (t.length === 0) return 'any';
  return t.map((x) => (x === 'array' ? `${typeOf(s.items)}[]` : x === 'string' && s.format ? `string (${s.format})` : x)).join(' | ');
}

export function rulesOf(s: OaSchema | undefined): string {
  if (!s) return '';
  const out: string[] = [];
  const range = (lo: number | undefined, hi: number | undefined, unit: string) => {
    if (lo !== undefined && hi !== undefined) out.push(`${lo}–${hi}${unit}`);
    else if (hi !== undefined) out.push(`at most ${hi}${unit}`);
    else if (lo !== undefined && lo > 0) out.push(`at least ${lo}${unit}`);
  };
  range(s.minLength, s.maxLength, ' characters');
  range(s.minimum, s.maximum, '');
  range(s.minItems, s.maxItems, ' items');
  if (s.pattern) out.push(`matches ${s.pattern}`);
  if (s.default !== undefined) out.push(`default ${JSON.stringify(s.default)}`);
  for (const alt of s.anyOf ?? s.oneOf ?? []) {
    const r = rulesOf(alt);
    if (r) out.push(r);
  }
  return [...new Set(out)].join('; ');
}

const objectOf = (s: OaSchema | undefined): OaSchema | undefined => (s?.properties ? s : (s?.anyOf ?? s?.oneOf ?? []).find((a) => a.properties));

/** A body schema as rows, nested objects indented (up to a depth a person can read). */
export function fieldsOf(s: OaSchema | undefined, prefix = '', depth = 0): DocField[] {
  const obj = objectOf(s);
  if (!obj?.properties) return [];
  const required = new Set(obj.required ?? []);
  const rows: DocField[] = [];
  for (const [name, f] of Object.entries(obj.properties)) {
    const full = prefix ? `${prefix}.${name}` : name;
    const inner = objectOf(f) ?? objectOf(f.items);
    rows.push({ name: full, type: inner && !f.items ? 'object' : typeOf(f), required: required.has(name), rules: rulesOf(f), description: f.description ?? '', depth });
    if (inner && depth < 3) rows.push(...fieldsOf(inner, f.items ? `${full}[]` : full, depth + 1));
  }
  return rows;
}

function parameterOf(p: OaParameter, doc: OpenApiDocument): DocParameter | null {
  const real = p.$ref ? doc.components.parameters[p.$ref.split('/').pop()!] : p;
  if (!real?.name) return null;
  const schema = real.schema ?? Object.values(real.content ?? {})[0]?.schema;
  return { name: real.name, in: real.in ?? '', required: !!real.required, type: typeOf(schema), description: [real.description, rulesOf(schema)].filter(Boolean).join(' — ') };
}

export function operationsOf(doc: OpenApiDocument): DocOperation[] {
  const ops: DocOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op: OaOperation | undefined = item[method];
      if (!op) continue;
      const bodySchema = op.requestBody?.content['application/json']?.schema;
      ops.push({
        id: op.operationId,
        method: method.toUpperCase(),
        path,
        tag: op.tags[0] ?? 'other',
        summary: op.summary,
        description: op.description ?? '',
        role: op['x-min-role'],
        parameters: (op.parameters ?? []).map((p) => parameterOf(p, doc)).filter((p): p is DocParameter => p !== null),
        body: bodySchema ? (fieldsOf(bodySchema).length ? fieldsOf(bodySchema) : [{ name: '(body)', type: typeOf(bodySchema), required: true, rules: rulesOf(bodySchema), description: '', depth: 0 }]) : null,
        bodyRequired: !!op.requestBody?.required,
        statuses: Object.entries(op.responses).map(([status, r]) => ({
          status,
          description: r.description ?? (r.$ref ? (doc.components.responses[r.$ref.split('/').pop()!]?.description ?? '') : ''),
        })),
      });
    }
  }
  return ops;
}

/** Every word of the filter must appear in the method, path, summary, tag, role or operation id. */
export function filterOperations(ops: DocOperation[], q: string): DocOperation[] {
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return ops;
  return ops.filter((o) => {
    const hay = `${o.method} ${o.path} ${o.summary} ${o.tag} ${o.role} ${o.id}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

export function byTag(ops: DocOperation[]): Array<{ tag: string; ops: DocOperation[] }> {
  const groups = new Map<string, DocOperation[]>();
  for (const o of ops) groups.set(o.tag, [...(groups.get(o.tag) ?? []), o]);
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([tag, list]) => ({ tag, ops: list.sort((a, b) => a.path.localeCompare(b.path) || METHODS.indexOf(a.method.toLowerCase() as OaMethod) - METHODS.indexOf(b.method.toLowerCase() as OaMethod)) }));
}

/** The three lines a script starts from. */
export function curlExample(origin: string, path = '/status'): string {
  return ['export SWITCHBACK_TOKEN=sbt_…   # Settings → API tokens', `curl -sS -H "Authorization: Bearer $SWITCHBACK_TOKEN" \\`, `  ${origin}/api/v1${path}`].join('\n');
}

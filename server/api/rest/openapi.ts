import { MAX_LIMIT, DEFAULT_LIMIT } from './pagination';
import { problemType } from './problem';
import type { OpenApiDocument } from './openapi-types';
import type { RestRoute } from './route';
import { DATE_MARK, inputJsonSchemaOf, minRoleOf, objectPart, toJsonSchema, type JsonSchema } from './schema';

// The OpenAPI 3.1 document of /api/v1, generated from the route table and each procedure's own
// zod input schema (JSON Schema 2020-12 is OpenAPI 3.1's schema dialect, so zod's output is used
// as it is). Nothing here is written by hand per endpoint: a route added to restRoutes appears.

type Obj = Record<string, unknown>;
const WRITES = new Set(['POST', 'PUT', 'PATCH']);

const problemSchema = {
  type: 'object',
  description: 'RFC 9457 problem details. A 500 carries only an error id to quote; the details are in the server log.',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string', description: 'What went wrong, in words for a person.' },
    errors: { type: 'object', description: 'Messages per input field.', additionalProperties: { type: 'array', items: { type: 'string' } } },
    currentVersion: { type: 'integer', description: 'On 409/412: the version the row is at now.' },
    errorId: { type: 'string', description: 'On 500: the id of the server log line.' },
  },
};

const ERROR_TEXT: Record<number, string> = {
  400: 'The request cannot be read (not JSON, a bad header).',
  401: 'No token, or the token is unknown, expired, revoked or its user deactivated.',
  403: "The token's role (the lower of the token's and its user's) is below the one needed.",
  404: 'No such endpoint or row.',
  409: 'Conflicts with the current state (e.g. a stale version in the body, an Idempotency-Key still running).',
  412: 'If-Match named a version that is no longer current; `currentVersion` names the current one.',
  413: 'The body is larger than 1 MB.',
  415: 'The body is not application/json.',
  422: 'The input breaks the schema or a rule; `errors` names the fields.',
  428: 'A versioned write without a version: send If-Match or the version field.',
  429: 'Too many requests.',
  503: 'The database did not answer; retry shortly.',
};

const problemRef = (status: number) => ({ $ref: `#/components/responses/Problem${status}` });

/** Hoists `$defs` into components/schemas (refs inside an embedded schema would point at the document root). */
function embed(schema: JsonSchema, prefix: string, components: Obj): JsonSchema {
  const { $schema: _drop, $defs, ...rest } = schema as JsonSchema & { $schema?: string };
  void _drop;
  const rewrite = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(rewrite);
    if (v && typeof v === 'object') {
      const o: Obj = {};
      for (const [k, x] of Object.entries(v)) {
        if (k === DATE_MARK) continue;
        o[k] = k === '$ref' && typeof x === 'string' ? (x === '#' ? `#/components/schemas/${prefix}` : x.replace('#/$defs/', `#/components/schemas/${prefix}_`)) : rewrite(x);
      }
      return o;
    }
    return v;
  };
  for (const [name, def] of Object.entries($defs ?? {})) components[`${prefix}_${name}`] = rewrite(def);
  const out = rewrite(rest) as JsonSchema;
  if (JSON.stringify(out).includes(`"#/components/schemas/${prefix}"`)) components[prefix] = out;
  return out;
}

const pathParams = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
export const openApiPath = (path: string) => path;

function requestSchemaOf(route: RestRoute): JsonSchema | null {
  if (route.requestSchema) return toJsonSchema(route.requestSchema);
  return inputJsonSchemaOf(route);
}

function operation(route: RestRoute, components: Obj): Obj {
  const min = minRoleOf(route);
  const schema = requestSchemaOf(route);
  const embedded = schema ? embed(schema, route.operationId, components) : null;
  const obj = objectPart(embedded);
  const inPath = pathParams(route.path);
  const props = obj?.properties ?? {};
  const required = new Set(obj?.required ?? []);
  const parameters: Obj[] = inPath.map((name) => ({ name, in: 'path', required: true, schema: props[name] ?? { type: 'string' } }));
  let requestBody: Obj | undefined;
  const rest = Object.entries(props).filter(([k]) => !inPath.includes(k));
  if (WRITES.has(route.method)) {
    if (embedded && (rest.length || !obj)) {
      const bodySchema: JsonSchema = obj
        ? { ...obj, properties: Object.fromEntries(rest), required: [...required].filter((k) => !inPath.includes(k) && k !== route.versionField) }
        : embedded;
      if (Array.isArray(bodySchema.required) && bodySchema.required.length === 0) delete bodySchema.required;
      requestBody = { required: [...required].some((k) => !inPath.includes(k) && k !== route.versionField), content: { 'application/json': { schema: bodySchema } } };
    }
  } else {
    for (const [name, s] of rest) {
      if (route.paginated && (name === 'limit' || name === 'cursor')) continue;
      const isObject = typeof s === 'object' && (s.type === 'object' || s.type === 'array' && !!s.items?.properties);
      parameters.push(isObject ? { name, in: 'query', required: required.has(name), content: { 'application/json': { schema: s } } } : { name, in: 'query', required: required.has(name), schema: s });
    }
  }
  if (route.paginated) parameters.push({ $ref: '#/components/parameters/Limit' }, { $ref: '#/components/parameters/Cursor' });
  if (route.versionField) parameters.push({ $ref: '#/components/parameters/IfMatch' });
  if (route.idempotent) parameters.push({ $ref: '#/components/parameters/IdempotencyKey' });

  const status = String(route.successStatus ?? 200);
  const content = route.contentType
    ? typeof route.contentType === 'string'
      ? { [route.contentType]: { schema: { type: 'string' } } }
      : { 'application/json': { schema: {} }, 'text/plain': { schema: { type: 'string' } } }
    : {
        'application/json': {
          schema: route.paginated
            ? { type: 'object', required: ['items', 'nextCursor'], properties: { items: { type: 'array', items: {} }, nextCursor: { type: ['string', 'null'], description: 'Pass as `cursor` for the next page; null on the last page.' } } }
            : {},
        },
      };
  const success: Obj = { description: route.outputDescription ?? route.summary, content };
  const headers: Obj = {};
  if (route.method === 'GET') headers.ETag = { description: 'The version, for If-Match on a later write (when the answer is versioned).', schema: { type: 'string' } };
  if (route.paginated) headers.Link = { description: 'The next page: `<…?cursor=…>; rel="next"`.', schema: { type: 'string' } };
  if (route.idempotent) headers['Idempotent-Replayed'] = { description: '`true` when this is the remembered answer of an earlier request with the same key.', schema: { type: 'string' } };
  if (Object.keys(headers).length) success.headers = headers;

  const responses: Obj = { [status]: success };
  const errors = [400, ...(min === 'public' ? [] : [401, 403]), 404, 422, 429, 503];
  if (WRITES.has(route.method)) errors.push(409, 413, 415);
  if (route.versionField) errors.push(409, 412, 428);
  for (const s of [...new Set(errors)].sort()) responses[String(s)] = problemRef(s);
  responses.default = { $ref: '#/components/responses/Problem500' };

  const roleWords = min === 'public' ? 'Public: no token needed.' : `Needs the **${min}** role (or higher).`;
  return {
    operationId: route.operationId,
    summary: route.summary,
    description: [roleWords, 'procedure' in route ? `Calls \`${route.procedure}\`.` : ''].filter(Boolean).join(' '),
    tags: [route.tag],
    'x-min-role': min,
    ...(min === 'public' ? { security: [] } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses,
  };
}

export function openApiDocument(routes: readonly RestRoute[]): OpenApiDocument {
  const components: Obj = { Problem: problemSchema };
  const paths: Record<string, Obj> = {};
  for (const route of routes) {
    const item = (paths[openApiPath(route.path)] ??= {});
    item[route.method.toLowerCase()] = operation(route, components);
  }
  const responses: Obj = {};
  for (const [s, text] of Object.entries({ ...ERROR_TEXT, 500: 'Unexpected; the answer carries only an error id.' })) {
    responses[`Problem${s}`] = { description: text, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' }, example: { type: problemType(Number(s)), title: 'See status', status: Number(s), detail: text } } } };
  }
  // Only what the operations use (an unused component is noise to a reader, and a lint warning).
  const used = JSON.stringify(paths);
  const usedOnly = (kind: string, all: Obj) => Object.fromEntries(Object.entries(all).filter(([name]) => used.includes(`"#/components/${kind}/${name}"`)));
  const tags = [...new Set(routes.map((r) => r.tag))].sort().map((name) => ({ name, description: `Endpoints for ${name}.` }));
  const doc = {
    openapi: '3.1.0',
    info: {
      title: 'Switchback API',
      version: '1',
      description:
        'The REST API of Switchback: every console action, with the same roles, validation and audit. Authenticate with an API token (Settings → API tokens): `Authorization: Bearer sbt_…`. Errors are application/problem+json.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Switchback' },
    },
    servers: [{ url: '/api/v1' }],
    security: [{ bearer: [] }],
    tags,
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'sbt_<8>_<43>', description: 'An API token, created under Settings → API tokens.' } },
      schemas: components,
      responses: usedOnly('responses', responses),
      parameters: usedOnly('parameters', {
        IfMatch: { name: 'If-Match', in: 'header', required: false, description: 'The version the change is based on, as the ETag gives it: "7". A stale one is refused with 412.', schema: { type: 'string', pattern: '^(W/)?"?[0-9]{1,9}"?$' } },
        IdempotencyKey: { name: 'Idempotency-Key', in: 'header', required: false, description: 'Retry-safe start: the same key and body within 24 h replays the first answer.', schema: { type: 'string', minLength: 1, maxLength: 200 } },
        Limit: { name: 'limit', in: 'query', required: false, description: `Items per page (default ${DEFAULT_LIMIT}).`, schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT } },
        Cursor: { name: 'cursor', in: 'query', required: false, description: 'nextCursor of the previous page.', schema: { type: 'string', maxLength: 1000 } },
      }),
    },
  };
  return doc as unknown as OpenApiDocument;
}

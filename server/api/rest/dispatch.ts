import { TRPCError } from '@trpc/server';
import { timeoutsOf } from '../../db/client';
import { databaseUnavailable } from '../../db/unavailable';
import type { Db } from '../../db/client';
import { authenticateBearer, bearerRefusalWords } from '../../auth/api-tokens';
import { hasRole } from '../../auth/roles';
import type { SessionUser } from '../../auth/sessions';
import { clientAddress } from '../context';
import { createCaller } from '../root';
import type { Context } from '../trpc';
import { readJsonBody } from './body';
import { beginIdempotent, checkKey, finishIdempotent, releaseIdempotent, requestHash, type StoredAnswer } from './idempotency';
import { matchRoute } from './match';
import { openApiDocument } from './openapi';
import { listIn, nextLink, pageOf, takePageRequest, type PageRequest } from './pagination';
import { problem, problemFromError, problemResponse, type Problem } from './problem';
import { REST_PREFIX, type RestRoute } from './route';
import { restRoutes } from './routes';
import { coerceQuery, inputJsonSchemaOf, isHandlerRoute, minRoleOf, reviveDates } from './schema';
import { applyIfMatch, etag, parseIfMatch, versionOf } from './versioning';

export interface RestOptions {
  db: Db;
  config: Context['config'];
  /** The route table (tests pass their own); default `restRoutes`. */
  routes?: readonly RestRoute[];
  now?: () => Date;
}

const isProblem = (v: unknown): v is Problem => !!v && typeof v === 'object' && 'status' in v && 'title' in v && 'type' in v;
const WRITES = new Set(['POST', 'PUT', 'PATCH']);

/** JSON as a script expects it: dates as ISO strings (Date#toJSON), bigints as decimal strings. */
export const toJson = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));

/**
 * /api/v1 as app/api/v1/[...path]/route.ts serves it and the tests call it: route → token →
 * body → input (path, query, body, If-Match) → the tRPC procedure through a caller (its own
 * role tier, zod input, service and audit) → JSON, ETag, pagination, Idempotency-Key.
 */
export async function handleRestRequest(req: Request, opts: RestOptions): Promise<Response> {
  const url = new URL(req.url);
  const path = url.pathname.startsWith(REST_PREFIX) ? url.pathname.slice(REST_PREFIX.length) || '/' : url.pathname;
  try {
    return await handle(req, url, path, opts);
  } catch (err) {
    // Outside the procedures (token lookup, idempotency keys) a database that does not answer is
    // the same 503 in words that tRPC's middleware gives behind them, not a 500.
    const unavailable = databaseUnavailable(err, timeoutsOf(opts.db));
    return problemResponse(problemFromError(unavailable ?? err, { ifMatch: false, where: `${req.method} ${path}` }));
  }
}

async function handle(req: Request, url: URL, path: string, opts: RestOptions): Promise<Response> {
  const routes = opts.routes ?? restRoutes;
  const now = opts.now?.() ?? new Date();
  if ((req.method === 'GET' || req.method === 'HEAD') && path === '/openapi.json') {
    return new Response(req.method === 'HEAD' ? null : toJson(openApiDocument(routes)), { headers: { 'content-type': 'application/json', 'cache-control': 'no-cache' } });
  }
  const match = matchRoute(routes, req.method, path);
  if (!match) return problemResponse(problem(404, `There is no ${REST_PREFIX}${path.slice(0, 200)}; the list of endpoints is ${REST_PREFIX}/openapi.json.`));
  if ('allow' in match) {
    return problemResponse(problem(405, `${REST_PREFIX}${path.slice(0, 200)} takes ${match.allow.join(', ')}, not ${req.method.slice(0, 10)}.`), { allow: match.allow.join(', ') });
  }
  const { route, params } = match;
  const where = `${route.method} ${route.path}`;
  const ip = clientAddress(req.headers);
  const min = minRoleOf(route);

  let user: SessionUser | null = null;
  if (min !== 'public') {
    const auth = await authenticateBearer(opts.db, req.headers.get('authorization'), ip, now);
    if ('refusal' in auth) {
      const challenge = auth.refusal === 'missing' ? 'Bearer realm="switchback"' : 'Bearer realm="switchback", error="invalid_token"';
      return problemResponse(problem(401, bearerRefusalWords[auth.refusal]), { 'www-authenticate': challenge });
    }
    user = auth.user;
    // Checked here for procedures too (their tier checks again): a caller below the role learns
    // only that, before anything about its input (a 428 or 422 would tell more than 403).
    if (!hasRole(user.role, min)) {
      return problemResponse(problem(403, `This needs the ${min} role; you are ${user.role}.`));
    }
  }

  // Input: path parameters win over the query and the body; the body over the query.
  const schema = inputJsonSchemaOf(route);
  const query = coerceQuery(url.searchParams, schema);
  let page: PageRequest | null = null;
  if (route.paginated) {
    const p = takePageRequest(query);
    if (isProblem(p)) return problemResponse(p);
    page = p;
  }
  let body: unknown;
  let rawBody = '';
  // A DELETE may carry a JSON body too (a reason, a version): read it when it says it has one.
  if (WRITES.has(req.method) || (req.method === 'DELETE' && req.headers.get('content-type') !== null)) {
    const b = await readJsonBody(req);
    if (!b.ok) return problemResponse(b.problem);
    body = b.value;
    rawBody = b.raw;
  }
  const bodyObj = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
  for (const [name, value] of Object.entries(params)) {
    const given = bodyObj?.[name];
    if (given !== undefined && !((typeof given === 'string' || typeof given === 'number') && String(given) === value)) {
      return problemResponse(problem(422, `The path names ${name} ${value} but the body's ${name} is ${JSON.stringify(given).slice(0, 80)}.`, { errors: { [name]: ['Differs from the path'] } }));
    }
  }
  let input: unknown = route.mapInput
    ? route.mapInput({ params, query, body })
    : body !== undefined && !bodyObj
      ? body
      : { ...query, ...bodyObj, ...params };

  const ifMatch = parseIfMatch(req.headers.get('if-match'));
  if (isProblem(ifMatch)) return problemResponse(ifMatch);
  if (route.versionField && (WRITES.has(req.method) || req.method === 'DELETE')) {
    const applied = applyIfMatch(input, route.versionField, ifMatch, schema);
    if (isProblem(applied)) return problemResponse(applied);
    input = applied.input;
  }
  if (!schema && input && typeof input === 'object' && Object.keys(input).length === 0) input = undefined;
  if (schema) input = reviveDates(input, schema, schema);

  const ctx: Context = {
    db: opts.db,
    user,
    token: undefined,
    resHeaders: new Headers(),
    meta: { ip, userAgent: (req.headers.get('user-agent') ?? '').slice(0, 300) },
    config: opts.config,
  };

  // Idempotency-Key: remembered per user; needs a user (a public route has nothing to start).
  // Sent to a route that does not remember keys, it would protect nothing: say so instead.
  if (!route.idempotent && req.headers.get('idempotency-key') !== null) {
    return problemResponse(problem(400, `${route.method} ${REST_PREFIX}${route.path} does not take an Idempotency-Key (only the endpoints that start something do; see ${REST_PREFIX}/openapi.json).`, { errors: { 'Idempotency-Key': ['Not taken by this endpoint'] } }));
  }
  const key = route.idempotent && user ? req.headers.get('idempotency-key') : null;
  let keyId: string | null = null;
  if (key !== null && user) {
    const bad = checkKey(key);
    if (bad) return problemResponse(bad);
    const begun = await beginIdempotent(opts.db, user.id, key, where, requestHash([req.method, url.pathname, url.search, String(ifMatch ?? ''), rawBody]), now);
    if (begun.kind === 'refuse') return problemResponse(begun.problem);
    if (begun.kind === 'replay') return answerResponse(begun.answer, { 'idempotent-replayed': 'true' });
    keyId = begun.id;
  }

  let output: unknown;
  try {
    output = await invoke(route, ctx, input);
  } catch (err) {
    // Refused or failed: the command changed nothing, so a corrected retry may reuse the key.
    if (keyId) await releaseIdempotent(opts.db, keyId).catch(() => undefined);
    return problemResponse(problemFromError(err, { ifMatch: ifMatch !== null, where }));
  }
  let answer: Answer;
  try {
    answer = shape(route, output, input, page, url);
  } catch (err) {
    // The action happened; only its answer could not be written. The key stays taken (its row
    // is abandoned after a while) so a retry does not run the action twice.
    return problemResponse(problemFromError(err, { ifMatch: ifMatch !== null, where }));
  }
  if (keyId) {
    // The action committed: a failure to remember its answer must not turn it into an error.
    await finishIdempotent(opts.db, keyId, answer).catch((err: unknown) => console.error(`[rest] ${where}: could not store the answer of Idempotency-Key ${keyId}:`, err));
  }

  // No 304 for If-None-Match: the ETag is the row's version, and many answers change without a
  // new version (approvals below quorum, analyses, measured traffic), so "not modified" would lie.
  const res = answerResponse(answer, page && answer.linkNext ? { link: answer.linkNext } : {});
  return req.method === 'HEAD' ? new Response(null, { status: res.status, headers: res.headers }) : res;
}

async function invoke(route: RestRoute, ctx: Context, input: unknown): Promise<unknown> {
  if (isHandlerRoute(route)) {
    const parsed = await route.input.safeParseAsync(input ?? {});
    if (!parsed.success) throw new TRPCError({ code: 'BAD_REQUEST', cause: parsed.error });
    return route.handler(ctx, parsed.data);
  }
  // The caller is a proxy: walking the dotted path and calling runs that procedure with ctx.
  let fn: unknown = createCaller(ctx);
  for (const part of route.procedure.split('.')) fn = (fn as Record<string, unknown>)[part];
  return (fn as (i: unknown) => Promise<unknown>)(input);
}

type Answer = StoredAnswer & { linkNext?: string };

function shape(route: RestRoute, output: unknown, input: unknown, page: PageRequest | null, url: URL): Answer {
  const mapped = route.mapOutput ? route.mapOutput(output, input) : output;
  const type = typeof route.contentType === 'function' ? route.contentType(input) : route.contentType;
  const version = versionOf(output, route.etagOf);
  const tag = version !== undefined ? etag(version) : null;
  if (type && typeof mapped === 'string') {
    return { status: route.successStatus ?? 200, contentType: type, body: mapped, etag: tag };
  }
  let body: unknown = mapped;
  let linkNext: string | undefined;
  if (page && route.paginated) {
    const all = listIn(mapped, route.paginated.itemsAt) ?? [];
    const p = pageOf(all, page, route.paginated.idOf);
    body = p;
    if (p.nextCursor) linkNext = nextLink(url, p.nextCursor);
  }
  if (body === undefined) return { status: route.successStatus ?? 204, contentType: null, body: null, etag: tag };
  return { status: route.successStatus ?? 200, contentType: 'application/json', body: toJson(body), etag: tag, ...(linkNext ? { linkNext } : {}) };
}

function answerResponse(a: StoredAnswer, extra: Record<string, string>): Response {
  const headers = new Headers(extra);
  // Nothing is cached: the ETag names the version for If-Match, not the bytes of the answer.
  headers.set('cache-control', 'no-store');
  if (a.contentType) headers.set('content-type', a.contentType);
  if (a.etag) headers.set('etag', a.etag);
  const status = a.status === 204 || a.body === null ? (a.status === 200 ? 204 : a.status) : a.status;
  return new Response(status === 204 ? null : a.body, { status, headers });
}

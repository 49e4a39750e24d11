// superjson, with the request side checked before superjson sees it. superjson trusts its `meta`:
// `{"json":{},"meta":{"values":"x"}}` recursed until "Maximum call stack size exceeded", and a
// deep or wide meta costs time in proportion. The shape the tRPC client sends is small and known,
// so anything else is refused with a 400 in words, in time proportional to its size.
import { TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { serializeShared } from '../live/shared-message';

/** Value annotations an API input may carry: what our inputs use (Date, undefined, NaN…). */
// No procedure takes a bigint: accepting one would only make the server parse long digit strings.
const ALLOWED_TYPES = new Set(['undefined', 'Date', 'number']);
const MAX_DEPTH = 32;
const MAX_NODES = 10_000;
const MAX_PATH = 1_000;

export class BadMetaError extends Error {}

function fail(why: string): never {
  throw new BadMetaError(why);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

interface Budget {
  nodes: number;
}

function count(budget: Budget) {
  if (--budget.nodes < 0) fail(`more than ${MAX_NODES} annotations`);
}

function checkKey(key: string) {
  if (key.length > MAX_PATH) fail('an annotation path is too long');
}

/** `[type]` or `[type, { key: tree }]`. */
function checkTree(tree: unknown, depth: number, budget: Budget): void {
  count(budget);
  if (depth > MAX_DEPTH) fail(`annotations nested deeper than ${MAX_DEPTH}`);
  if (!Array.isArray(tree) || tree.length < 1 || tree.length > 2) fail('an annotation is not [type] or [type, children]');
  const [type, children] = tree as [unknown, unknown];
  if (typeof type !== 'string' || !ALLOWED_TYPES.has(type)) fail(`unsupported value type ${JSON.stringify(type)?.slice(0, 40)}`);
  if (tree.length === 2) checkChildren(children, depth + 1, budget);
}

function checkChildren(children: unknown, depth: number, budget: Budget): void {
  if (!isRecord(children)) fail('annotation children are not an object');
  for (const [key, child] of Object.entries(children)) {
    checkKey(key);
    checkTree(child, depth, budget);
  }
}

function checkPaths(paths: unknown, budget: Budget): void {
  if (!Array.isArray(paths)) fail('referential equalities are not lists of paths');
  for (const p of paths) {
    count(budget);
    if (typeof p !== 'string') fail('a referential path is not text');
    checkKey(p);
  }
}

function checkEqualities(eq: unknown, budget: Budget): void {
  if (Array.isArray(eq)) {
    if (eq.length < 1 || eq.length > 2) fail('referential equalities have the wrong shape');
    checkPaths(eq[0], budget);
    if (eq.length === 2) checkEqualityRecord(eq[1], budget);
    return;
  }
  checkEqualityRecord(eq, budget);
}

function checkEqualityRecord(eq: unknown, budget: Budget): void {
  if (!isRecord(eq)) fail('referential equalities are not an object');
  for (const [key, paths] of Object.entries(eq)) {
    checkKey(key);
    checkPaths(paths, budget);
  }
}

/** Throws BadMetaError unless `payload` is `{ json, meta? }` with a meta of the known, bounded shape. */
export function checkSuperjsonPayload(payload: unknown): void {
  if (!isRecord(payload)) fail('expected { "json": … }');
  const meta = payload.meta;
  if (meta === undefined) return;
  if (!isRecord(meta)) fail('"meta" is not an object');
  const budget = { nodes: MAX_NODES };
  for (const [key, value] of Object.entries(meta)) {
    if (key === 'values') {
      // The root itself annotated (`[type]`) or annotations per key of the root object.
      if (Array.isArray(value)) checkTree(value, 0, budget);
      else checkChildren(value, 0, budget);
    } else if (key === 'referentialEqualities') checkEqualities(value, budget);
    else if (key === 'v') {
      if (typeof value !== 'number') fail('"meta.v" is not a number');
    } else fail(`unknown "meta.${key.slice(0, 40)}"`);
  }
}

function deserializeInput(payload: unknown): unknown {
  try {
    checkSuperjsonPayload(payload);
    return superjson.deserialize(payload as Parameters<typeof superjson.deserialize>[0]);
  } catch (err) {
    const why = err instanceof BadMetaError ? err.message : 'it could not be decoded';
    throw new TRPCError({ code: 'BAD_REQUEST', message: `The request's input is not valid superjson: ${why}.`, cause: err });
  }
}

/** The transformer of the API: superjson both ways, the incoming side checked first. */
export const safeSuperjson = {
  input: { serialize: (v: unknown) => superjson.serialize(v), deserialize: deserializeInput },
  // A feed message sent to many subscribers is serialised once (server/live/shared-message.ts).
  output: { serialize: (v: unknown) => serializeShared(v, (x) => superjson.serialize(x)), deserialize: (v: unknown) => superjson.deserialize(v as Parameters<typeof superjson.deserialize>[0]) },
};

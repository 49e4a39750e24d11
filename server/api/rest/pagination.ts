import { problem, type Problem } from './problem';

// Cursor pagination of list answers. The cursor is opaque to clients (base64url of the last
// item's id and position): after the item with that id when it is still there, else after its
// old position, so an item deleted between two pages does not restart the walk.

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

export interface PageRequest {
  limit: number;
  after: { id: string; i: number } | null;
}

interface CursorBody {
  id: string;
  i: number;
}

export const encodeCursor = (c: CursorBody) => Buffer.from(JSON.stringify(c)).toString('base64url');

function decodeCursor(cursor: string): CursorBody | null {
  if (cursor.length > 1000 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<CursorBody>;
    return typeof v.id === 'string' && Number.isInteger(v.i) && v.i! >= 0 ? { id: v.id, i: v.i! } : null;
  } catch {
    return null;
  }
}

/** Takes `limit` and `cursor` out of the query (the procedure never sees them). */
export function takePageRequest(query: Record<string, unknown>): PageRequest | Problem {
  const { limit: rawLimit, cursor: rawCursor } = query;
  delete query.limit;
  delete query.cursor;
  const errors: Record<string, string[]> = {};
  let limit = DEFAULT_LIMIT;
  if (rawLimit !== undefined) {
    const n = typeof rawLimit === 'number' ? rawLimit : Number(rawLimit);
    if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT) errors.limit = [`A whole number from 1 to ${MAX_LIMIT}`];
    else limit = n;
  }
  let after: PageRequest['after'] = null;
  if (rawCursor !== undefined && rawCursor !== '') {
    after = typeof rawCursor === 'string' ? decodeCursor(rawCursor) : null;
    if (!after) errors.cursor = ['Not a cursor this API gave out: pass nextCursor from the previous page as it is'];
  }
  if (Object.keys(errors).length) return problem(422, 'Some query parameters need attention.', { errors });
  return { limit, after };
}

const defaultIdOf = (item: unknown): string => {
  if (item && typeof item === 'object') {
    const o = item as Record<string, unknown>;
    for (const k of ['id', 'runId', 'name']) if (typeof o[k] === 'string' || typeof o[k] === 'number') return String(o[k]);
  }
  return '';
};

export interface Page {
  items: unknown[];
  nextCursor: string | null;
}

/** One page of `all`. */
export function pageOf(all: unknown[], req: PageRequest, idOf: (item: unknown) => string = defaultIdOf): Page {
  let start = 0;
  if (req.after) {
    const found = req.after.id ? all.findIndex((item) => idOf(item) === req.after!.id) : -1;
    start = found >= 0 ? found + 1 : Math.min(req.after.i + 1, all.length);
  }
  const items = all.slice(start, start + req.limit);
  const lastIndex = start + items.length - 1;
  const more = lastIndex + 1 < all.length;
  return { items, nextCursor: more && items.length ? encodeCursor({ id: idOf(items[items.length - 1]), i: lastIndex }) : null };
}

/** The list inside an answer: at `itemsAt`, or the answer itself. */
export function listIn(output: unknown, itemsAt?: string): unknown[] | null {
  const v = itemsAt ? (output as Record<string, unknown> | null)?.[itemsAt] : output;
  return Array.isArray(v) ? v : null;
}

export function nextLink(url: URL, nextCursor: string): string {
  const next = new URL(url);
  next.searchParams.set('cursor', nextCursor);
  return `<${next.pathname}${next.search}>; rel="next"`;
}

// The API over HTTP for integration tests: the same handler as app/api/trpc/[trpc]/route.ts
// (request guard, superjson, batching, error formatter), with this file's database behind it.
import superjson from 'superjson';
import { handleTrpcRequest } from '../server/api/handler';
import type { Context } from '../server/api/trpc';
import { getSessionUser, readCookie, SESSION_COOKIE } from '../server/auth/sessions';
import { makeUser } from '../server/db/factories';
import type { Role } from '../server/db/generated/enums';
import type { TestDb } from './context';

export const ORIGIN = 'http://127.0.0.1:3000';

export interface HttpResult {
  status: number;
  text: string;
  json: unknown;
  headers: Headers;
}

export function httpApi(t: TestDb, opts: { publicUrl?: string } = {}) {
  async function send(path: string, init: RequestInit & { query?: string } = {}): Promise<HttpResult> {
    const url = `${ORIGIN}/api/trpc/${path}${init.query ? `?${init.query}` : ''}`;
    const res = await handleTrpcRequest(new Request(url, init), {
      publicUrl: opts.publicUrl,
      createContext: async (req, resHeaders): Promise<Context> => {
        const token = readCookie(req.headers.get('cookie'), SESSION_COOKIE);
        return { db: t.db, user: await getSessionUser(t.db, token), token, resHeaders, meta: { ip: '', userAgent: 'test' }, config: { sessionHours: 1, cookieSecure: false } };
      },
    });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      // Not JSON (an SSE stream, say): the text is there to read.
    }
    return { status: res.status, text, json, headers: res.headers };
  }

  /** A mutation as the console sends it: JSON, from its own origin. */
  function mutate(path: string, input: unknown, headers: Record<string, string> = {}) {
    return send(path, { method: 'POST', body: JSON.stringify(superjson.serialize(input)), headers: { 'content-type': 'application/json', origin: ORIGIN, ...headers } });
  }

  /** A query as the console sends it: GET with the input in the URL. */
  function query(path: string, input: unknown, headers: Record<string, string> = {}) {
    return send(path, { method: 'GET', query: `input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`, headers });
  }

  /** A session cookie for a new user of `role`. */
  async function signIn(role: Role): Promise<string> {
    const { user, password } = await makeUser(t.db, { role });
    const r = await mutate('auth.login', { name: user.name, password });
    if (r.status !== 200) throw new Error(`sign-in failed: ${r.text}`);
    return r.headers.get('set-cookie')!.split(';')[0]!;
  }

  return { send, mutate, query, signIn };
}

/** The error envelope of a tRPC answer, when it is one. */
export function errorOf(json: unknown): { message: string; data: { code: string; httpStatus: number; errorId: string | null; fieldErrors: Record<string, string[]> | null } } | undefined {
  const one = Array.isArray(json) ? (json[0] as unknown) : json;
  return (one as { error?: { json: never } } | null)?.error?.json;
}

import type { Db } from '../server/db/client';
import type { Role } from '../server/db/generated/enums';
import { makeUser } from '../server/db/factories';
import { newTokenSecret } from '../server/auth/api-tokens';
import { handleRestRequest } from '../server/api/rest/dispatch';
import type { RestRoute } from '../server/api/rest/route';

// API tokens and REST calls for tests: a user with a token made directly in the table (no
// token service needed), and a call through the very handler app/api/v1/[...path] serves.

export interface TokenOptions {
  /** The user's role; default the token's role. */
  userRole?: Role;
  name?: string;
  expiresAt?: Date;
  revoked?: boolean;
  /** An existing user to give the token to. */
  user?: { id: string; name: string; role: Role };
}

export async function tokenFor(db: Db, role: Role, o: TokenOptions = {}) {
  const user = o.user ?? (await makeUser(db, { role: o.userRole ?? role })).user;
  const { secret, prefix, hash } = newTokenSecret();
  const createdAt = new Date(Date.now() - 3600_000);
  const token = await db.apiToken.create({
    data: {
      userId: user.id,
      name: o.name ?? `t-${prefix.toLowerCase()}`,
      tokenHash: hash,
      prefix,
      role,
      createdAt,
      expiresAt: o.expiresAt ?? new Date(Date.now() + 86_400_000),
      ...(o.revoked ? { revokedAt: new Date(), revokedByName: user.name } : {}),
    },
  });
  return { secret, token, user, authorization: `Bearer ${secret}` };
}

export interface RestCallOptions {
  token?: string;
  body?: unknown;
  /** A raw body (sent as it is, with `contentType`). */
  rawBody?: string;
  contentType?: string;
  headers?: Record<string, string>;
  routes?: readonly RestRoute[];
}

/** A JSON answer as tests read it: the problem fields, a page, or anything else. */
export interface RestJson {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: Record<string, string[]>;
  currentVersion?: number;
  errorId?: string;
  items?: Array<Record<string, unknown>>;
  nextCursor?: string | null;
  [k: string]: unknown;
}

export interface RestAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON answer (a problem on errors); {} for an empty or non-JSON body. */
  json: RestJson;
}

export async function restCall(db: Db, method: string, path: string, o: RestCallOptions = {}): Promise<RestAnswer> {
  const headers = new Headers({ 'x-forwarded-for': '127.0.0.1', 'user-agent': 'vitest', ...o.headers });
  if (o.token) headers.set('authorization', o.token.startsWith('Bearer ') ? o.token : `Bearer ${o.token}`);
  let body: string | undefined;
  if (o.rawBody !== undefined) {
    body = o.rawBody;
    if (o.contentType) headers.set('content-type', o.contentType);
  } else if (o.body !== undefined) {
    body = JSON.stringify(o.body);
    headers.set('content-type', o.contentType ?? 'application/json');
  }
  const req = new Request(`http://127.0.0.1/api/v1${path}`, { method, headers, body });
  const res = await handleRestRequest(req, { db, config: { sessionHours: 1, cookieSecure: false }, ...(o.routes ? { routes: o.routes } : {}) });
  const text = await res.text();
  let json: RestJson = {};
  try {
    if (text) json = JSON.parse(text) as RestJson;
  } catch {
    json = {};
  }
  return { status: res.status, headers: res.headers, text, json };
}

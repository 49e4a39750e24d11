// What /api/trpc refuses before tRPC parses anything (pure: a request's method, URL and headers in,
// a refusal or null out).
//
// Cross-site request forgery: a multipart form on another port of the same host ran `sim.clear`
// with the victim's cookie (SameSite=Lax does not help: another port is the same site). So a
// mutation (tRPC POST) must be JSON — a form cannot send application/json, and a cross-origin
// fetch that does needs a CORS preflight we never answer — and must come from this origin:
//   - an `Origin` header must name this origin (its host equal to the Host header, or the
//     configured public URL);
//   - a `Sec-Fetch-Site` header must be `same-origin` (or `none`: typed or bookmarked by the user);
//   - a request with neither is not from a browser (every current browser sends Origin on POST and
//     Sec-Fetch-Site on every request), so it cannot carry a forged cookie: a CLI or script keeps
//     working, with or without a session cookie. Go's net/http CrossOriginProtection decides alike.
// Batches are capped: one GET of 200 calls cost 2.9 s and 4.3 MB.

export const MAX_BATCH = 20;
export const TRPC_ENDPOINT = '/api/trpc';

export interface GuardRequest {
  method: string;
  url: string;
  headers: Headers;
}

export interface GuardOptions {
  /** SWITCHBACK_PUBLIC_URL: the origin browsers see when Switchback sits behind a proxy. */
  publicUrl?: string | undefined;
}

export type RefusalCode = 'BAD_REQUEST' | 'FORBIDDEN' | 'UNSUPPORTED_MEDIA_TYPE';
export interface Refusal {
  status: 400 | 403 | 415;
  code: RefusalCode;
  message: string;
}

const refuse = (status: Refusal['status'], code: RefusalCode, message: string): Refusal => ({ status, code, message });

/** The media type of a Content-Type header, lower case, without parameters. */
function mediaType(contentType: string | null): string {
  return (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

/** Whether a browser's `Origin` header names this site. */
export function isOwnOrigin(origin: string, req: GuardRequest, opts: GuardOptions): boolean {
  if (opts.publicUrl && hostOf(opts.publicUrl) !== null && new URL(opts.publicUrl).origin === origin) return true;
  // "null" (a sandboxed frame, a file: page) or anything unparsable is never this site.
  const host = hostOf(origin);
  const own = req.headers.get('host') ?? hostOf(req.url);
  return host !== null && own !== null && host === own.toLowerCase();
}

function batchSize(url: URL): number {
  if (url.searchParams.get('batch') !== '1') return 1;
  const paths = url.pathname.startsWith(`${TRPC_ENDPOINT}/`) ? url.pathname.slice(TRPC_ENDPOINT.length + 1) : url.pathname;
  return paths.split(',').length;
}

function crossOriginRefusal(req: GuardRequest, opts: GuardOptions): Refusal | null {
  const origin = req.headers.get('origin');
  const site = req.headers.get('sec-fetch-site');
  const message = 'This change was sent from another site (or another port of this host); Switchback accepts changes only from its own pages.';
  if (origin !== null && !isOwnOrigin(origin, req, opts)) return refuse(403, 'FORBIDDEN', message);
  if (site !== null && site !== 'same-origin' && site !== 'none') return refuse(403, 'FORBIDDEN', message);
  return null;
}

export function refuseRequest(req: GuardRequest, opts: GuardOptions = {}): Refusal | null {
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    return refuse(400, 'BAD_REQUEST', 'The request URL is not valid.');
  }
  const calls = batchSize(url);
  if (calls > MAX_BATCH) return refuse(400, 'BAD_REQUEST', `A batch may hold at most ${MAX_BATCH} calls; this one has ${calls}. Split it into smaller batches.`);
  if (req.method === 'POST') {
    const type = mediaType(req.headers.get('content-type'));
    if (type !== 'application/json') {
      return refuse(415, 'UNSUPPORTED_MEDIA_TYPE', `Changes are sent as application/json${type ? `, not ${type.slice(0, 80)}` : ''}.`);
    }
    return crossOriginRefusal(req, opts);
  }
  return null;
}

const JSON_RPC_CODES: Record<RefusalCode, number> = { BAD_REQUEST: -32600, FORBIDDEN: -32003, UNSUPPORTED_MEDIA_TYPE: -32015 };

/** The refusal as tRPC would answer it (superjson envelope), so the client shows the message. */
export function refusalResponse(r: Refusal, headers?: HeadersInit): Response {
  const body = { error: { json: { message: r.message, code: JSON_RPC_CODES[r.code], data: { code: r.code, httpStatus: r.status, fieldErrors: null, details: null, errorId: null } } } };
  return Response.json(body, { status: r.status, headers });
}

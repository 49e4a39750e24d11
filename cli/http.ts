// The CLI's only way to the server: HTTP to /api/v1 with the bearer token, like any client. A
// failure becomes a CliError (words + exit code); a response body is bounded before it is read.
import { randomUUID } from 'node:crypto';
import { apiError, CliError } from './errors';
import { EXIT } from './exit-codes';

const MAX_BODY_BYTES = 20 * 1024 * 1024;
const REQUEST_TIMEOUT_MS = 30_000;

export type Fetch = typeof fetch;

export interface ApiResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON when the server sent JSON, else the text. */
  body: unknown;
  text: string;
}

export interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** The version the command is based on: sent as If-Match "N". */
  ifMatch?: number | string;
  /** POSTs that start something: one key per command invocation, so a retried request runs once. */
  idempotent?: boolean;
  accept?: string;
}

export class Api {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
    private readonly fetchImpl: Fetch = fetch,
  ) {}

  url(path: string, query?: RequestOptions['query']): string {
    const u = new URL(`${this.baseUrl}/api/v1${path}`);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') u.searchParams.set(k, String(v));
    return u.toString();
  }

  async request(method: string, path: string, opts: RequestOptions = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, accept: opts.accept ?? 'application/json, application/problem+json' };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.ifMatch !== undefined) headers['if-match'] = typeof opts.ifMatch === 'number' ? `"${opts.ifMatch}"` : opts.ifMatch;
    if (opts.idempotent) headers['idempotency-key'] = randomUUID();
    let res: Response;
    try {
      res = await this.fetchImpl(this.url(path, opts.query), {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        redirect: 'error',
      });
    } catch (err) {
      throw new CliError(EXIT.server, `Cannot reach ${this.baseUrl}: ${networkWords(err)}.`);
    }
    const text = await boundedText(res);
    const type = res.headers.get('content-type') ?? '';
    let body: unknown = text;
    if (/json/i.test(type) && text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        throw new CliError(EXIT.server, `The server sent invalid JSON (HTTP ${res.status}).`);
      }
    }
    if (res.status < 200 || res.status >= 300) throw apiError(res.status, body);
    return { status: res.status, headers: res.headers, body, text };
  }

  get(path: string, opts?: RequestOptions) {
    return this.request('GET', path, opts);
  }
  post(path: string, opts?: RequestOptions) {
    return this.request('POST', path, opts);
  }
}

async function boundedText(res: Response): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw new CliError(EXIT.server, `The server's answer is too large (${declared} bytes).`);
  const text = await res.text().catch(() => {
    throw new CliError(EXIT.server, 'The connection broke while reading the answer.');
  });
  if (text.length > MAX_BODY_BYTES) throw new CliError(EXIT.server, "The server's answer is too large.");
  return text;
}

function networkWords(err: unknown): string {
  const e = err as { name?: string; cause?: { code?: string; message?: string }; message?: string };
  if (e?.name === 'TimeoutError') return `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`;
  const code = e?.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused (is Switchback running there?)';
  if (code === 'ENOTFOUND') return 'unknown host';
  if (code) return code;
  return (e?.cause?.message ?? e?.message ?? 'network error').slice(0, 200);
}

/** The version a GET answered with: its ETag ("3" or W/"3"), else the body's `version`. */
export function versionOf(res: ApiResponse): number | undefined {
  const etag = res.headers.get('etag');
  const m = etag ? /^(?:W\/)?"?(\d{1,9})"?$/.exec(etag.trim()) : null;
  if (m) return Number(m[1]);
  const v = (res.body as { version?: unknown } | null)?.version;
  return typeof v === 'number' ? v : undefined;
}

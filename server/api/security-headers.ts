// The headers every response carries (set by proxy.ts). The console could be framed and had no
// CSP. Pages get a per-request nonce: Next.js puts it on its own inline hydration scripts and
// bundles (it reads it from the request's Content-Security-Policy), the root layout on the
// theme script, and 'strict-dynamic' lets those scripts load the chunks they need. Styles allow
// 'unsafe-inline' on purpose: React Flow and recharts position elements with inline styles, and a
// nonce in style-src would switch 'unsafe-inline' off. Live feeds are same-origin SSE
// (connect-src 'self').

export interface CspOptions {
  nonce: string;
  /** `next dev` needs eval for React's debugging aids; production never does. */
  dev?: boolean;
}

export function pageCsp({ nonce, dev = false }: CspOptions): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** API answers are data, never a document to render: nothing may load, nothing may frame them. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/** The headers besides the CSP, for every response. */
export const COMMON_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  // Older browsers ignore frame-ancestors; this says the same to them.
  'X-Frame-Options': 'DENY',
};

/** 128 random bits, base64: unguessable, and valid in a CSP nonce-source. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

export const isApiPath = (pathname: string) => pathname === '/api' || pathname.startsWith('/api/');

/**
 * The API answer's security headers, set on the response itself: event streams are served without
 * Next.js's request pipeline (scripts/lib/event-stream-route.mjs), so proxy.ts never sees them.
 */
export function withApiSecurityHeaders(response: Response): Response {
  response.headers.set('Content-Security-Policy', API_CSP);
  for (const [name, value] of Object.entries(COMMON_SECURITY_HEADERS)) response.headers.set(name, value);
  return response;
}

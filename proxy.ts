import { NextResponse, type NextRequest } from 'next/server';
import { API_CSP, COMMON_SECURITY_HEADERS, isApiPath, newNonce, pageCsp } from '@/server/api/security-headers';

// Next 16's request proxy (formerly middleware): security headers on every page and API answer,
// a fresh CSP nonce per page request (server/api/security-headers.ts says why).
export function proxy(request: NextRequest) {
  const requestHeaders = new Headers(request.headers);
  let csp = API_CSP;
  if (!isApiPath(request.nextUrl.pathname)) {
    const nonce = newNonce();
    // eslint-disable-next-line no-restricted-properties -- Next inlines NODE_ENV at build time; env.ts is for the server.
    csp = pageCsp({ nonce, dev: process.env.NODE_ENV === 'development' });
    // Next reads the nonce from the request's policy and puts it on the scripts it renders;
    // the root layout reads x-nonce for its own inline script.
    requestHeaders.set('Content-Security-Policy', csp);
    requestHeaders.set('x-nonce', nonce);
  }
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', csp);
  for (const [name, value] of Object.entries(COMMON_SECURITY_HEADERS)) response.headers.set(name, value);
  return response;
}

export const config = {
  // Everything but the build's static files (hashed bundles: no document, nothing to frame).
  matcher: ['/((?!_next/static|_next/image).*)'],
};

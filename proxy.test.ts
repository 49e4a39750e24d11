import { describe, expect, it } from 'vitest';
import { NextRequest } from 'next/server';
import { config, proxy } from './proxy';

// The proxy as Next calls it; e2e/csp.spec.ts checks the same headers on the running server.
const run = (path: string) => proxy(new NextRequest(`http://127.0.0.1:3000${path}`));
const matched = (path: string) => config.matcher.some((m) => new RegExp(`^${m}$`).test(path));

describe('security headers', () => {
  it.each(['/', '/login', '/services/checkout', '/api/trpc/auth.me', '/api/trpc/topologyMap.live', '/api/health'])('%s carries nosniff, Referrer-Policy, X-Frame-Options and a CSP with frame-ancestors none', (path) => {
    expect(matched(path)).toBe(true);
    const h = run(path).headers;
    expect(h.get('x-content-type-options')).toBe('nosniff');
    expect(h.get('referrer-policy')).toBe('same-origin');
    expect(h.get('x-frame-options')).toBe('DENY');
    expect(h.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('pages get a fresh nonce per request, handed to Next on the request; no unsafe-inline scripts', () => {
    const a = run('/').headers.get('content-security-policy')!;
    const b = run('/').headers.get('content-security-policy')!;
    const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]{24})' 'strict-dynamic'/.exec(a)?.[1];
    expect(nonce).toBeDefined();
    expect(b).not.toBe(a);
    expect(a).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(a).toContain("connect-src 'self'");
    expect(a).toContain("style-src 'self' 'unsafe-inline'");
    // NextResponse.next({ request: { headers } }) forwards request headers this way.
    const forwarded = run('/login').headers;
    expect(forwarded.get('x-middleware-request-content-security-policy')).toMatch(/'nonce-/);
    expect(forwarded.get('x-middleware-request-x-nonce')).toMatch(/^[A-Za-z0-9+/=]{24}$/);
  });

  it('API answers load nothing and pass no nonce', () => {
    const h = run('/api/health').headers;
    expect(h.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(h.get('x-middleware-request-x-nonce')).toBeNull();
  });

  it('hashed static bundles are left alone', () => {
    expect(matched('/_next/static/chunks/app.js')).toBe(false);
  });
});

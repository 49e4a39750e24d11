import { describe, expect, it } from 'vitest';
import { MAX_BATCH, refuseRequest, type GuardRequest } from './request-guard';

const req = (method: string, url: string, headers: Record<string, string> = {}): GuardRequest => ({ method, url, headers: new Headers(headers) });
const JSON_TYPE = { 'content-type': 'application/json' };
const SITE = 'http://127.0.0.1:3000';

describe('mutations', () => {
  it('must be application/json (415 otherwise): a form cannot send JSON', () => {
    for (const type of ['multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'text/plain', '']) {
      const r = refuseRequest(req('POST', `${SITE}/api/trpc/sim.clear`, type ? { 'content-type': type } : {}));
      expect(r, type).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
      expect(r!.message).toMatch(/application\/json/);
    }
    expect(refuseRequest(req('POST', `${SITE}/api/trpc/sim.clear`, { 'content-type': 'Application/JSON; charset=utf-8', origin: SITE }))).toBeNull();
  });

  it('from another origin (another port of the same host too) are refused with 403', () => {
    for (const origin of ['http://127.0.0.1:3999', 'http://evil.example', 'null', 'not a url', 'https://127.0.0.1:3000.evil.example']) {
      const r = refuseRequest(req('POST', `${SITE}/api/trpc/sim.clear`, { ...JSON_TYPE, origin, host: '127.0.0.1:3000' }));
      expect(r, origin).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    }
  });

  it('from this origin pass: Origin host equal to the Host header, or the configured public URL', () => {
    expect(refuseRequest(req('POST', `${SITE}/api/trpc/sim.clear`, { ...JSON_TYPE, origin: SITE, host: '127.0.0.1:3000' }))).toBeNull();
    expect(refuseRequest(req('POST', `${SITE}/api/trpc/sim.clear`, { ...JSON_TYPE, origin: SITE }))).toBeNull();
    const behindProxy = req('POST', `${SITE}/api/trpc/sim.clear`, { ...JSON_TYPE, origin: 'https://switchback.example.com', host: '127.0.0.1:3000' });
    expect(refuseRequest(behindProxy)).not.toBeNull();
    expect(refuseRequest(behindProxy, { publicUrl: 'https://switchback.example.com/' })).toBeNull();
  });

  it('without Origin, Sec-Fetch-Site decides; with neither (a CLI, not a browser) the request passes', () => {
    for (const site of ['same-site', 'cross-site']) {
      expect(refuseRequest(req('POST', `${SITE}/api/trpc/sim.clear`, { ...JSON_TYPE, 'sec-fetch-site': site })), site).toMatchObject({ status: 403 });
    }
    expect(refuseRequest(req('POST', `${SITE}/api/trpc/sim.clear`, { ...JSON_TYPE, 'sec-fetch-site': 'same-origin' }))).toBeNull();
    expect(refuseRequest(req('POST', `${SITE}/api/trpc/sim.clear`, { ...JSON_TYPE, cookie: 'sb_session=x' }))).toBeNull();
  });

  it('a matching Origin does not excuse a cross-site Sec-Fetch-Site', () => {
    expect(refuseRequest(req('POST', `${SITE}/api/trpc/sim.clear`, { ...JSON_TYPE, origin: SITE, 'sec-fetch-site': 'cross-site' }))).toMatchObject({ status: 403 });
  });
});

describe('queries', () => {
  it('GET needs no content type and no origin (the browser cannot read another origin’s answer)', () => {
    expect(refuseRequest(req('GET', `${SITE}/api/trpc/auth.me`, { 'sec-fetch-site': 'cross-site' }))).toBeNull();
  });

  it(`batches hold at most ${MAX_BATCH} calls`, () => {
    const paths = (n: number) => Array.from({ length: n }, () => 'topologyMap.snapshot').join(',');
    expect(refuseRequest(req('GET', `${SITE}/api/trpc/${paths(MAX_BATCH)}?batch=1&input={}`))).toBeNull();
    const r = refuseRequest(req('GET', `${SITE}/api/trpc/${paths(200)}?batch=1&input={}`));
    expect(r).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    expect(r!.message).toBe(`A batch may hold at most ${MAX_BATCH} calls; this one has 200. Split it into smaller batches.`);
  });
});

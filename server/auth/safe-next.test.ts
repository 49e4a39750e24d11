import { describe, expect, it } from 'vitest';
import { safeNextPath } from './safe-next';

const ORIGIN = 'http://127.0.0.1:3000';
/** The value the login page gets: the query parameter as the browser sent it, decoded once. */
const fromQuery = (query: string) => new URLSearchParams(query).get('next');

describe('safeNextPath', () => {
  it.each([
    ['tab before a second slash (browsers drop the tab: //127.0.0.1:3999/x)', 'next=/%09/127.0.0.1:3999/x'],
    ['newline before a second slash', 'next=/%0a/127.0.0.1:3999/x'],
    ['carriage return', 'next=/%0d/127.0.0.1:3999/x'],
    ['protocol-relative', 'next=//evil.example/x'],
    ['backslash read as a slash', 'next=/%5Cevil.example'],
    ['absolute URL', 'next=https://evil.example/x'],
    ['javascript: URL', 'next=javascript:alert(1)'],
    ['percent-encoded protocol-relative', 'next=%2F%2Fevil.example'],
    ['dot segment that normalises to //', 'next=/.//evil.example/x'],
    ['an encoded slash right after the first one', 'next=/%252F%252Fevil.example'],
    ['nothing', ''],
    ['empty', 'next='],
    ['a relative path', 'next=overview'],
  ])('sends %s to /', (_, query) => {
    const target = safeNextPath(fromQuery(query), ORIGIN);
    expect(target).toBe('/');
    expect(new URL(target, ORIGIN).origin).toBe(ORIGIN);
  });

  it('a non-ASCII path (U+3002, read as a dot by some hosts) stays a path, percent-encoded so it is a valid Location', () => {
    const target = safeNextPath(fromQuery('next=/%E3%80%82/x'), ORIGIN);
    expect(target).toBe('/%E3%80%82/x');
    expect(() => new Headers({ location: target })).not.toThrow();
  });

  it('keeps a good path with its query and hash', () => {
    expect(safeNextPath(fromQuery('next=%2Fservices%2Fapi%3Frange%3D24h%26zone%3Dz-1%23latency'), ORIGIN)).toBe('/services/api?range=24h&zone=z-1#latency');
    expect(safeNextPath('/', ORIGIN)).toBe('/');
    // Looks like credentials, is a path on this site.
    expect(safeNextPath('/@evil.example', ORIGIN)).toBe('/@evil.example');
  });

  it('falls back to / when the origin itself does not parse', () => {
    expect(safeNextPath('/services', 'not a url')).toBe('/');
  });

  it('whatever it is given, the result is a same-origin path and a valid header value', () => {
    const nasty = ['/\u2028/evil', '/\u0085/evil', '/ /evil', '/\t\t//evil', '/..//evil', '/%2e%2e//evil', '/a/../../evil', '/?next=//evil', '/#//evil'];
    for (const raw of nasty) {
      const target = safeNextPath(raw, ORIGIN);
      expect(target.startsWith('/') && !target.startsWith('//')).toBe(true);
      expect(new URL(target, ORIGIN).origin).toBe(ORIGIN);
      expect(() => new Headers({ location: target })).not.toThrow();
    }
  });
});

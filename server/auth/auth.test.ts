import { describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, verifyPassword } from './password';
import { hasRole } from './roles';
import { clearSessionCookie, hashToken, readCookie, sessionCookie } from './sessions';
import { delayAfter, POLICIES, throttleKeys } from './throttle';

describe('passwords', () => {
  it('hashes with a salt and verifies only the right password', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).not.toBe(b);
    expect(a.startsWith('scrypt$16384$8$1$')).toBe(true);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });

  it('generates passwords of the asked length from an alphabet without look-alikes', () => {
    const pws = Array.from({ length: 50 }, () => generatePassword());
    for (const p of pws) expect(p).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{20}$/);
    expect(new Set(pws).size).toBe(50);
  });
});

describe('roles', () => {
  it('orders viewer < operator < approver < admin', () => {
    expect(hasRole('admin', 'approver')).toBe(true);
    expect(hasRole('approver', 'operator')).toBe(true);
    expect(hasRole('operator', 'approver')).toBe(false);
    expect(hasRole('viewer', 'operator')).toBe(false);
    expect(hasRole('viewer', 'viewer')).toBe(true);
  });
});

describe('session cookies', () => {
  it('is httpOnly, SameSite=Lax, scoped to / and Secure when asked', () => {
    const c = sessionCookie('tok', { maxAgeS: 3600, secure: true });
    expect(c).toBe('sb_session=tok; Path=/; HttpOnly; SameSite=Lax; Max-Age=3600; Secure');
    expect(clearSessionCookie(false)).toContain('Max-Age=0');
  });

  it('reads one cookie out of a header', () => {
    expect(readCookie('a=1; sb_session=xyz; b=2', 'sb_session')).toBe('xyz');
    expect(readCookie('a=1', 'sb_session')).toBeUndefined();
    expect(readCookie(null, 'sb_session')).toBeUndefined();
  });

  it('stores only a hash of the token', () => {
    expect(hashToken('abc')).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken('abc')).not.toBe(hashToken('abd'));
  });
});

describe('login throttle', () => {
  it('lets the first failures through, then doubles the wait up to the cap', () => {
    const p = POLICIES.nameAtAddress;
    for (let f = 0; f < p.free; f++) expect(delayAfter(p, f)).toBe(0);
    expect(delayAfter(p, p.free)).toBe(p.firstDelayS);
    expect(delayAfter(p, p.free + 1)).toBe(2 * p.firstDelayS);
    expect(delayAfter(p, p.free + 2)).toBe(4 * p.firstDelayS);
    expect(delayAfter(p, 50)).toBe(p.maxDelayS);
  });

  it('the name-wide ceiling is looser than the per-address limit and caps lower', () => {
    expect(POLICIES.name.free).toBeGreaterThan(POLICIES.nameAtAddress.free);
    expect(POLICIES.name.maxDelayS).toBeLessThan(POLICIES.nameAtAddress.maxDelayS);
  });

  it('keys never collide across scopes, whatever name or forged address is sent', () => {
    const pairs: Array<[string, string]> = [['admin', '10.0.0.7'], ['admin@10.0.0.7', 'x'], ['admin', '10.0.0.7|x'], ['admin|10.0.0.7', 'x'], ['name:admin', 'from:x']];
    const keys = pairs.map(([n, a]) => throttleKeys(n, a));
    const scopeOf = new Map<string, string>();
    for (const k of keys) {
      for (const [scope, key] of Object.entries(k)) {
        expect(scopeOf.get(key) ?? scope).toBe(scope);
        scopeOf.set(key, scope);
      }
    }
    expect(new Set(keys.map((k) => k.nameAtAddress)).size).toBe(pairs.length);
    expect(throttleKeys('Admin ', '')).toEqual(throttleKeys('admin', 'unknown'));
    expect(throttleKeys('x'.repeat(10_000), 'y'.repeat(10_000)).nameAtAddress.length).toBeLessThan(200);
  });
});

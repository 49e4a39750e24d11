import { describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, verifyPassword } from './password';
import { hasRole } from './roles';
import { clearSessionCookie, hashToken, readCookie, sessionCookie } from './sessions';
import { delayAfter, FREE_FAILURES, MAX_DELAY_S } from './throttle';

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
    for (let f = 0; f < FREE_FAILURES; f++) expect(delayAfter(f)).toBe(0);
    expect(delayAfter(FREE_FAILURES)).toBe(2);
    expect(delayAfter(FREE_FAILURES + 1)).toBe(4);
    expect(delayAfter(FREE_FAILURES + 2)).toBe(8);
    expect(delayAfter(50)).toBe(MAX_DELAY_S);
  });
});

import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from './env';

describe('environment', () => {
  it('has working defaults for a fresh machine', () => {
    const e = parseEnv({});
    expect(e).toMatchObject({ PORT: 3000, SWITCHBACK_HOST: '127.0.0.1', SWITCHBACK_DATA_DIR: '.data', SWITCHBACK_SEED: 'demo' });
    expect(e.DATABASE_URL).toBeUndefined();
  });

  it('names the variable, what is expected and what it got', () => {
    try {
      parseEnv({ PORT: 'eighty', DATABASE_URL: 'mysql://x' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(EnvError);
      const msg = (err as EnvError).message;
      expect(msg).toContain('PORT: expected a port number (got "eighty")');
      expect(msg).toContain('DATABASE_URL: expected a postgresql:// URL (got "mysql://x")');
    }
  });

  it('treats empty values as unset and parses booleans in words', () => {
    expect(parseEnv({ PORT: '', SWITCHBACK_COOKIE_SECURE: 'true' })).toMatchObject({ PORT: 3000, SWITCHBACK_COOKIE_SECURE: true });
    expect(() => parseEnv({ SWITCHBACK_COOKIE_SECURE: 'yes' })).toThrow(/SWITCHBACK_COOKIE_SECURE: expected true or false/);
  });
});

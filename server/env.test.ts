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

  it('takes a demo fleet size from 1 to 20000 instances, and says so in words otherwise', () => {
    expect(parseEnv({}).SWITCHBACK_DEMO_INSTANCES).toBeUndefined();
    expect(parseEnv({ SWITCHBACK_DEMO_INSTANCES: '10000' }).SWITCHBACK_DEMO_INSTANCES).toBe(10_000);
    expect(parseEnv({ SWITCHBACK_DEMO_INSTANCES: '1' }).SWITCHBACK_DEMO_INSTANCES).toBe(1);
    for (const bad of ['0', '20001', '-5', 'lots', '1e9']) {
      expect(() => parseEnv({ SWITCHBACK_DEMO_INSTANCES: bad })).toThrow(/SWITCHBACK_DEMO_INSTANCES: expected a number of instances from 1 to 20000/);
    }
    expect(() => parseEnv({ SWITCHBACK_DEMO_INSTANCES: '2.5' })).toThrow(`SWITCHBACK_DEMO_INSTANCES: expected a whole number of instances from 1 to 20000 (got "2.5")`);
  });

  it('admits 1 to 1000 live feeds per turn (2 by default), and refuses 0, which would start none', () => {
    expect(parseEnv({}).SWITCHBACK_STREAM_OPENS_PER_TURN).toBe(2);
    expect(parseEnv({ SWITCHBACK_STREAM_OPENS_PER_TURN: '8' }).SWITCHBACK_STREAM_OPENS_PER_TURN).toBe(8);
    for (const bad of ['0', '-1', '1001', '1.5', 'many']) {
      expect(() => parseEnv({ SWITCHBACK_STREAM_OPENS_PER_TURN: bad })).toThrow(/SWITCHBACK_STREAM_OPENS_PER_TURN: expected a whole number from 1 to 1000/);
    }
  });
});

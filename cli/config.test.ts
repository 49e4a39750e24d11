import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfigPath, resolveConfig, urlSchema, writeConfig } from './config';
import { CliError } from './errors';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'switchback-cli-'));
const TOKEN = 'sbt_abcdefgh_0123456789012345678901234567890123456789012';

function failure(fn: () => unknown): CliError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CliError) return err;
    throw err;
  }
  throw new Error('expected a CliError');
}

describe('config file', () => {
  it('is written 0600 in a 0700 folder it creates, and read back', () => {
    const file = path.join(tmp(), 'switchback', 'config.json');
    writeConfig(file, { url: 'http://127.0.0.1:3000', token: TOKEN });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ url: 'http://127.0.0.1:3000', token: TOKEN });
    expect(resolveConfig(file, {})).toEqual({ config: { url: 'http://127.0.0.1:3000', token: TOKEN }, warning: undefined });
  });

  it('replaces an older, wider file with a 0600 one', () => {
    const dir = tmp();
    chmodSync(dir, 0o755);
    const file = path.join(dir, 'c.json');
    writeFileSync(file, '{}');
    chmodSync(file, 0o644);
    writeConfig(file, { url: 'https://sb.example', token: TOKEN });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // A folder that already existed and is not ours (it may be /tmp) is left as it was.
    expect(statSync(dir).mode & 0o777).toBe(0o755);
  });

  it('warns when the file is readable by others', () => {
    const file = path.join(tmp(), 'c.json');
    writeFileSync(file, JSON.stringify({ url: 'http://h:1', token: TOKEN }));
    chmodSync(file, 0o644);
    expect(resolveConfig(file, {}).warning).toMatch(/can be read by other users \(mode 644\); run chmod 600/);
  });

  it('lets SWITCHBACK_URL and SWITCHBACK_TOKEN override the file, and needs no file when both are set', () => {
    const file = path.join(tmp(), 'c.json');
    writeFileSync(file, JSON.stringify({ url: 'http://file:1', token: TOKEN }), { mode: 0o600 });
    expect(resolveConfig(file, { SWITCHBACK_URL: 'http://env:2/' }).config).toEqual({ url: 'http://env:2', token: TOKEN });
    expect(resolveConfig(path.join(tmp(), 'none.json'), { SWITCHBACK_URL: 'http://env:2', SWITCHBACK_TOKEN: 'sbt_x' }).config).toEqual({ url: 'http://env:2', token: 'sbt_x' });
  });

  it('says how to log in when nothing is configured (exit 2), and refuses a broken file (exit 1)', () => {
    const missing = failure(() => resolveConfig(path.join(tmp(), 'none.json'), {}));
    expect(missing.exitCode).toBe(2);
    expect(missing.details.join()).toMatch(/switchback login URL --token TOKEN/);
    const file = path.join(tmp(), 'c.json');
    writeFileSync(file, '{not json');
    expect(failure(() => resolveConfig(file, {})).exitCode).toBe(1);
    writeFileSync(file, JSON.stringify({ url: 'ftp://x', token: TOKEN }));
    expect(failure(() => resolveConfig(file, {})).message).toMatch(/http:\/\/ or https:\/\//);
    expect(failure(() => resolveConfig(file, { SWITCHBACK_URL: 'http://ok', SWITCHBACK_TOKEN: 'has space' })).message).toMatch(/SWITCHBACK_TOKEN/);
  });

  it('normalises the console URL (an /api/v1 address works too) and refuses credentials in it', () => {
    expect(urlSchema.parse('http://127.0.0.1:3000/')).toBe('http://127.0.0.1:3000');
    expect(urlSchema.parse('https://ops.example/switchback/api/v1/')).toBe('https://ops.example/switchback');
    expect(urlSchema.safeParse('http://u:p@host').success).toBe(false);
    expect(urlSchema.safeParse('not a url').success).toBe(false);
  });

  it('lives under XDG_CONFIG_HOME or ~/.config', () => {
    expect(defaultConfigPath({ XDG_CONFIG_HOME: '/x/cfg', HOME: '/home/u' })).toBe('/x/cfg/switchback/config.json');
    expect(defaultConfigPath({ HOME: '/home/u' })).toBe('/home/u/.config/switchback/config.json');
  });
});

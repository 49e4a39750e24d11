import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAPROXY_BIN } from '../../server/platform/haproxy/process';
import { webTierConfig } from './scale-out-haproxy';
import { parsePorts } from './scale-out-start';

describe('the HAProxy configuration of npm run scale-out', () => {
  const cfg = webTierConfig({ frontHost: '127.0.0.1', frontPort: 3000, webPorts: [3001, 3002] }, '/tmp/x.sock');

  it('is valid for HAProxy itself (haproxy -c)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scale-out-cfg-'));
    try {
      const file = join(dir, 'haproxy.cfg');
      writeFileSync(file, cfg.replace('/tmp/x.sock', join(dir, 'admin.sock')));
      const r = spawnSync(HAPROXY_BIN, ['-c', '-f', file], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('balances both web ports with health checks that only a silent process fails', () => {
    expect(cfg).toMatch(/server web1 127\.0\.0\.1:3001 check/);
    expect(cfg).toMatch(/server web2 127\.0\.0\.1:3002 check/);
    expect(cfg).toMatch(/http-check expect rstatus \^\(200\|503\)\$/);
    // Event streams outlive the request timeouts; a dead server's streams are cut for a reconnect.
    expect(cfg).toMatch(/timeout server 1h/);
    expect(cfg).toMatch(/timeout tunnel 1h/);
    expect(cfg).toMatch(/on-marked-down shutdown-sessions/);
    expect(cfg).toMatch(/option redispatch/);
  });
});

describe('SWITCHBACK_SCALE_OUT_WEB_PORTS', () => {
  it('takes exactly two different ports, or nothing', () => {
    expect(parsePorts(undefined, 2)).toBeNull();
    expect(parsePorts(' ', 2)).toBeNull();
    expect(parsePorts('3001, 3002', 2)).toEqual([3001, 3002]);
    for (const bad of ['3001', '3001,3001', '3001,x', '3001,70000', '3001,3002,3003']) expect(() => parsePorts(bad, 2)).toThrow(/SWITCHBACK_SCALE_OUT_WEB_PORTS/);
  });
});

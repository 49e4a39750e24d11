import { describe, expect, it } from 'vitest';
import { publicHealth, type Health } from './health';

const h: Health = {
  status: 'degraded',
  version: '0.1.0',
  time: '2030-01-01T00:00:00.000Z',
  database: { ok: true, latencyMs: 1 },
  worker: { ok: true, alive: 1, lastBeatAt: '2030-01-01T00:00:00.000Z' },
  telemetry: { ok: true, lastTickAt: '2030-01-01T00:00:00.000Z', lastTickMs: 3, instances: 80, skippedTicks: 0, leader: 'db-host-7:4242' },
  adapter: { ok: false, kind: 'haproxy', since: '2030-01-01T00:00:00.000Z', error: 'Prometheus at http://ops:s3cret@10.0.0.5:9090: timeout (query: up)' },
};

describe('publicHealth', () => {
  it('keeps states and counts but says no host, URL, credential or query', () => {
    const p = JSON.stringify(publicHealth(h));
    for (const secret of ['s3cret', '10.0.0.5', 'db-host-7', '4242', 'query']) expect(p).not.toContain(secret);
    expect(publicHealth(h)).toMatchObject({ status: 'degraded', telemetry: { ok: true, instances: 80, leader: 'elected' }, adapter: { ok: false, kind: 'haproxy' } });
  });

  it('says no leader when there is none', () => {
    expect(publicHealth({ ...h, telemetry: { ...h.telemetry, leader: null } }).telemetry.leader).toBeNull();
  });
});

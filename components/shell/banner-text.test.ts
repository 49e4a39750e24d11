import { describe, expect, it } from 'vitest';
import type { Health } from '@/server/services/system/health';
import { bannerText } from './banner-text';

// Times in the past: bannerText writes them with formatTime at the wall clock, which drops the date
// on the same day (2030-01-01 here once read '11:59:50 UTC', without the date asserted below).
const healthy: Health = {
  status: 'ok',
  version: '0.1.0',
  time: '2020-01-01T12:00:00.000Z',
  database: { ok: true, latencyMs: 1 },
  worker: { ok: true, alive: 1, lastBeatAt: '2020-01-01T12:00:00.000Z' },
  telemetry: { ok: true, lastTickAt: '2020-01-01T12:00:00.000Z', lastTickMs: 20, instances: 6, skippedTicks: 0, leader: 'w1' },
  adapter: { ok: true, kind: 'sim', since: '2020-01-01T11:00:00.000Z' },
};

describe('console banner', () => {
  it('is silent while all is well', () => {
    expect(bannerText(healthy)).toBeNull();
    expect(bannerText(undefined)).toBeNull();
  });

  it('says the worker is down, first, when its heartbeat is stale (the loop and the adapter status stop with it)', () => {
    const h: Health = {
      ...healthy,
      status: 'degraded',
      worker: { ok: false, alive: 0, lastBeatAt: '2020-01-01T11:59:50.000Z', error: 'no heartbeat since 2020-01-01T11:59:50.000Z: the worker is down' },
      telemetry: { ...healthy.telemetry, ok: false, error: 'no tick since …' },
      adapter: { ok: false, kind: 'sim', since: null, error: 'stale' },
    };
    const text = bannerText(h)!;
    expect(text).toMatch(/^The worker is down \(no heartbeat since .+\): telemetry, weight changes and jobs are paused/);
    // One formatter for every time in the console, the zone always said (UTC unless the user chose local).
    expect(text).toContain('2020-01-01 11:59:50 UTC');
    expect(bannerText(h, { preference: 'local', timeZone: 'Europe/Berlin' })).toContain('12:59:50 CET');
    expect(bannerText({ ...h, worker: { ok: false, alive: 0, lastBeatAt: null } })).toMatch(/^The worker is down \(no worker has started\)/);
  });

  it('with the worker up: the unreachable adapter, then a loop that does not tick', () => {
    expect(bannerText({ ...healthy, adapter: { ok: false, kind: 'haproxy', since: null, error: 'connect ENOENT' } })).toMatch(/^Platform adapter \(haproxy\) unreachable: connect ENOENT\./);
    expect(bannerText({ ...healthy, telemetry: { ...healthy.telemetry, ok: false, error: 'no tick yet' } })).toBe('The telemetry loop is not ticking: no tick yet.');
  });
});

import { describe, expect, it } from 'vitest';
import type { ServiceDetail, ServiceSeries } from '@/server/services/telemetry/telemetry-read-service';
import type { ServiceTickPayload } from '@/server/services/telemetry/telemetry-live';
import { mergeServiceDetail, mergeServiceSeries } from './live-merge';

const W = 300_000;
const T0 = 1_800_000_000_000;

function series(): ServiceSeries {
  return {
    serviceId: 's',
    from: T0 - W,
    to: T0,
    resolution: 'raw',
    stepS: 1,
    instances: [
      { id: 'a', name: 'svc-a', appVersion: 'v1' },
      { id: 'b', name: 'svc-b', appVersion: 'v1' },
      { id: 'c', name: 'svc-c', appVersion: 'v2' },
    ],
    versions: ['v1', 'v2'],
    byInstance: [{ t: T0, v: { a: 10, b: 20, c: 5 } }],
    byVersion: [{ t: T0, v: { v1: 30, v2: 5 } }],
    lastTickId: '100',
  };
}

const sample = (instanceId: string, rps: number | null) => ({ instanceId, up: true, target: 80, effective: 75, cpu: 30, p95: 200, connections: 300, rps, errorRate: 0, degradation: 0, breaker: 'closed' });
const payload = (k: number, samples = [sample('a', 11), sample('b', 21), sample('c', 6)], over: Partial<ServiceTickPayload> = {}): ServiceTickPayload => ({
  tickId: String(100 + k),
  at: T0 + k * 1000,
  samples,
  transitions: [],
  recomputes: [],
  ...over,
});

describe('mergeServiceSeries', () => {
  it('appends requests/s per instance and summed per version', () => {
    const s = mergeServiceSeries(series(), payload(1), W);
    expect(s.byInstance.at(-1)).toEqual({ t: T0 + 1000, v: { a: 11, b: 21, c: 6 } });
    expect(s.byVersion.at(-1)).toEqual({ t: T0 + 1000, v: { v1: 32, v2: 6 } });
    expect(s.lastTickId).toBe('101');
  });

  it('is idempotent for a repeated or older tick', () => {
    const once = mergeServiceSeries(series(), payload(1), W);
    expect(mergeServiceSeries(once, payload(1), W)).toBe(once);
    expect(mergeServiceSeries(once, payload(0), W)).toBe(once);
  });

  it('counts a missing rps as 0, skips instances it does not know, and drops points past the window', () => {
    const s = mergeServiceSeries(series(), payload(301, [sample('a', null), sample('b', 4), sample('zz', 99)]), W);
    expect(s.byInstance).toEqual([{ t: T0 + 301_000, v: { a: 0, b: 4 } }]);
    expect(s.byVersion).toEqual([{ t: T0 + 301_000, v: { v1: 4 } }]);
  });
});

function detail(): ServiceDetail {
  const row = (id: string, appVersion: string) => ({ id, name: `svc-${id}`, appVersion, adminState: 'ready', cluster: 'c', zone: 'z', region: 'r', at: T0, tickId: '100', up: true, target: 80, effective: 80, cpu: 30, p95: 200, connections: 300, rps: 10, errorRate: 0, degradation: 0, breaker: 'closed', why: null, cause: null });
  return {
    service: { id: 's', name: 'svc', description: '', version: 1, appliedVersion: 1, routing: { versionWeights: { v1: 90, v2: 10 }, headerRules: [] } },
    instances: [row('a', 'v1'), row('b', 'v1'), row('c', 'v2')],
    thresholds: { cpuPct: 85, p95Ms: 1200, connections: 4500 },
    lastTickId: '100',
  };
}

describe('mergeServiceDetail', () => {
  it('updates each row with its sample of the tick and the why of a recompute, keeping the order', () => {
    const d = mergeServiceDetail(detail(), payload(1, [sample('b', 21)], { recomputes: [{ instanceId: 'b', why: '\u2212 12 from CPU 40 %', cause: 'CPU 90 % crossed 85 %' }] }));
    expect(d.instances.map((r) => [r.id, r.rps, r.effective, r.tickId])).toEqual([
      ['a', 10, 80, '100'],
      ['b', 21, 75, '101'],
      ['c', 10, 80, '100'],
    ]);
    expect(d.instances[1]).toMatchObject({ why: '\u2212 12 from CPU 40 %', cause: 'CPU 90 % crossed 85 %' });
    expect(d.lastTickId).toBe('101');
  });

  it('returns the same object for a tick every row already has', () => {
    const d = detail();
    expect(mergeServiceDetail(d, payload(0))).toBe(d);
  });
});

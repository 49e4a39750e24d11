import { describe, expect, it } from 'vitest';
import type { InstanceDetail, InstanceSeries } from '@/server/services/telemetry/telemetry-read';
import type { InstanceTickPayload } from '@/server/services/telemetry/telemetry-live';
import { mergeInstanceDetail, mergeInstanceSeries, newer, secondsToTarget } from './live-merge';

const W = 300_000;
const T0 = 1_800_000_000_000;

function point(k: number, over: Partial<InstanceSeries['points'][number]> = {}) {
  return { t: T0 + k * 1000, tickId: String(100 + k), up: true, target: 80, effective: 80, cpu: 30, p95: 200, connections: 300, rps: 50, errorRate: 0, stageFill: [0.1, 0.1, 0.1, 0.1, 0.1], degradation: 0, breaker: 'closed', ...over };
}

function series(ks: number[]): InstanceSeries {
  const points = ks.map((k) => point(k));
  return { instanceId: 'i', from: T0 + ks[0]! * 1000 - W, to: points.at(-1)!.t, resolution: 'raw', stepS: 1, points, transitions: [], transitionsTruncated: false, lastTickId: points.at(-1)!.tickId };
}

function payload(k: number, over: Partial<InstanceTickPayload> = {}, sample: Partial<InstanceSeries['points'][number]> = {}): InstanceTickPayload {
  return { tickId: String(100 + k), at: T0 + k * 1000, sample: { ...point(k, sample), stageState: ['active', 'active', 'active', 'active', 'active'] }, transitions: [], explanation: null, ...over };
}

describe('mergeInstanceSeries', () => {
  it('appends the tick as the newest point, without the stage states', () => {
    const s = mergeInstanceSeries(series([0, 1, 2]), payload(3, {}, { effective: 70 }), W);
    expect(s.points.map((p) => p.t)).toEqual([0, 1, 2, 3].map((k) => T0 + k * 1000));
    expect(s.points.at(-1)).toEqual(point(3, { effective: 70 }));
    expect(s.lastTickId).toBe('103');
    expect(s.to).toBe(T0 + 3000);
  });

  it('is idempotent: a repeated tick, or one the query already had, returns the same object', () => {
    const once = mergeInstanceSeries(series([0, 1, 2]), payload(3), W);
    expect(mergeInstanceSeries(once, payload(3), W)).toBe(once);
    expect(mergeInstanceSeries(once, payload(1), W)).toBe(once);
  });

  it('drops points and transitions older than the window as new ticks arrive', () => {
    let s = series([0, 1, 2]);
    s = { ...s, transitions: [{ id: '1', at: T0, tickId: '100', instanceId: 'i', machine: 'weight', stage: '', from: '90', to: '80', cause: 'x', values: {} }] };
    s = mergeInstanceSeries(s, payload(301), W);
    expect(s.points.map((p) => p.t)).toEqual([T0 + 1000, T0 + 2000, T0 + 301_000]);
    expect(s.transitions).toEqual([]);
  });

  it('puts the tick\'s transitions first (newest first) and never twice', () => {
    const tr = { id: '9', at: T0 + 3000, tickId: '103', instanceId: 'i', machine: 'breaker' as const, stage: '', from: 'closed', to: 'open', cause: 'rt', values: {} };
    const s = mergeInstanceSeries(series([0, 1, 2]), payload(3, { transitions: [tr] }), W);
    expect(s.transitions).toEqual([tr]);
    const replay = mergeInstanceSeries({ ...s, lastTickId: '102' }, payload(3, { transitions: [tr] }), W);
    expect(replay.transitions).toEqual([tr]);
    expect(replay.points).toHaveLength(4);
  });

  it('compares tick ids as integers, not as text or floats', () => {
    expect(newer('10', '9')).toBe(true);
    expect(newer('9007199254740993', '9007199254740992')).toBe(true);
    expect(newer('5', null)).toBe(true);
    expect(newer('5', '5')).toBe(false);
  });
});

function detail(): InstanceDetail {
  const stage = (name: string) => ({ name, state: 'active', fill: 0.1, band: 'normal' as const, since: T0 - 60_000, share: null });
  return {
    instance: { id: 'i', name: 'i', appVersion: 'v1', adminState: 'ready', address: '', labels: {} },
    service: { id: 's', name: 's' },
    cluster: 'c',
    zone: 'z',
    region: 'r',
    policy: {
      weight: { model: 'linear-decay', base: 100, thresholds: { cpuPct: 85, p95Ms: 1200, connections: 4500 }, smoothingWindowS: 30, periodicRecomputeS: 30, cadencesS: { cpu: 5, p95: 3, connections: 10 } },
      watermark: { elevatedPct: 60, degradePct: 85, breakPct: 95, breakHoldS: 5 },
    },
    latest: { ...point(2), rtMs: 20, memory: 40, p50: 40, p99: 400, inputAgeMs: { cpu: 0, p95: 0, connections: 0 }, stageState: ['active', 'active', 'active', 'active', 'active'] },
    explanation: null,
    lastCrossing: null,
    stages: ['access', 'ratelimit', 'routing', 'state', 'execution'].map(stage),
    breaker: { state: 'closed', since: null, cause: null },
    degradation: { level: 0, label: 'normal', state: 'L0', since: null, cause: null },
    sampledSince: T0 - 600_000,
    peers: null,
  };
}

describe('mergeInstanceDetail', () => {
  it('takes the tick as the latest sample and dates state changes to the tick', () => {
    const p = payload(3, {
      transitions: [
        { id: '1', at: T0 + 3000, tickId: '103', instanceId: 'i', machine: 'breaker', stage: '', from: 'closed', to: 'open', cause: 'rt 900 ms > 1.5 × EWMA', values: {} },
        { id: '2', at: T0 + 3000, tickId: '103', instanceId: 'i', machine: 'weight', stage: '', from: '80', to: '60', cause: 'CPU 90 % crossed 85 %', values: {} },
      ],
    }, { effective: 72, target: 60, breaker: 'open', degradation: 1, stageFill: [0.1, 0.1, 0.9, 0.1, 0.1] });
    p.sample!.stageState = ['active', 'active', 'blocked', 'active', 'active'];
    const d = mergeInstanceDetail(detail(), p);
    expect(d.latest).toMatchObject({ effective: 72, target: 60, tickId: '103', rtMs: 20 });
    expect(d.stages[2]).toMatchObject({ state: 'blocked', band: 'degraded', since: T0 + 3000 });
    expect(d.stages[0]!.since).toBe(T0 - 60_000);
    expect(d.breaker).toEqual({ state: 'open', since: T0 + 3000, cause: 'rt 900 ms > 1.5 × EWMA' });
    expect(d.degradation).toMatchObject({ level: 1, label: 'field-degraded', since: T0 + 3000 });
    expect(d.lastCrossing).toMatchObject({ cause: 'CPU 90 % crossed 85 %', to: '60' });
  });

  it('ignores a tick it already has, and a tick without a sample', () => {
    const d = detail();
    expect(mergeInstanceDetail(d, payload(2))).toBe(d);
    expect(mergeInstanceDetail(d, payload(5, { sample: null }))).toBe(d);
  });
});

describe('secondsToTarget', () => {
  it('extrapolates the linear walk of the effective weight toward the target', () => {
    const pts = [
      { t: 0, target: 55, effective: 80 },
      { t: 1000, target: 55, effective: 79 },
    ];
    expect(secondsToTarget(pts)).toBeCloseTo(24);
  });
  it('says nothing when there, standing still, or moving away', () => {
    expect(secondsToTarget([{ t: 0, target: 55, effective: 55 }, { t: 1000, target: 55, effective: 55 }])).toBeNull();
    expect(secondsToTarget([{ t: 0, target: 55, effective: 70 }, { t: 1000, target: 55, effective: 70 }])).toBeNull();
    expect(secondsToTarget([{ t: 0, target: 55, effective: 70 }, { t: 1000, target: 55, effective: 71 }])).toBeNull();
    expect(secondsToTarget([{ t: 0, target: 55, effective: 70 }])).toBeNull();
  });
});

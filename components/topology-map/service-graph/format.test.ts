import { describe, expect, it } from 'vitest';
import { buildServiceGraph, type ServiceAggregate } from '@/server/domain/topology/service-graph';
import { edgeFigures, formatMs, formatPercent, formatRps, nodeAriaLabel, nodeFigures, nodeMarks, nodeStatus } from './format';

const agg = (id: string, over: Partial<ServiceAggregate> = {}): ServiceAggregate => ({
  id,
  name: id,
  labels: { layer: 'data' },
  instances: 3,
  sampled: 3,
  up: 3,
  rps: 180,
  errorRps: 9,
  p95MsMean: 42,
  maxDegradation: 2,
  degraded: 1,
  severelyDegraded: 1,
  unhealthy: 1,
  openBreakers: 1,
  halfOpenBreakers: 0,
  backpressured: 2,
  ...over,
});

describe('service graph words', () => {
  it('formats figures for a glance', () => {
    expect([formatRps(1234), formatRps(8.25), formatRps(180.4)]).toEqual(['1.2k req/s', '8.3 req/s', '180 req/s']);
    expect([formatPercent(null), formatPercent(0), formatPercent(0.04), formatPercent(5.26), formatPercent(12.6)]).toEqual(['–', '0 %', '< 0.1 %', '5.3 %', '13 %']);
    expect([formatMs(null), formatMs(42.4), formatMs(1530)]).toEqual(['–', '42 ms', '1.5 s']);
  });

  it('says what a node and an edge carry, marks in words', () => {
    const g = buildServiceGraph({
      tickId: '1',
      at: null,
      services: [agg('api', { labels: {}, maxDegradation: 0, degraded: 0, severelyDegraded: 0, unhealthy: 0, openBreakers: 0, backpressured: 0, errorRps: 0 }), agg('db')],
      versions: [],
      calls: [{ callerId: 'api', calleeId: 'db' }],
      rollouts: [{ serviceId: 'db', name: 'db v2', state: 'progressing', stableVersion: 'v1', canaryVersion: 'v2', desiredCanaryPercent: 10 }],
      faults: [{ serviceId: 'db', instanceId: 'i', kind: 'delay', experiment: 'slow' }],
    });
    const db = g.nodes.find((n) => n.id === 'db')!;
    expect(nodeFigures(db)).toBe('180 req/s · 5 % err · P95 42 ms');
    expect(nodeMarks(db).map((m) => m.text)).toEqual(['L2', '1 open', '2 backpressure', 'fault delay', 'canary v2 10 %']);
    expect(nodeAriaLabel(db)).toContain('db (data layer); unhealthy; 180 req/s');
    expect(nodeAriaLabel(db)).toContain('rollout db v2 (progressing): canary v2 10 % of requests');
    expect(edgeFigures(g.edges[0]!)).toBe('180 req/s · 5 % err · P95 42 ms');
    expect(nodeFigures({ ...db, hasTelemetry: false })).toBe('no telemetry yet');
    expect(nodeStatus(db)).toBe('unhealthy · 1 of 3 instances');
    expect(nodeStatus(g.nodes.find((n) => n.id === 'api')!)).toBe('healthy · 3 of 3 up');
    expect(nodeStatus({ ...db, hasTelemetry: false, instances: 2502 })).toBe('2,502 instances');
  });

  it('says a large service with one degraded instance is a warning, with the count in words', () => {
    const g = buildServiceGraph({
      tickId: '1',
      at: null,
      services: [agg('big', { instances: 2502, sampled: 2502, up: 2502, unhealthy: 1, degraded: 1, severelyDegraded: 1, openBreakers: 0, backpressured: 0, errorRps: 0 })],
      versions: [],
      calls: [],
      rollouts: [],
      faults: [],
    });
    const big = g.nodes[0]!;
    expect(nodeStatus(big)).toBe('warning · 1 of 2,502 degraded');
    expect(nodeMarks(big)[0]!.words).toBe('degradation up to L2 on 1 of 2,502 instances');
    expect(nodeAriaLabel(big)).toContain('big (data layer); warning; 180 req/s · 0 % err · P95 42 ms; 2,502 of 2,502 instances up; 1 of 2,502 degraded (L2)');
  });
});

import { describe, expect, it } from 'vitest';
import { LATENCY_BUCKET_COUNT, bucketOf } from '../latency-buckets';
import { buildServiceGraph, matchesService, versionSplitText, type ServiceAggregate, type ServiceGraphInput } from './service-graph';

const svc = (id: string, over: Partial<ServiceAggregate> = {}): ServiceAggregate => ({
  id,
  name: id,
  labels: {},
  instances: 4,
  sampled: 4,
  up: 4,
  rps: 100,
  errorRps: 0,
  p95MsMean: 80,
  maxDegradation: 0,
  degraded: 0,
  openBreakers: 0,
  halfOpenBreakers: 0,
  backpressured: 0,
  unhealthy: 0,
  severelyDegraded: 0,
  ...over,
});

/** A histogram with `n` requests all in the bucket of `ms`. */
const hist = (ms: number, n: number) => {
  const b = new Array<number>(LATENCY_BUCKET_COUNT).fill(0);
  b[bucketOf(ms)] = n;
  return b;
};

const input = (over: Partial<ServiceGraphInput> = {}): ServiceGraphInput => ({
  tickId: '7',
  at: '2026-12-02T07:00:00.000Z',
  services: [svc('gw', { labels: { layer: 'access' }, rps: 300 }), svc('api', { rps: 200 }), svc('db', { labels: { layer: 'data' }, rps: 90, errorRps: 9 })],
  versions: [],
  calls: [
    { callerId: 'gw', calleeId: 'api' },
    { callerId: 'api', calleeId: 'db' },
  ],
  rollouts: [],
  faults: [],
  ...over,
});

describe('buildServiceGraph', () => {
  it('lays callers before callees and gives each edge the callee’s figures', () => {
    const g = buildServiceGraph(input());
    expect(g.nodes.map((n) => [n.name, n.depth, n.layer])).toEqual([
      ['api', 1, null],
      ['db', 2, 'data'],
      ['gw', 0, 'access'],
    ]);
    const e = g.edges.find((x) => x.target === 'db')!;
    expect(e).toMatchObject({ source: 'api', rps: 90, apportioned: false, errorPercent: 10, p95Ms: 80, canaryShare: null });
    expect(e.note).toContain("All of db's inbound traffic comes from api");
  });

  it('apportions a callee’s inbound traffic by its callers’ rates and says so', () => {
    const g = buildServiceGraph(
      input({
        services: [svc('a', { rps: 300 }), svc('b', { rps: 100 }), svc('c', { rps: 80 })],
        calls: [
          { callerId: 'a', calleeId: 'c' },
          { callerId: 'b', calleeId: 'c' },
        ],
      }),
    );
    const [ac, bc] = g.edges;
    expect([ac!.source, ac!.rps, ac!.apportioned]).toEqual(['a', 60, true]);
    expect([bc!.source, bc!.rps]).toEqual(['b', 20]);
    expect(ac!.note).toContain("apportioned by the callers' rates (75 % to a)");
  });

  it('splits a callee’s requests per version and highlights the canary of a running rollout', () => {
    const g = buildServiceGraph(
      input({
        versions: [
          { serviceId: 'db', appVersion: 'v1', requests: 90, errors: 0, buckets: hist(30, 90) },
          { serviceId: 'db', appVersion: 'v2', requests: 10, errors: 5, buckets: hist(800, 10) },
        ],
        rollouts: [{ serviceId: 'db', name: 'db v2', state: 'progressing', stableVersion: 'v1', canaryVersion: 'v2', desiredCanaryPercent: 10 }],
      }),
    );
    const db = g.nodes.find((n) => n.id === 'db')!;
    expect(db.versions.map((v) => [v.version, v.share, v.errorRate])).toEqual([
      ['v1', 0.9, 0],
      ['v2', 0.1, 0.5],
    ]);
    // P95 of the merged histogram: the slowest 10 % are in v2's 700–1000 ms bucket.
    expect(db.p95Ms).toBeGreaterThan(700);
    expect(db.rollout).toMatchObject({ canaryVersion: 'v2', canaryShare: 0.1 });
    const e = g.edges.find((x) => x.target === 'db')!;
    expect(e.canaryShare).toBe(0.1);
    expect(e.canaryVersion).toBe('v2');
    expect(versionSplitText(e.versions)).toBe('v1 90 % · v2 10 %');
  });

  it('falls back to the rollout’s desired canary weight when the canary has no traffic yet', () => {
    const g = buildServiceGraph(input({ rollouts: [{ serviceId: 'api', name: 'r', state: 'progressing', stableVersion: 'v1', canaryVersion: 'v2', desiredCanaryPercent: 25 }] }));
    expect(g.nodes.find((n) => n.id === 'api')!.rollout!.canaryShare).toBe(0.25);
  });

  it('says why a service is unhealthy, every count with its denominator', () => {
    const g = buildServiceGraph(
      input({
        services: [
          svc('ok'),
          svc('warn', { unhealthy: 1, degraded: 1, maxDegradation: 1, backpressured: 2, halfOpenBreakers: 1, instances: 40, sampled: 40, up: 40 }),
          svc('bad', { unhealthy: 1, openBreakers: 1, up: 3, errorRps: 6 }),
          svc('down', { up: 0, unhealthy: 4 }),
          svc('new', { sampled: 0, up: 0, rps: 0, p95MsMean: null, maxDegradation: null }),
        ],
        calls: [],
        faults: [{ serviceId: 'ok', instanceId: 'i1', kind: 'delay', experiment: 'slow disk' }],
      }),
    );
    const by = new Map(g.nodes.map((n) => [n.name, n]));
    expect(by.get('ok')).toMatchObject({ health: 'warn', reasons: ['1 of 4 with injected faults'], faults: { instances: 1, kinds: ['delay'], experiments: ['slow disk'] } });
    expect(by.get('warn')).toMatchObject({
      health: 'warn',
      reasons: ['1 of 40 degraded (L1)', '1 of 40 breakers half-open', '2 of 40 backpressured (a stage ≥ 85 % full)'],
    });
    expect(by.get('bad')).toMatchObject({
      health: 'bad',
      reasons: ['1 of 4 instances unhealthy (25 %, from 10 % the service is)', '1 of 4 down', '1 of 4 breakers open', 'errors 6 % of requests'],
    });
    expect(by.get('down')!.reasons).toEqual(['every instance is down (0 of 4 up)']);
    expect(by.get('new')).toMatchObject({ hasTelemetry: false, health: 'ok', errorPercent: null, p95Ms: null });
  });

  it('one stage-broken instance of 2,502 makes the node a warning with the count in words, not red', () => {
    const g = buildServiceGraph(
      input({ services: [svc('big', { instances: 2502, sampled: 2502, up: 2502, unhealthy: 1, degraded: 1, severelyDegraded: 1, maxDegradation: 2 })], calls: [] }),
    );
    expect(g.nodes[0]).toMatchObject({ health: 'warn', reasons: ['1 of 2,502 degraded (L2)'] });
  });

  it('ignores calls to unknown services and self-calls, and survives a cycle', () => {
    const g = buildServiceGraph(
      input({
        services: [svc('a'), svc('b')],
        calls: [
          { callerId: 'a', calleeId: 'b' },
          { callerId: 'b', calleeId: 'a' },
          { callerId: 'a', calleeId: 'a' },
          { callerId: 'a', calleeId: 'gone' },
        ],
      }),
    );
    expect(g.edges.map((e) => e.id)).toEqual(['a->b', 'b->a']);
    expect(g.nodes.map((n) => n.depth)).toEqual([0, 0]);
  });
});

describe('matchesService', () => {
  const node = { name: 'payment-svc', labels: { layer: 'data', team: 'payments' } };
  it('matches the name or a label, case-insensitively', () => {
    expect(matchesService(node, 'PAYMENT')).toBe(true);
    expect(matchesService(node, 'data')).toBe(true);
    expect(matchesService(node, 'layer=data')).toBe(true);
    expect(matchesService(node, 'order')).toBe(false);
    expect(matchesService(node, '  ')).toBe(false);
  });
});

// The lab and the Prometheus metrics source, against real HAProxy, Node backends and Prometheus.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LATENCY_BUCKETS_MS, LATENCY_BUCKET_COUNT } from '../server/domain/latency-buckets';
import { createPrometheusSource } from '../server/platform/prometheus';
import { createAdapter } from '../server/platform/registry';
import { burst } from '../server/platform/haproxy/testing/harness';
import { startLab, type Lab } from './lab';

let lab: Lab;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sb-lab-'));
  lab = await startLab({ dir, fleet: { checkout: { v1: 1, v2: 1 } }, load: false });
}, 60_000);
afterAll(async () => {
  await lab?.stop();
  await rm(dir, { recursive: true, force: true });
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('lab', () => {
  it('serves both versions through HAProxy, and Prometheus scrapes every backend', async () => {
    const r = await burst(lab.frontends.checkout!, 100, { concurrency: 4 });
    expect(r.byStatus[200]).toBe(100);
    expect(Object.keys(r.byServer).sort()).toEqual(['checkout-v1-1', 'checkout-v2-1']);
    const up = await fetch(`${lab.prometheusUrl}/api/v1/query?query=up`).then((x) => x.json() as Promise<{ data: { result: Array<{ value: [number, string] }> } }>);
    expect(up.data.result.map((x) => x.value[1])).toEqual(['1', '1']);
  });

  // Waits for a condition (the 10 s rate window holding only the new latencies), bounded generously:
  // on a busy machine scrapes and bursts come late, which only makes the wait longer.
  it('P95 read from Prometheus matches the histogram the backend exposed, within its bucket', { timeout: 150_000 }, async () => {
    // Latencies just above a bucket's lower bound, so timers that fire late on a busy machine
    // still land in the same bucket: 310 ms in (300, 450], 140 ms in (135, 200].
    await lab.setKnobs('checkout-v1-1', { latencyMs: 310, jitterMs: 0 });
    await lab.setKnobs('checkout-v2-1', { latencyMs: 140, jitterMs: 0 });
    const source = createPrometheusSource({ url: lab.prometheusUrl, window: '10s' });
    const instances = [
      { id: 'a', name: 'checkout-v1-1' },
      { id: 'b', name: 'checkout-v2-1' },
    ];
    // Keep traffic flowing until the rate window holds only the new latencies (older
    // observations from before the knobs changed age out of the 10 s window).
    const deadline = Date.now() + 120_000;
    let p95a = 0;
    let p95b = 0;
    while (Date.now() < deadline) {
      await burst(lab.frontends.checkout!, 40, { concurrency: 8 });
      const m = await source.read(new Date(), instances);
      p95a = m.get('a')?.p95Ms ?? 0;
      p95b = m.get('b')?.p95Ms ?? 0;
      if (p95a > 300 && p95a <= 450 && p95b > 135 && p95b <= 200) break;
    }
    expect(p95a).toBeGreaterThan(300);
    expect(p95a).toBeLessThanOrEqual(450);
    expect(p95b).toBeGreaterThan(135);
    expect(p95b).toBeLessThanOrEqual(200);
  });

  it('per-tick latency buckets through Prometheus: each request counted once, in its bucket; the HAProxy adapter fills them', { timeout: 150_000 }, async () => {
    // Latencies in the middle of a bucket: (90, 135] ms and (40, 60] ms (late timers may push some higher).
    await lab.setKnobs('checkout-v1-1', { latencyMs: 110, jitterMs: 0 });
    await lab.setKnobs('checkout-v2-1', { latencyMs: 50, jitterMs: 0 });
    const adapter = createAdapter({ name: 'lab', kind: 'haproxy', config: lab.adapterConfig });
    expect(adapter.capabilities().latencyHistogram).toBe(true);
    const source = createPrometheusSource(lab.adapterConfig.metrics);
    await adapter.setFleet({
      services: [{ id: 'svc', name: 'checkout', routing: { versionWeights: { v1: 50, v2: 50 }, headerRules: [] } }],
      instances: lab.adapterConfig.instances.map((i) => ({ id: i.instance, name: i.instance, serviceId: 'svc', serviceName: 'checkout', appVersion: i.version, region: 'lab', zone: 'lab-a', cluster: 'lab-1', address: i.address ?? '', adminState: 'ready' as const })),
    });
    await adapter.applyServiceRouting('svc', { versionWeights: { v1: 50, v2: 50 }, headerRules: [] });
    // What each backend itself counted, and what Prometheus has scraped of it.
    const own = async () => {
      const out = new Map<string, number>();
      for (const i of lab.instances) {
        const text = await fetch(`http://${i.address}/metrics`).then((r) => r.text());
        out.set(i.name, Number(/^http_request_duration_seconds_count\{[^}]*\} (\d+)$/m.exec(text)?.[1] ?? NaN));
      }
      return out;
    };
    // Each backend's own histogram as per-bucket counts (its exposition is cumulative by `le`).
    const ownBuckets = async () => {
      const out = new Map<string, number[]>();
      for (const i of lab.instances) {
        const text = await fetch(`http://${i.address}/metrics`).then((r) => r.text());
        const cumulative = [...text.matchAll(/^http_request_duration_seconds_bucket\{[^}]*le="([^"]+)"\} (\d+)$/gm)].map((m) => Number(m[2]));
        expect(cumulative, i.name).toHaveLength(LATENCY_BUCKET_COUNT);
        out.set(i.name, cumulative.map((c, k) => c - (k === 0 ? 0 : cumulative[k - 1]!)));
      }
      return out;
    };
    const scraped = () => source.query('sum by (sb_instance) (http_request_duration_seconds_count)');
    // Requests before the baseline must not count in the tick after it.
    await burst(lab.frontends.checkout!, 40, { concurrency: 4 });
    const caughtUp = async (expected: Map<string, number>) => {
      const p = await scraped();
      return [...expected].every(([name, n]) => p.get(name) === n);
    };
    await expect.poll(async () => caughtUp(await own()), { timeout: 30_000, interval: 250 }).toBe(true);
    await adapter.readTelemetry(new Date()); // the baseline: HAProxy counters and cumulative buckets

    const before = await own();
    const ownBefore = await ownBuckets();
    const sent = await burst(lab.frontends.checkout!, 200, { concurrency: 8 });
    expect(sent.byStatus[200]).toBe(200);
    await expect.poll(() => caughtUp(new Map([...before].map(([n, c]) => [n, c + (sent.byServer[n] ?? 0)]))), { timeout: 30_000, interval: 250 }).toBe(true);
    const tick = new Map((await adapter.readTelemetry(new Date())).map((t) => [t.instanceId, t]));
    for (const [name, bound] of [['checkout-v1-1', 135], ['checkout-v2-1', 60]] as const) {
      const t = tick.get(name)!;
      const n = sent.byServer[name]!;
      expect(n).toBeGreaterThan(50);
      // HAProxy's counters and the backend's histogram count the same requests, each once.
      expect(t.requests, name).toBe(n);
      expect(t.latencyBuckets, name).toHaveLength(LATENCY_BUCKET_COUNT);
      expect(t.latencyBuckets!.reduce((a, b) => a + b, 0), name).toBe(n);
      // Timers never fire early (a busy machine makes some late, into higher buckets) …
      const at = LATENCY_BUCKETS_MS.indexOf(bound);
      expect(t.latencyBuckets!.slice(0, at).reduce((a, b) => a + b, 0), name).toBe(0);
      // … and the tick holds exactly what the backend's own histogram gained, bucket by bucket.
      const ownAfter = await ownBuckets();
      expect(t.latencyBuckets, name).toEqual(ownAfter.get(name)!.map((c, i) => c - ownBefore.get(name)![i]!));
    }
    await adapter.close();
  });

  it('the errorPct knob of a backend shows in the HAProxy adapter telemetry as that server\'s errors', { timeout: 60_000 }, async () => {
    await lab.setKnobs('checkout-v1-1', { latencyMs: 5, jitterMs: 0, errorPct: 0 });
    await lab.setKnobs('checkout-v2-1', { latencyMs: 5, jitterMs: 0, errorPct: 20 });
    const adapter = createAdapter({ name: 'lab', kind: 'haproxy', config: lab.adapterConfig });
    try {
      await adapter.setFleet({
        services: [{ id: 'svc', name: 'checkout', routing: { versionWeights: { v1: 50, v2: 50 }, headerRules: [] } }],
        instances: lab.adapterConfig.instances.map((i) => ({ id: i.instance, name: i.instance, serviceId: 'svc', serviceName: 'checkout', appVersion: i.version, region: 'lab', zone: 'lab-a', cluster: 'lab-1', address: i.address ?? '', adminState: 'ready' as const })),
      });
      await adapter.applyServiceRouting('svc', { versionWeights: { v1: 50, v2: 50 }, headerRules: [] });
      await adapter.readTelemetry(new Date()); // baseline of HAProxy's counters
      const sent = await burst(lab.frontends.checkout!, 1000, { concurrency: 16 });
      const tick = new Map((await adapter.readTelemetry(new Date())).map((t) => [t.instanceId, t]));
      const v1 = tick.get('checkout-v1-1')!;
      const v2 = tick.get('checkout-v2-1')!;
      // Only v2 fails, so every 500 the clients saw is one of v2's errors, counted by HAProxy per server.
      expect(sent.byStatus[500]).toBeGreaterThan(0);
      expect(v2.requests).toBe(sent.byServer['checkout-v2-1']);
      expect(v2.errors).toBe(sent.byStatus[500]);
      expect(v1.requests).toBe(sent.byServer['checkout-v1-1']);
      expect(v1.errors).toBe(0);
      expect(Math.abs(v2.errors! / v2.requests! - 0.2)).toBeLessThan(0.06);
    } finally {
      await lab.setKnobs('checkout-v2-1', { errorPct: 0 });
      await adapter.close();
    }
  });

  it('a Prometheus that is down gives no numbers: every input it owns is marked stale, in words in the check', async () => {
    await lab.stopPrometheus();
    const source = createPrometheusSource({ url: lab.prometheusUrl, timeoutMs: 500 });
    const m = await source.read(new Date(), [{ id: 'a', name: 'checkout-v1-1' }]);
    expect(m.get('a')).toEqual({ stale: ['p95', 'p50', 'p99', 'cpu'] });
    const check = await source.check();
    expect(check.ok).toBe(false);
    expect(check.message).toBe(`Prometheus at ${lab.prometheusUrl}: connection refused (is Prometheus running?)`);
  });

  it('stop() ends every process the lab started', async () => {
    const pids = lab.pids();
    expect(pids.length).toBe(4);
    await lab.stop();
    expect(pids.filter(alive)).toEqual([]);
  });
});

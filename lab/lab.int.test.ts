// The lab and the Prometheus metrics source, against real HAProxy, Node backends and Prometheus.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrometheusSource } from '../server/platform/prometheus';
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
    // 120 ms without jitter: every observation falls in the (0.1, 0.15] bucket.
    await lab.setKnobs('checkout-v1-1', { latencyMs: 120, jitterMs: 0 });
    await lab.setKnobs('checkout-v2-1', { latencyMs: 20, jitterMs: 0 });
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
      if (p95a > 100 && p95a <= 150 && p95b > 10 && p95b <= 25) break;
    }
    expect(p95a).toBeGreaterThan(100);
    expect(p95a).toBeLessThanOrEqual(150);
    expect(p95b).toBeGreaterThan(10);
    expect(p95b).toBeLessThanOrEqual(25);
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

// Against a real HAProxy 2.6 (Debian package; .ci/run installs it): what the adapter applies
// is what traffic does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetView } from '../adapter';
import { createHaproxyAdapter, HaproxyError, type HaproxyAdapter } from './index';
import { burst, holdAnswers, startHaproxyLab, type HaproxyLab } from './testing/harness';

let lab: HaproxyLab;
let adapter: HaproxyAdapter;
const SID = 'svc-checkout';

function fleet(l: HaproxyLab): FleetView {
  return {
    services: [{ id: SID, name: 'checkout', routing: { versionWeights: { v1: 90, v2: 10 }, headerRules: [] } }],
    instances: l.adapterConfig.instances.map((i) => ({ id: i.instance, name: i.instance, serviceId: SID, serviceName: 'checkout', appVersion: i.version, region: 'lab', zone: 'lab-a', cluster: 'lab-1', address: i.address ?? '', adminState: 'ready' as const })),
  };
}

const share = (b: { byServer: Record<string, number> }, prefix: string, n: number) => Object.entries(b.byServer).filter(([k]) => k.startsWith(prefix)).reduce((a, [, v]) => a + v, 0) / n;

beforeAll(async () => {
  lab = await startHaproxyLab({ checkout: { v1: 2, v2: 1 } });
  adapter = createHaproxyAdapter(lab.adapterConfig);
  await adapter.setFleet(fleet(lab));
});
afterAll(async () => {
  await lab?.close();
});

describe('HAProxy adapter (real HAProxy)', () => {
  // 6,000 requests: the timeout bounds a hang, and a busy machine needs far more than the 30 s default.
  it('splits 90/10 and then 50/50 between versions within ±3 pp over 2,000 requests', { timeout: 180_000 }, async () => {
    await adapter.applyServiceRouting(SID, { versionWeights: { v1: 90, v2: 10 }, headerRules: [] });
    const a = await burst(lab.frontends.checkout!, 2000, { concurrency: 16 });
    expect(a.byStatus[200]).toBe(2000);
    expect(Math.abs(share(a, 'checkout-v2-', 2000) - 0.1)).toBeLessThanOrEqual(0.03);
    await adapter.applyServiceRouting(SID, { versionWeights: { v1: 50, v2: 50 }, headerRules: [] });
    const b = await burst(lab.frontends.checkout!, 2000, { concurrency: 16 });
    expect(Math.abs(share(b, 'checkout-v2-', 2000) - 0.5)).toBeLessThanOrEqual(0.03);
    // Load-aware weights within v1 follow the effective weights: 100 vs 25 → 80/20 of v1's half.
    await adapter.applyWeights([{ instanceId: 'checkout-v1-2', weight: 25 }]);
    const c = await burst(lab.frontends.checkout!, 2000, { concurrency: 16 });
    expect(Math.abs(share(c, 'checkout-v1-2', 2000) - 0.1)).toBeLessThanOrEqual(0.03);
    await adapter.applyWeights([{ instanceId: 'checkout-v1-2', weight: 100 }]);
  });

  it('routes X-Abtest-Group: v2-canary to v2 only, and stops when the rule is removed at run time', async () => {
    await adapter.applyServiceRouting(SID, { versionWeights: { v1: 100, v2: 0 }, headerRules: [{ header: 'X-Abtest-Group', equals: 'v2-canary', version: 'v2' }] });
    const pinned = await burst(lab.frontends.checkout!, 200, { headers: { 'X-Abtest-Group': 'v2-canary' } });
    expect(pinned.byServer).toEqual({ 'checkout-v2-1': 200 });
    const plain = await burst(lab.frontends.checkout!, 200);
    expect(share(plain, 'checkout-v2-', 200)).toBe(0);
    await adapter.applyServiceRouting(SID, { versionWeights: { v1: 100, v2: 0 }, headerRules: [] });
    const after = await burst(lab.frontends.checkout!, 200, { headers: { 'X-Abtest-Group': 'v2-canary' } });
    expect(share(after, 'checkout-v2-', 200)).toBe(0);
    await adapter.applyServiceRouting(SID, { versionWeights: { v1: 50, v2: 50 }, headerRules: [] });
  });

  it('routes prefix and regex header rules through the map_reg header map, first rule first, also after a reload', { timeout: 60_000 }, async () => {
    expect(adapter.capabilities().headerMatches).toEqual(['exact', 'prefix', 'regex']);
    const to = async (value: string) => [...new Set(Object.keys((await burst(lab.frontends.checkout!, 20, { headers: { 'X-Abtest-Group': value } })).byServer).map((k) => k.replace(/-\d+$/, '')))].sort();
    await adapter.applyServiceRouting(SID, {
      versionWeights: { v1: 100, v2: 0 },
      headerRules: [
        // Exact stays exact even with regex characters in the value; an earlier rule wins.
        { header: 'X-Abtest-Group', equals: 'v2.beta', version: 'v1' },
        { header: 'X-Abtest-Group', equals: 'v2.', match: 'prefix', version: 'v2' },
        { header: 'X-Abtest-Group', equals: '(canary|preview)$', match: 'regex', version: 'v2' },
      ],
    });
    // Values a rule matches go to its version backend.
    const matched = async (when: string) => {
      expect(await to('v2.canary'), `v2.canary ${when}`).toEqual(['checkout-v2']);
      expect(await to('v2.beta'), `v2.beta ${when}`).toEqual(['checkout-v1']);
      expect(await to('team-preview'), `team-preview ${when}`).toEqual(['checkout-v2']);
    };
    // The rest follows the version weights (100 % v1).
    const unmatched = async (when: string) => {
      expect(await to('v2xgamma'), `v2xgamma ${when}`).toEqual(['checkout-v1']); // "." of the prefix is literal
      expect(await to('v1-stable'), `v1-stable ${when}`).toEqual(['checkout-v1']);
    };
    await matched('at run time');
    await unmatched('at run time');
    await adapter.readTelemetry(new Date()); // the adapter knows this process (to notice the reload)
    // HAProxy loads the map file again on a reload: it holds the same patterns (the weights of
    // the default backend come back only when the adapter re-applies them).
    await lab.reload();
    await matched('after a reload');
    await adapter.readTelemetry(new Date()); // the adapter sees the new process and re-applies
    await matched('re-applied after the reload');
    await unmatched('re-applied after the reload');
    await adapter.applyServiceRouting(SID, { versionWeights: { v1: 50, v2: 50 }, headerRules: [] });
  });

  it('drain: a drained instance gets no new requests while its in-flight request completes', async () => {
    const slow = lab.backends.get('checkout-v1-1')!;
    const release = holdAnswers(slow);
    // Pin the in-flight request to v1-1 by making it the only server with weight.
    await adapter.applyServiceRouting(SID, { versionWeights: { v1: 100, v2: 0 }, headerRules: [] });
    await adapter.applyWeights([{ instanceId: 'checkout-v1-2', weight: 0 }]);
    const inFlight = burst(lab.frontends.checkout!, 1);
    await expect.poll(() => slow.inFlight, { timeout: 10_000, interval: 20 }).toBe(1);
    await adapter.setInstanceState('checkout-v1-1', 'drain');
    await adapter.applyWeights([{ instanceId: 'checkout-v1-2', weight: 100 }]);
    // New requests go elsewhere while the held one is still open; then it may finish.
    const after = await burst(lab.frontends.checkout!, 100);
    release();
    const done = await inFlight;
    expect(done.byStatus[200]).toBe(1);
    expect(done.byServer['checkout-v1-1']).toBe(1);
    expect(after.byServer['checkout-v1-1'] ?? 0).toBe(0);
    expect(after.byStatus[200]).toBe(100);
    await adapter.setInstanceState('checkout-v1-1', 'ready');
    await adapter.applyServiceRouting(SID, { versionWeights: { v1: 50, v2: 50 }, headerRules: [] });
  });

  it('reads back the requests sent and the connections held open', async () => {
    await adapter.readTelemetry(new Date());
    const t0 = Date.now();
    await burst(lab.frontends.checkout!, 300, { concurrency: 6 });
    const counted = await adapter.readTelemetry(new Date(Math.max(Date.now(), t0 + 1000)));
    expect(counted.reduce((a, x) => a + (x.requests ?? 0), 0)).toBe(300);
    expect(counted.every((x) => x.up && (x.rps ?? 0) > 0)).toBe(true);
    const b = lab.backends.get('checkout-v2-1')!;
    const release = holdAnswers(b);
    await adapter.applyServiceRouting(SID, { versionWeights: { v1: 0, v2: 100 }, headerRules: [] });
    const held = burst(lab.frontends.checkout!, 5, { concurrency: 5 });
    try {
      await expect.poll(() => b.inFlight, { timeout: 10_000, interval: 20 }).toBe(5);
      const t = await adapter.readTelemetry(new Date());
      expect(new Map(t.map((x) => [x.instanceId, x])).get('checkout-v2-1')!.connections).toBe(5);
    } finally {
      release();
      await held;
      await adapter.applyServiceRouting(SID, { versionWeights: { v1: 50, v2: 50 }, headerRules: [] });
    }
  });

  it('injects 10 % HTTP 503 (10 % ± 3 pp over 1,000 requests), lists it with its expiry, and removes it', async () => {
    const expiresAt = new Date(Date.now() + 60_000);
    await adapter.injectFault({ id: 'f503', instanceId: '', backend: 'be_checkout', spec: { kind: 'http-error', status: 503, pct: 10 }, expiresAt });
    expect((await adapter.listFaults()).map((f) => [f.id, f.expiresAt.getTime()])).toEqual([['f503', expiresAt.getTime()]]);
    const r = await burst(lab.frontends.checkout!, 1000, { concurrency: 16 });
    expect(Math.abs((r.byStatus[503] ?? 0) / 1000 - 0.1)).toBeLessThanOrEqual(0.03);
    await adapter.removeFault('f503');
    const clean = await burst(lab.frontends.checkout!, 200, { concurrency: 8 });
    expect(clean.byStatus[503] ?? 0).toBe(0);
  });

  it('adds 200 ms ± 50 ms of delay: the median added latency, against the undelayed median of the same run, is neither missing nor doubled', { timeout: 90_000 }, async () => {
    // Baseline and delayed requests interleaved in rounds, with the same concurrency, so whatever
    // else the machine is doing weighs on both sides alike.
    const base: number[] = [];
    const slow: number[] = [];
    for (let round = 0; round < 6; round++) {
      base.push(...(await burst(lab.frontends.checkout!, 24, { concurrency: 6 })).latenciesMs);
      await adapter.injectFault({ id: 'fdelay', instanceId: '', backend: 'be_checkout', spec: { kind: 'delay', delayMs: 200, jitterMs: 50 }, expiresAt: new Date(Date.now() + 60_000) });
      slow.push(...(await burst(lab.frontends.checkout!, 24, { concurrency: 6 })).latenciesMs);
      await adapter.removeFault('fdelay');
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    // The jitter is normal (σ = 50 ms), so single requests may wait far less than 150 ms; the
    // median added latency is 200 ms give or take sampling. The bounds leave room for load on the
    // delayed side (a busy 2-core machine added 228 ms once) but not for no delay (≈ 0) or a
    // delay applied twice (≈ 400 ms).
    const added = median(slow) - median(base);
    expect(added).toBeGreaterThanOrEqual(150);
    expect(added).toBeLessThan(300);
  });

  it('a fault stops acting at its expiry even before anyone removes it; the reaper then clears it', async () => {
    // Long enough that a slow machine still sees the fault act before it expires.
    const expiresAt = new Date(Date.now() + 6000);
    await adapter.injectFault({ id: 'fexp', instanceId: 'checkout-v1-1', spec: { kind: 'http-error', status: 500, pct: 100 }, expiresAt });
    const during = await burst(lab.frontends.checkout!, 60, { concurrency: 6 });
    expect(during.byStatus[500] ?? 0).toBeGreaterThan(0);
    // HAProxy checks the expiry itself: the errors stop without any call from us.
    await expect.poll(async () => (await burst(lab.frontends.checkout!, 60, { concurrency: 6 })).byStatus[500] ?? 0, { timeout: 20_000, interval: 200 }).toBe(0);
    // HAProxy's clock has whole seconds and the expiry is rounded down: never late, at most 1 s early.
    expect(Date.now()).toBeGreaterThanOrEqual(Math.floor(expiresAt.getTime() / 1000) * 1000);
    // The reaper goes by the exact expiry, which may still be up to a second away.
    const reaped: string[] = [];
    await expect.poll(async () => (reaped.push(...(await adapter.reapExpired())), reaped), { timeout: 10_000, interval: 100 }).toEqual(['fexp']);
    expect(await adapter.listFaults()).toEqual([]);
  });

  it('a reload keeps the version split and an injected fault', async () => {
    await adapter.applyServiceRouting(SID, { versionWeights: { v1: 90, v2: 10 }, headerRules: [{ header: 'X-Abtest-Group', equals: 'v2-canary', version: 'v2' }] });
    await adapter.injectFault({ id: 'freload', instanceId: '', backend: 'be_checkout', spec: { kind: 'http-error', status: 502, pct: 10 }, expiresAt: new Date(Date.now() + 60_000) });
    const pid = lab.pid();
    await lab.reload();
    expect(lab.pid()).not.toBe(pid);
    await adapter.readTelemetry(new Date()); // sees the new process and re-applies
    const r = await burst(lab.frontends.checkout!, 2000, { concurrency: 16 });
    const ok = r.byStatus[200] ?? 0;
    const v2 = r.byServer['checkout-v2-1'] ?? 0;
    expect(Math.abs(v2 / ok - 0.1)).toBeLessThanOrEqual(0.03);
    expect(Math.abs((r.byStatus[502] ?? 0) / 2000 - 0.1)).toBeLessThanOrEqual(0.03);
    const pinned = await burst(lab.frontends.checkout!, 50, { headers: { 'X-Abtest-Group': 'v2-canary' } });
    expect(pinned.byServer['checkout-v2-1']).toBe(pinned.byStatus[200]);
    await adapter.removeFault('freload');
  });

  it('reports a gone socket in words and recovers by itself when HAProxy returns', async () => {
    await lab.stop();
    const err = await adapter.readTelemetry(new Date()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HaproxyError);
    expect((err as Error).message).toBe(`HAProxy at ${lab.dir}/admin.sock: no such socket (is HAProxy running?)`);
    await lab.start();
    const t = await adapter.readTelemetry(new Date());
    expect(t).toHaveLength(3);
    // Re-applied on return: the split is 90/10 again, not HAProxy's configured 100/100/100.
    const r = await burst(lab.frontends.checkout!, 1000, { concurrency: 16 });
    expect(Math.abs((r.byServer['checkout-v2-1'] ?? 0) / 1000 - 0.1)).toBeLessThanOrEqual(0.03);
  });
});

// syncFaults against a real HAProxy: the maps become exactly the desired set, each sync moves the
// in-platform expiry forward, HAProxy drops a fault by itself once nobody moves it, a fresh
// adapter (a restarted worker) removes what an earlier one left, and a cohort scopes a fault to
// the requests carrying its header value.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultInjection, FaultSpec, FleetView } from '../adapter';
import { faultMaps } from './config';
import { createHaproxyAdapter, RuntimeClient, type HaproxyAdapter } from './index';
import { burst, startHaproxyLab, type HaproxyLab } from './testing/harness';

let lab: HaproxyLab;
let adapter: HaproxyAdapter;
const SID = 'svc-checkout';
const sent: string[] = [];

function fleet(l: HaproxyLab): FleetView {
  return {
    services: [{ id: SID, name: 'checkout', routing: { versionWeights: { v1: 50, v2: 50 }, headerRules: [] } }],
    instances: l.adapterConfig.instances.map((i) => ({ id: i.instance, name: i.instance, serviceId: SID, serviceName: 'checkout', appVersion: i.version, region: 'lab', zone: 'lab-a', cluster: 'lab-1', address: i.address ?? '', adminState: 'ready' as const })),
  };
}

async function open(): Promise<HaproxyAdapter> {
  const a = createHaproxyAdapter(lab.adapterConfig, { logger: { debug: (l) => sent.push(l) } });
  await a.setFleet(fleet(lab));
  return a;
}

/** A fault on the whole checkout backend (named by its service, as Injection.backend is). */
const onService = (id: string, spec: FaultSpec, expiresAt: Date, cohort?: FaultInjection['cohort']): FaultInjection => ({ id, instanceId: '', backend: 'checkout', spec, expiresAt, ...(cohort ? { cohort } : {}) });
const e503: FaultSpec = { kind: 'http-error', status: 503, pct: 100 };
const in503 = async (n = 40, headers?: Record<string, string>) => (await burst(lab.frontends.checkout!, n, { concurrency: 4, headers })).byStatus[503] ?? 0;
const expiryMap = async () => new RuntimeClient(`unix:${lab.dir}/admin.sock`).send(`show map ${faultMaps(lab.dir).expiry}`);

beforeAll(async () => {
  lab = await startHaproxyLab({ checkout: { v1: 2, v2: 1 } });
  adapter = await open();
});
afterAll(async () => {
  await lab?.close();
});

describe('syncFaults on a real HAProxy', () => {
  it('each sync moves the in-platform expiry forward; once syncs stop, HAProxy drops the fault by itself at the last expiry', { timeout: 90_000 }, async () => {
    const first = new Date(Date.now() + 3000);
    expect(await adapter.syncFaults([onService('exp', e503, first)])).toEqual({ failed: [] });
    expect(await in503()).toBe(40);
    // A controller renewing its lease: every sync pushes now + 3 s. Past the first expiry (by
    // HAProxy's whole-second clock and then some) the fault still acts, because it moved.
    while (Date.now() < first.getTime() + 1500) {
      await adapter.syncFaults([onService('exp', e503, new Date(Date.now() + 3000))]);
      expect(await in503(8)).toBe(8);
    }
    expect(Number(/err:be_checkout (\d+)/.exec(await expiryMap())?.[1])).toBeGreaterThan(Math.floor(first.getTime() / 1000));
    // The last push: 2 s ahead, then nobody syncs again (every worker gone).
    const last = new Date(Date.now() + 2000);
    await adapter.syncFaults([onService('exp', e503, last)]);
    expect(await in503(8)).toBe(8);
    await expect.poll(() => in503(), { timeout: 30_000, interval: 100 }).toBe(0);
    // HAProxy's clock has whole seconds and the expiry is rounded down: never late, at most 1 s early.
    expect(Date.now()).toBeGreaterThanOrEqual(Math.floor(last.getTime() / 1000) * 1000);
    await adapter.syncFaults([]);
  });

  it('a steady set re-sends only the expiry map, and nothing when even that is unchanged', async () => {
    const until = new Date(Date.now() + 60_000);
    await adapter.syncFaults([onService('steady', { kind: 'delay', delayMs: 5, jitterMs: 0 }, until)]);
    sent.length = 0;
    await adapter.syncFaults([onService('steady', { kind: 'delay', delayMs: 5, jitterMs: 0 }, until)]);
    expect(sent.filter((l) => l.includes('prepare map'))).toEqual([]);
    await adapter.syncFaults([onService('steady', { kind: 'delay', delayMs: 5, jitterMs: 0 }, new Date(until.getTime() + 5000))]);
    expect(sent.filter((l) => l.includes('prepare map')).map((l) => l.replace(/.*prepare map /, ''))).toEqual([faultMaps(lab.dir).expiry]);
    await adapter.syncFaults([]);
  });

  it('a fresh adapter (a restarted worker) does not resurrect faults and removes the ones an earlier one left in the maps', async () => {
    await adapter.syncFaults([onService('left', e503, new Date(Date.now() + 120_000))]);
    expect(await in503()).toBe(40);
    // The earlier process is gone without cleaning up; the next leader opens its own adapter.
    const next = await open();
    expect(await next.listFaults()).toEqual([]);
    expect(await next.syncFaults([])).toEqual({ failed: [] });
    expect(await in503()).toBe(0);
    // The files HAProxy loads on a reload hold nothing either.
    expect(await readFile(faultMaps(lab.dir).error[503], 'utf8')).toBe('');
    expect(await readFile(faultMaps(lab.dir).expiry, 'utf8')).toBe('');
    adapter = next;
  });

  it('a cohort fault affects only requests carrying its X-Abtest-Group value (errors, resets, delay)', { timeout: 60_000 }, async () => {
    expect(adapter.capabilities().faultCohortHeaders).toEqual(['X-Abtest-Group']);
    const until = new Date(Date.now() + 60_000);
    const canary = { header: 'X-Abtest-Group', value: 'v2-canary' };
    const yes = { 'X-Abtest-Group': 'v2-canary' };
    const other = { 'X-Abtest-Group': 'v1-stable' };
    await adapter.syncFaults([onService('c503', e503, until, canary)]);
    expect(await in503(40, yes)).toBe(40);
    expect(await in503(40, other)).toBe(0);
    expect(await in503(40)).toBe(0);
    // One server only, also scoped.
    await adapter.syncFaults([{ id: 'c1', instanceId: 'checkout-v1-1', spec: e503, expiresAt: until, cohort: canary }]);
    const pinned = await burst(lab.frontends.checkout!, 60, { concurrency: 4, headers: yes });
    expect(pinned.byStatus[503]).toBe(pinned.byServer['-']);
    expect(pinned.byStatus[503]).toBeGreaterThan(0);
    expect(pinned.byServer['checkout-v1-1'] ?? 0).toBe(0);
    expect(await in503(40, other)).toBe(0);
    // Connection resets (loss) happen before a server is chosen: scoped in the request rules.
    await adapter.syncFaults([onService('closs', { kind: 'loss', pct: 100 }, until, canary)]);
    expect((await burst(lab.frontends.checkout!, 20, { concurrency: 4, headers: yes })).byStatus[200] ?? 0).toBe(0);
    expect((await burst(lab.frontends.checkout!, 20, { concurrency: 4, headers: other })).byStatus[200]).toBe(20);
    await adapter.syncFaults([onService('cdelay', { kind: 'delay', delayMs: 400, jitterMs: 0 }, until, canary)]);
    const slow = await burst(lab.frontends.checkout!, 8, { concurrency: 4, headers: yes });
    const fast = await burst(lab.frontends.checkout!, 8, { concurrency: 4, headers: other });
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    // Never shorter than the delay (a correctness bound); the other group's requests are not delayed.
    expect(Math.min(...slow.latenciesMs)).toBeGreaterThanOrEqual(395);
    expect(median(fast.latenciesMs)).toBeLessThan(395);
    // A header HAProxy cannot test, or a value that cannot sit in a map, is refused in words.
    const refused = await adapter.syncFaults([onService('bad', e503, until, { header: 'X-Other', value: 'a' }), onService('bad2', e503, until, { header: 'X-Abtest-Group', value: '*' })]);
    expect(refused.failed).toEqual([
      { id: 'bad', error: 'the haproxy adapter scopes faults by X-Abtest-Group only, not X-Other' },
      { id: 'bad2', error: 'cohort X-Abtest-Group: the cohort value may not be "*"' },
    ]);
    await adapter.syncFaults([]);
  });

  it('two faults of one slot on one key: the earliest keeps it (its value, expiry and cohort), the later is refused in words', async () => {
    const soon = new Date(Date.now() + 30_000);
    const later = new Date(Date.now() + 120_000);
    const canary = { header: 'X-Abtest-Group', value: 'v2-canary' };
    const out = await adapter.syncFaults([
      onService('first', e503, soon),
      // Another status is the same slot: one expiry and one cohort per key.
      onService('second', { kind: 'http-error', status: 500, pct: 100 }, later, canary),
      // Another slot on the same key, and the same slot on one server, are their own keys.
      onService('third', { kind: 'delay', delayMs: 5, jitterMs: 0 }, later),
      { id: 'fourth', instanceId: 'checkout-v1-1', spec: e503, expiresAt: later },
    ]);
    expect(out.failed).toEqual([{ id: 'second', error: 'the haproxy adapter cannot hold two http-error faults on be_checkout at once (fault first already holds it)' }]);
    const expiry = await expiryMap();
    expect(Number(/err:be_checkout (\d+)/.exec(expiry)?.[1])).toBe(Math.floor(soon.getTime() / 1000));
    expect(expiry).toContain(`delay:be_checkout ${Math.floor(later.getTime() / 1000)}`);
    expect(await new RuntimeClient(`unix:${lab.dir}/admin.sock`).send(`show map ${faultMaps(lab.dir).cohort}`)).not.toContain('err:be_checkout');
    expect(await in503()).toBe(40);
    expect(await adapter.listFaults()).not.toContainEqual(expect.objectContaining({ id: 'second' }));
    // injectFault refuses the same clash.
    await expect(adapter.injectFault(onService('fifth', { kind: 'http-error', status: 502, pct: 50 }, later))).rejects.toThrow(/cannot hold two http-error faults on be_checkout/);
    await adapter.syncFaults([]);
  });

  it('a fractional percentage is refused in words (the rules draw whole percentages) and the capabilities say so', async () => {
    const until = new Date(Date.now() + 60_000);
    const out = await adapter.syncFaults([onService('frac', { kind: 'loss', pct: 0.4 }, until), onService('frac2', { kind: 'http-error', status: 503, pct: 12.5 }, until)]);
    expect(out.failed).toEqual([
      { id: 'frac', error: 'the haproxy adapter cannot inject loss on 0.4 % of requests (whole percentages only)' },
      { id: 'frac2', error: 'the haproxy adapter cannot inject http-error on 12.5 % of requests (whole percentages only)' },
    ]);
    expect(await adapter.listFaults()).toEqual([]);
    expect(adapter.capabilities()).toMatchObject({ faultWholePercentOnly: true, faultLossWholeServiceOnly: true, faultErrorStatuses: [500, 502, 503, 504], faultCohortHeaders: ['X-Abtest-Group'] });
  });

  it('a configuration that does not load the fault maps: cohorts reported unsupported, faults refused in words, nothing sent', async () => {
    const old = createHaproxyAdapter({ ...lab.adapterConfig, mapDir: `${lab.dir}/elsewhere` });
    await old.setFleet(fleet(lab));
    expect(old.capabilities().faultCohortHeaders).toEqual([]);
    const out = await old.syncFaults([onService('nomap', e503, new Date(Date.now() + 60_000))]);
    expect(out.failed).toEqual([{ id: 'nomap', error: "the HAProxy configuration does not load sb_expiry.map, sb_err503.map (regenerate it with Switchback's fault rules)" }]);
    expect(await in503()).toBe(0);
  });
});

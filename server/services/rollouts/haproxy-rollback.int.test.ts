// A canary rollout on a real HAProxy, run as in production: a worker (graphile-worker with the task
// registry, and the telemetry loop leading) reconciles it; HAProxy's counters become the
// per-version samples the analysis reads. A healthy canary gets its header route and its split;
// when v2 starts answering 20 % errors the analysis fails and the rollout rolls back by itself —
// proved by counting where 1,000 requests through HAProxy go afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { makeDefaultPolicies, makeUser } from '../../db/factories';
import type { AnalysisResult } from '../../domain/rollouts/analysis/types';
import type { RolloutSpec } from '../../domain/rollouts/spec';
import { parseEnv } from '../../env';
import { startWorker, type WorkerHandle } from '../../jobs/worker';
import { burst, startHaproxyLab, steadyLoad, type Burst, type HaproxyLab } from '../../platform/haproxy/testing/harness';
import { activateAdapterConfig, importPlatformTopology, saveAdapterConfig } from '../platform/platform-configs';
import { createRollout, startRollout } from './rollout-commands';

let t: TestDb;
let lab: HaproxyLab;
const admin = { id: null, name: 'test' };
const CANARY = { 'X-Abtest-Group': 'v2-canary' };

beforeAll(async () => {
  t = await openTestDb();
  await makeDefaultPolicies(t.db);
  lab = await startHaproxyLab({ shop: { v1: 2, v2: 1 } });
  const cfg = await saveAdapterConfig(t.db, admin, { name: 'lab', kind: 'haproxy', config: lab.adapterConfig });
  expect(await importPlatformTopology(t.db, admin, { id: cfg.id })).toEqual({ services: 1, instances: 3, updated: 0 });
  await activateAdapterConfig(t.db, admin, { id: cfg.id, version: cfg.version });
});
afterAll(async () => {
  await t?.close();
  await lab?.close();
});

const share = (b: Burst, prefix: string) => Object.entries(b.byServer).reduce((a, [s, n]) => a + (s.startsWith(prefix) ? n : 0), 0);

describe('a canary rollout on real HAProxy', () => {
  it('routes the header and the split while healthy, and rolls back to 100 % v1 by itself when v2 answers 20 % errors', async () => {
    const url = lab.frontends.shop!;
    const v2 = lab.backends.get('shop-v2-1')!;
    const operator = (await makeUser(t.db, { role: 'operator' })).user;
    const spec: RolloutSpec = {
      name: 'shop v2',
      service: 'shop',
      stableVersion: 'v1',
      canaryVersion: 'v2',
      steps: [
        { kind: 'setHeaderRoute', header: 'X-Abtest-Group', match: 'exact', value: 'v2-canary' },
        { kind: 'setWeight', weight: 50 },
        // Long enough that only a failure ends it within the test; a pass needs the whole budget.
        { kind: 'analysis', metrics: [{ metric: 'error-rate', maxIncreasePct: 50 }], seconds: 600 },
        { kind: 'pause' },
      ],
      backgroundAnalysis: null,
      alpha: 0.01,
    };
    const env = parseEnv({ SWITCHBACK_WORKER_CONCURRENCY: '2', SWITCHBACK_TICK_MS: '250', SWITCHBACK_TELEMETRY_LOOP: 'true' });
    const lines: string[] = [];
    const worker: WorkerHandle = await startWorker({ db: t.db, env, connectionString: t.url, log: (l) => lines.push(l) });
    const load = steadyLoad(url, { maxRequests: 60_000, maxMs: 200_000, altHeaders: CANARY });
    try {
      // The worker leads the telemetry loop: ticks are recorded.
      await expect.poll(() => t.db.tick.count(), { timeout: 30_000, interval: 100 }).toBeGreaterThanOrEqual(1);

      // An operator creates and starts the rollout, as the console's commands do.
      const { id, version } = await createRollout(t.db, { id: operator.id, name: operator.name }, { spec });
      await startRollout(t.db, { id: operator.id, name: operator.name }, { id, version });
      const rollout = () => t.db.rollout.findUniqueOrThrow({ where: { id } });

      // Header route and 50 % applied by HAProxy (a step advances only once the platform applied it).
      await expect.poll(async () => { const r = await rollout(); return [r.state, r.currentStep]; }, { timeout: 60_000, interval: 100 }).toEqual(['progressing', 2]);
      const pinned = await burst(url, 200, { concurrency: 4, headers: CANARY });
      expect(pinned.byServer).toEqual({ 'shop-v2-1': 200 });
      const split = await burst(url, 400, { concurrency: 4 });
      expect(split.failures).toBe(0);
      expect(share(split, 'shop-v2-') / 400).toBeGreaterThan(0.35);
      expect(share(split, 'shop-v2-') / 400).toBeLessThan(0.65);
      // A header value the exact rule does not match takes the split, not the canary.
      const other = await burst(url, 200, { concurrency: 4, headers: { 'X-Abtest-Group': 'v2-canary-2' } });
      expect(share(other, 'shop-v1-')).toBeGreaterThan(40);

      // While v2 is healthy the analysis sees canary traffic and keeps running.
      const analysis = () => t.db.analysisRun.findFirst({ where: { rolloutId: id, stepIndex: 2 } });
      const look = async () => {
        const run = await analysis();
        const result = run?.result as unknown as AnalysisResult | null;
        return { verdict: run?.verdict ?? null, enoughCanary: (result?.metrics[0]?.canaryRequests ?? 0) >= 300, enoughStable: (result?.metrics[0]?.stableRequests ?? 0) >= 300 };
      };
      await expect.poll(look, { timeout: 60_000, interval: 200 }).toEqual({ verdict: 'running', enoughCanary: true, enoughStable: true });
      expect(await rollout()).toMatchObject({ state: 'progressing', currentStep: 2 });

      // v2 goes bad: one answer in five is a 500.
      v2.errorPct = 20;
      await expect.poll(async () => (await rollout()).state, { timeout: 90_000, interval: 200 }).toBe('rolled_back');
      const done = await rollout();
      expect(done.abortReason).toBe('analysis_failed');
      expect(v2.errors).toBeGreaterThan(0);
      const run = (await analysis())!;
      expect(run.verdict).toBe('fail');
      const result = run.result as unknown as AnalysisResult;
      expect(result.metrics[0]!.explanation).toMatch(/^canary errors [\d.]+ % vs stable 0 %, [\d,]+ vs [\d,]+ requests; regression beyond \+50 % at 99 % confidence after /);
      expect(done.stateDetail).toContain('Analysis failed');
      const events = await t.db.rolloutEvent.findMany({ where: { rolloutId: id }, orderBy: { at: 'asc' } });
      expect(events.filter((e) => e.kind === 'analysis').map((e) => [e.actorName, e.summary.slice(0, 15)])).toEqual([['worker', 'Analysis failed']]);
      const service = await t.db.service.findUniqueOrThrow({ where: { id: done.serviceId } });
      expect(service.appliedVersion).toBeGreaterThanOrEqual(done.routingVersion!);
    } finally {
      await load.stop();
      await worker.stop();
    }
    expect(load.sent()).toBeGreaterThan(0);

    // Afterwards: 1,000 requests through HAProxy, half of them asking for the canary, all served by v1.
    const servedBefore = v2.served;
    const withHeader = await burst(url, 500, { concurrency: 4, headers: CANARY });
    const without = await burst(url, 500, { concurrency: 4 });
    const where: Record<string, number> = {};
    for (const b of [withHeader, without]) for (const [s, n] of Object.entries(b.byServer)) where[s] = (where[s] ?? 0) + n;
    expect(withHeader.failures + without.failures).toBe(0);
    expect(Object.keys(where).sort()).toEqual(['shop-v1-1', 'shop-v1-2']);
    expect(where['shop-v1-1']! + where['shop-v1-2']!).toBe(1000);
    expect(v2.served).toBe(servedBefore);

    // The harness knob itself: straight to the v2 backend, one answer in five is a 500.
    const direct = await burst(`http://${v2.address}/`, 50, { concurrency: 1 });
    expect(direct.byStatus).toEqual({ 200: 40, 500: 10 });
  }, 300_000);
});

// Telemetry figures (issue 3): the domain step for 10,000 instances, whole ticks of the real loop
// (simulator → domain → apply → one transaction + NOTIFY) at 1,000 and 10,000 instances against
// the embedded PostgreSQL, batched persistence against one INSERT per instance, and the cost of the
// per-version samples (aggregation + their one INSERT) at 10,000 instances.
import pg from 'pg';
import { createDb, type Db } from '../server/db/client';
import { makeFleet } from '../server/db/factories';
import { initialRuntime, stepInstance } from '../server/domain/instance-step';
import type { InstanceTelemetry } from '../server/domain/model';
import { defaultPolicies } from '../server/domain/policy-defaults';
import { activeAdapterConfig, createAdapter, feedSimControls } from '../server/services/platform/active-adapter';
import { TelemetryLoop, type TickTiming } from '../server/jobs/telemetry/loop';
import { persistTick, type SampleRow } from '../server/jobs/telemetry/persist';
import { persistSamplesOneByOne } from '../server/jobs/telemetry/persist-reference';
import { aggregateVersionSamples } from '../server/jobs/telemetry/version-samples';
import { LATENCY_BUCKET_COUNT } from '../server/domain/latency-buckets';
import { syntheticFleet } from './fleets';
import { benchDatabase, summary } from './lib';

function domainStep(n: number, ticks: number) {
  const policies = { weight: defaultPolicies.weight, watermark: defaultPolicies.watermark, breaker: defaultPolicies.breaker };
  const t0 = Date.UTC(2026, 0, 1);
  const runtimes = Array.from({ length: n }, () => initialRuntime(t0));
  const times: number[] = [];
  for (let k = 1; k <= ticks; k++) {
    const now = t0 + k * 1000;
    const start = performance.now();
    for (let i = 0; i < n; i++) {
      const load = ((i * 7919 + k * 31) % 100) / 100;
      const telemetry: InstanceTelemetry = {
        instanceId: String(i), up: true, cpuPct: 20 + 75 * load, p95Ms: 100 + 1500 * load, connections: 500 + 4500 * load, rtMs: 50 + 400 * load,
        requests: 100, errors: Math.round(load * 3), activeRequests: Math.round(100 * load), maxConcurrency: 128,
        stages: [0.1, 0.3, 0.5, 0.7, 0.9].map((f) => ({ fill: Math.min(1, f * load * 1.2), inputs: 100, outputs: 99, outputBlocked: f * load > 0.9 })),
      };
      runtimes[i] = stepInstance(runtimes[i]!, { telemetry, adminState: 'ready', now, policies }).runtime;
    }
    times.push(performance.now() - start);
  }
  return summary(times);
}

async function seed(db: Db, n: number) {
  for (const [kind, document] of Object.entries(defaultPolicies)) {
    await db.policy.create({ data: { kind: kind as keyof typeof defaultPolicies, scope: 'global', document } });
  }
  await db.adapterConfig.create({ data: { name: 'simulator', kind: 'sim', active: true, config: { seed: 1, hotZone: 'region-0-z1' } } });
  await makeFleet(db, syntheticFleet(n));
  return db.instance.count();
}

async function loopTicks(url: string, db: Db, ticks: number) {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const timings: TickTiming[] = [];
  const loop = new TelemetryLoop({
    url, pool, db, tickMs: 1000, log: () => undefined, workerId: 'bench', electionPollMs: 100,
    openAdapter: async () => createAdapter(await activeAdapterConfig(pool)), beforeTick: feedSimControls,
    onTick: (t) => timings.push(t),
  });
  loop.start();
  while (timings.length < ticks) await new Promise((r) => setTimeout(r, 100));
  await loop.stop();
  await pool.end();
  const pick = (k: 'totalMs' | 'readMs' | 'computeMs' | 'applyMs' | 'persistMs') => summary(timings.map((t) => t[k]));
  return { ticks: timings.length, instances: timings[0]!.instances, skipped: loop.stats.skipped, totalMs: pick('totalMs'), readMs: pick('readMs'), computeMs: pick('computeMs'), applyMs: pick('applyMs'), persistMs: pick('persistMs') };
}

async function persistRatio(url: string, db: Db) {
  const ids = (await db.instance.findMany({ select: { id: true }, take: 1000 })).map((i) => i.id);
  const rows: SampleRow[] = ids.map((id, i) => ({
    instanceId: id, up: true, rtMs: 20, cpu: i % 100, memory: null, p50Ms: 10, p95Ms: 200, p99Ms: 400, connections: 900, rps: 80, errorRate: 0,
    inputAgeMs: { cpu: 0, p95: 0, connections: 0 }, targetWeight: 70, effectiveWeight: 70, degradation: 0, breaker: 'closed',
    stageFill: [0.1, 0.2, 0.3, 0.2, 0.1], stageState: ['active', 'active', 'active', 'idle', 'idle'], requests: 100, activeRequests: 20, maxConcurrency: 128, ingressTimeouts: 0, stageInputs: [100, 100, 100, 0, 0], stageOutputs: [100, 100, 100, 0, 0], stageBlocked: [false, false, false, false, false],
  }));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const batched: number[] = [];
  const single: number[] = [];
  const base = Date.UTC(2020, 0, 1);
  for (let r = 0; r < 5; r++) {
    let t0 = performance.now();
    await client.query('BEGIN');
    await persistTick(client, { at: new Date(base + r * 2000), startedAt: new Date(), instances: rows.length, skippedSoFar: 0, leader: 'bench' }, rows, []);
    await client.query('COMMIT');
    batched.push(performance.now() - t0);
    t0 = performance.now();
    await client.query('BEGIN');
    await persistSamplesOneByOne(client, 0n, new Date(base + r * 2000 + 1000), rows);
    await client.query('COMMIT');
    single.push(performance.now() - t0);
  }
  await client.end();
  const b = summary(batched);
  const s = summary(single);
  return { instances: rows.length, batchedMs: b, oneInsertPerInstanceMs: s, ratioOneByOneToBatchedP50: Math.round((s.p50 / b.p50) * 10) / 10 };
}

/**
 * What the per-version samples (canary analysis evidence) add to a tick at this fleet size: the
 * pure aggregation over every instance's telemetry (with histograms) and their one INSERT.
 */
async function versionSampleCost(url: string, db: Db) {
  const instances = await db.instance.findMany({ select: { id: true, serviceId: true, appVersion: true, cluster: { select: { zone: { select: { name: true } } } } } });
  const fleet = instances.map((i) => ({ id: i.id, serviceId: i.serviceId, appVersion: i.appVersion, zone: i.cluster.zone.name }));
  const telemetry = new Map<string, InstanceTelemetry>(fleet.map((f, k) => [f.id, { instanceId: f.id, up: true, requests: 100, errors: k % 3, timeouts: 0, latencyBuckets: Array.from({ length: LATENCY_BUCKET_COUNT }, (_, b) => (b * 7 + k) % 11) }]));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const aggregate: number[] = [];
  const persist: number[] = [];
  let rows = 0;
  const base = Date.UTC(2021, 0, 1);
  for (let r = 0; r < 10; r++) {
    let t0 = performance.now();
    const versions = aggregateVersionSamples(fleet, telemetry);
    aggregate.push(performance.now() - t0);
    rows = versions.length;
    t0 = performance.now();
    await client.query('BEGIN');
    await persistTick(client, { at: new Date(base + r * 1000), startedAt: new Date(), instances: 0, skippedSoFar: 0, leader: 'bench' }, [], [], versions);
    await client.query('COMMIT');
    persist.push(performance.now() - t0);
  }
  await client.end();
  return { instances: fleet.length, rows, aggregateMs: summary(aggregate), tickWithOnlyVersionRowsMs: summary(persist) };
}

export async function run(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = { bench: 'telemetry', domainStep10kMs: domainStep(10_000, 30) };
  for (const n of [1_000, 10_000]) {
    const database = await benchDatabase();
    const db = createDb(database.url, 4);
    try {
      const count = await seed(db, n);
      out[`tick${n >= 10_000 ? '10k' : '1k'}`] = { fleet: count, ...(await loopTicks(database.url, db, 30)) };
      if (n === 1_000) out.persist1k = await persistRatio(database.url, db);
      else out.versionSamples10k = await versionSampleCost(database.url, db);
    } finally {
      await db.$disconnect();
      await database.stop();
    }
  }
  return out;
}

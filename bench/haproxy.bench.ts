// Real-platform figures (issue 4): applying weights to 100 HAProxy servers — one Runtime API
// round trip per command vs all commands pipelined on one connection — and whole ticks of the
// real loop driving the lab (HAProxy + Prometheus) against the embedded PostgreSQL.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startLab } from '../lab/lab';
import { createDb } from '../server/db/client';
import { defaultPolicies } from '../server/domain/policy-defaults';
import { activeAdapterConfig, activeAdapterKey, createAdapter } from '../server/services/platform/active-adapter';
import { TelemetryLoop, type TickTiming } from '../server/jobs/telemetry/loop';
import { RuntimeClient } from '../server/platform/haproxy';
import { startHaproxyLab } from '../server/platform/haproxy/testing/harness';
import { activateAdapterConfig, importPlatformTopology, saveAdapterConfig } from '../server/services/platform/platform-configs';
import { benchDatabase, summary } from './lib';

async function weights100(rounds: number) {
  const lab = await startHaproxyLab({ bench: { v1: 100 } });
  try {
    const client = new RuntimeClient(lab.adapterConfig.sockets[0]!.address, 10_000);
    const commands = (k: number) => lab.adapterConfig.instances.map((i, n) => `set server be_bench/${i.server} weight ${1 + ((n + k) % 256)}`);
    const one: number[] = [];
    const piped: number[] = [];
    for (let k = 0; k < rounds; k++) {
      let t = performance.now();
      await client.runOneByOne(commands(k));
      one.push(performance.now() - t);
      t = performance.now();
      await client.run(commands(k + 1));
      piped.push(performance.now() - t);
    }
    const a = summary(one);
    const b = summary(piped);
    return { servers: 100, oneRoundTripPerCommandMs: a, pipelinedMs: b, ratioP50: Math.round((a.p50 / b.p50) * 10) / 10 };
  } finally {
    await lab.close();
  }
}

async function labTicks(ticks: number) {
  const dir = await mkdtemp(path.join(tmpdir(), 'sb-bench-lab-'));
  const lab = await startLab({ dir, load: { rps: 30, durationS: 120 } });
  const database = await benchDatabase();
  const db = createDb(database.url, 4);
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  try {
    for (const [kind, document] of Object.entries(defaultPolicies)) await db.policy.create({ data: { kind: kind as keyof typeof defaultPolicies, scope: 'global', document } });
    const actor = { id: null, name: 'bench' };
    const cfg = await saveAdapterConfig(db, actor, { name: 'lab', kind: 'haproxy', config: lab.adapterConfig });
    await importPlatformTopology(db, actor, { id: cfg.id });
    await activateAdapterConfig(db, actor, { id: cfg.id, version: cfg.version });
    const timings: TickTiming[] = [];
    const loop = new TelemetryLoop({
      url: database.url, pool, db, tickMs: 1000, log: () => undefined, workerId: 'bench', electionPollMs: 100,
      openAdapter: async () => createAdapter(await activeAdapterConfig(pool)), adapterKey: activeAdapterKey,
      onTick: (t) => timings.push(t),
    });
    loop.start();
    while (timings.length < ticks) await new Promise((r) => setTimeout(r, 100));
    await loop.stop();
    const pick = (k: 'totalMs' | 'readMs' | 'computeMs' | 'applyMs' | 'persistMs') => summary(timings.map((t) => t[k]));
    return { ticks: timings.length, instances: timings[0]!.instances, skipped: loop.stats.skipped, totalMs: pick('totalMs'), readMs: pick('readMs'), applyMs: pick('applyMs'), persistMs: pick('persistMs') };
  } finally {
    await pool.end();
    await db.$disconnect();
    await database.stop();
    await lab.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<Record<string, unknown>> {
  return { bench: 'haproxy', applyWeights100: await weights100(20), tickWithHaproxyAndPrometheus: await labTicks(30) };
}

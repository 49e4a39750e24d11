// What-if figures (issue 5): replaying 15 minutes (900 one-second samples per instance) through a
// policy for 1,000 and 10,000 instances in the domain, and the whole preview (query + two replays)
// for the demo fleet against the embedded PostgreSQL, with and without the minutes' packs.
import pg from 'pg';
import { demoFleet } from '../prisma/demo-fleet';
import { createDb } from '../server/db/client';
import { makeDefaultPolicies, makeFleet } from '../server/db/factories';
import { STAGES, type FleetPolicies } from '../server/domain/model';
import { defaultPolicies } from '../server/domain/policy-defaults';
import { replayInstance, type RecordedSample } from '../server/domain/replay';
import { persistTick, type SampleRow } from '../server/jobs/telemetry/persist';
import { previewPolicy } from '../server/services/policies/policy-preview';
import { rollupTelemetry } from '../server/services/telemetry/telemetry-rollup';
import { benchDatabase, summary } from './lib';

const policies: FleetPolicies = { weight: defaultPolicies.weight, watermark: defaultPolicies.watermark, breaker: defaultPolicies.breaker };
const T0 = Date.UTC(2026, 0, 1);
const TICKS = 900;

function sample(i: number, k: number): RecordedSample {
  const load = ((i * 7919 + k * 31) % 100) / 100;
  const fill = Math.min(1, load * 1.1);
  return {
    at: T0 + k * 1000, up: true, rtMs: 50 + 400 * load, cpu: 20 + 75 * load, p95Ms: 100 + 1500 * load, connections: 500 + 4500 * load, errorRate: 0.01 * load,
    requests: 100, activeRequests: 100 * load, maxConcurrency: 128, ingressTimeouts: 0,
    stageFill: STAGES.map((_, s) => Math.min(1, fill * (0.5 + s * 0.15))), stageInputs: STAGES.map(() => 100), stageOutputs: STAGES.map(() => 99), stageBlocked: STAGES.map((_, s) => fill * (0.5 + s * 0.15) > 0.97),
    targetWeight: 70, effectiveWeight: 70, degradation: 0, breaker: 'closed', stageState: STAGES.map(() => 'active'),
    inputAgeMs: { cpu: k % 5 === 0 ? 0 : 1000, p95: k % 3 === 0 ? 0 : 1000, connections: k % 10 === 0 ? 0 : 1000 },
  };
}

function replayFleet(n: number): number {
  const t = performance.now();
  const draft = { ...policies, watermark: { ...policies.watermark, breakPct: 85, degradePct: 75 } };
  for (let i = 0; i < n; i++) {
    // One instance's 15 minutes at a time: memory stays flat at 10,000 instances.
    const samples = Array.from({ length: TICKS }, (_, k) => sample(i, k));
    replayInstance(String(i), samples, draft);
  }
  return Math.round(performance.now() - t);
}

async function previewDemo(runs: number) {
  const database = await benchDatabase();
  const db = createDb(database.url, 4);
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  try {
    await makeDefaultPolicies(db);
    await makeFleet(db, demoFleet);
    const instances = await db.instance.findMany({ select: { id: true } });
    const now = Date.now();
    const client = await pool.connect();
    try {
      for (let k = 0; k < TICKS; k++) {
        const at = new Date(now - (TICKS - k) * 1000);
        const rows: SampleRow[] = instances.map((inst, i) => {
          const s = sample(i, k);
          return { instanceId: inst.id, up: true, rtMs: s.rtMs, cpu: s.cpu, memory: null, p50Ms: null, p95Ms: s.p95Ms, p99Ms: null, connections: s.connections, rps: 100, errorRate: s.errorRate,
            inputAgeMs: s.inputAgeMs, targetWeight: 70, effectiveWeight: 70, degradation: 0, breaker: 'closed', stageFill: [...s.stageFill], stageState: [...s.stageState],
            requests: s.requests, activeRequests: s.activeRequests, maxConcurrency: s.maxConcurrency, ingressTimeouts: 0, stageInputs: [...s.stageInputs], stageOutputs: [...s.stageOutputs], stageBlocked: [...s.stageBlocked] };
        });
        await persistTick(client, { at, startedAt: at, instances: rows.length, skippedSoFar: 0, leader: 'bench' }, rows, []);
      }
    } finally {
      client.release();
    }
    const measure = async () => {
      const times: number[] = [];
      let last: Record<string, unknown> = {};
      for (let r = 0; r < runs; r++) {
        const t = performance.now();
        const res = await previewPolicy(db, { kind: 'watermark', scope: 'global', document: { ...defaultPolicies.watermark, breakPct: 85, degradePct: 75 }, minutes: 15 });
        times.push(performance.now() - t);
        last = { samples: res.samples, instances: res.instances, phasesMs: res.phasesMs };
      }
      return { ...last, previewMs: summary(times) };
    };
    // Before the rollup job has packed any minute (every sample packed on the fly), then as it
    // runs live: every complete minute packed, the newest partial one read raw.
    const unpacked = await measure();
    const packStart = performance.now();
    await rollupTelemetry(db, new Date(now), 1);
    const packMs = Math.round(performance.now() - packStart);
    const packed = await measure();
    return { ...packed, unpacked, rollupWithPacks15minMs: packMs, unpackedOverPacked: Math.round((unpacked.previewMs.p50 / packed.previewMs.p50) * 100) / 100 };
  } finally {
    await pool.end();
    await db.$disconnect();
    await database.stop();
  }
}

export async function run(): Promise<Record<string, unknown>> {
  return {
    bench: 'whatif',
    replay15min1kMs: replayFleet(1_000),
    replay15min10kMs: replayFleet(10_000),
    previewDemoFleet15min: await previewDemo(5),
  };
}

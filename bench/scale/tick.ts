// The telemetry tick at fleet scale (issue 14): the real loop (simulator → domain → apply → one
// transaction + NOTIFY) against an embedded PostgreSQL seeded with the demo platform at that size
// (SWITCHBACK_DEMO_INSTANCES, the same seed `npm start` runs). SCALE_TICKS overrides the number
// of ticks (default 300: at 10,000 instances that is over 5 minutes).
import { PerformanceObserver } from 'node:perf_hooks';
import pg from 'pg';
import { seedIfEmpty } from '../../prisma/seed';
import { createDb } from '../../server/db/client';
import { TelemetryLoop, type TickTiming } from '../../server/jobs/telemetry/loop';
import { iso, persistTick, type SampleRow } from '../../server/jobs/telemetry/persist';
import { copySamplesText, persistRowsUnnest } from '../../server/jobs/telemetry/persist-reference';
import { activeAdapterConfig, createAdapter, feedSimControls } from '../../server/services/platform/active-adapter';
import { getTopologyMap } from '../../server/services/topology/topology-map';
import { benchDatabase, summary } from '../lib';
import type { Figures } from '../scale.bench';

const TICKS = Number(process.env.SCALE_TICKS ?? 300);

export async function measure(instances: number): Promise<Figures> {
  if (!Number.isInteger(TICKS) || TICKS < 1) throw new Error(`SCALE_TICKS: expected a whole number of ticks (got ${process.env.SCALE_TICKS})`);
  const database = await benchDatabase();
  const db = createDb(database.url, 4);
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  // A connection PostgreSQL ends while the part stops must not crash the whole bench.
  pool.on('error', () => undefined);
  try {
    const s0 = performance.now();
    await seedIfEmpty(db, { adminName: 'admin', demo: true, demoInstances: instances });
    const seedMs = Math.round(performance.now() - s0);
    const fleet = await db.instance.count();

    const background = async () => (await pool.query<{ checkpoints: string; autovacuums: string; autoanalyzes: string }>(
      `SELECT (SELECT num_timed + num_requested FROM pg_stat_checkpointer)::text AS checkpoints,
              coalesce(sum(autovacuum_count), 0)::text AS autovacuums, coalesce(sum(autoanalyze_count), 0)::text AS autoanalyzes
       FROM pg_stat_user_tables`)).rows[0]!;
    const bg0 = await background();
    const timings: TickTiming[] = [];
    // Garbage-collection pauses by their end time, so the slowest ticks can say how much of them was GC.
    const gcs: Array<{ end: number; ms: number }> = [];
    const gcObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) gcs.push({ end: performance.timeOrigin + e.startTime + e.duration, ms: e.duration });
    });
    gcObserver.observe({ entryTypes: ['gc'] });
    const loop = new TelemetryLoop({
      url: database.url, pool, db, tickMs: 1000, log: () => undefined, workerId: 'bench', electionPollMs: 100,
      openAdapter: async () => createAdapter(await activeAdapterConfig(pool)), beforeTick: feedSimControls,
      onTick: (t) => timings.push(t),
    });
    loop.start();
    // Bounded: a loop that stops committing fails the part instead of hanging the bench.
    const deadline = Date.now() + TICKS * 4000 + 60_000;
    while (timings.length < TICKS) {
      if (Date.now() > deadline) throw new Error(`only ${timings.length} of ${TICKS} ticks committed (last error: ${loop.stats.lastError ?? 'none'})`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await loop.stop();
    gcObserver.disconnect();
    const bg1 = await background();
    const skipped = loop.stats.skipped;
    const gcIn = (t: TickTiming) => gcs.filter((g) => g.end > t.committedAt - t.totalMs && g.end <= t.committedAt + 5).reduce((a, g) => a + g.ms, 0);
    const r = (x: number) => Math.round(x);
    // The tail in words: the five slowest ticks, each phase and the GC pauses that fell inside it.
    const slowest = [...timings].sort((a, b) => b.totalMs - a.totalMs).slice(0, 5).map((t) =>
      `${r(t.totalMs)} ms = reload ${r(t.reloadMs)} + faults ${r(t.faultsMs)} + before ${r(t.beforeTickMs)} + read ${r(t.readMs)} + step ${r(t.computeMs)} + apply ${r(t.applyMs)} + persist ${r(t.persistMs)} (gc ${r(gcIn(t))})`);
    const gcPerTick = summary(timings.map(gcIn));

    // The map's size is a figure of its own: a map read that fails (a statement timeout on a busy
    // machine) is reported beside the tick's figures instead of discarding them.
    const map = await getTopologyMap(db).catch((err: unknown) => ({ error: err instanceof Error ? err.message.trim().split('\n').pop() : String(err) }));
    const persistPath = await copyAgainstUnnest(pool, (await db.instance.findMany({ select: { id: true } })).map((i) => i.id));
    const pick = (k: 'totalMs' | 'reloadMs' | 'faultsMs' | 'beforeTickMs' | 'readMs' | 'computeMs' | 'applyMs' | 'persistMs') => summary(timings.map((t) => t[k]));
    const tick = pick('totalMs');
    const persist = pick('persistMs');
    return {
      fleet,
      seedMs,
      ticks: timings.length,
      tickP50Ms: tick.p50,
      tickP95Ms: tick.p95,
      tickP99Ms: tick.p99,
      persistP50Ms: persist.p50,
      persistP95Ms: persist.p95,
      persistP99Ms: persist.p99,
      domainStepP50Ms: pick('computeMs').p50,
      reloadP50Ms: pick('reloadMs').p50,
      faultsP50Ms: pick('faultsMs').p50,
      beforeTickP50Ms: pick('beforeTickMs').p50,
      readP50Ms: pick('readMs').p50,
      applyP50Ms: pick('applyMs').p50,
      skippedSlots: skipped,
      gcPerTickP50Ms: gcPerTick.p50,
      gcPerTickP99Ms: gcPerTick.p99,
      slowestTicks: slowest.join(' | '),
      // What PostgreSQL did in the background while the ticks ran (the tail's other suspects).
      duringTicks: `${Number(bg1.checkpoints) - Number(bg0.checkpoints)} checkpoints, ${Number(bg1.autovacuums) - Number(bg0.autovacuums)} autovacuums, ${Number(bg1.autoanalyzes) - Number(bg0.autoanalyzes)} autoanalyzes`,
      snapshotBytes: 'error' in map ? `map read failed: ${map.error}` : JSON.stringify(map).length,
      ...persistPath,
    };
  } finally {
    await pool.end();
    await db.$disconnect();
    await database.stop();
  }
}

/**
 * The tick's sample write alone, binary COPY (today) against text COPY and the unnest INSERT it
 * replaced, alternating in the same run on the same database, so a busy machine weighs on all alike.
 */
async function copyAgainstUnnest(pool: pg.Pool, ids: string[]): Promise<Figures> {
  const rows: SampleRow[] = ids.map((instanceId, i) => ({
    instanceId, up: true, rtMs: 20 + (i % 7), cpu: i % 100, memory: 41.5, p50Ms: 10, p95Ms: 200 + (i % 300), p99Ms: 400, connections: 900, rps: 80, errorRate: 0.001,
    inputAgeMs: { cpu: 1000, p95: 0, connections: 2000 }, targetWeight: 70, effectiveWeight: 69.5, degradation: 0, breaker: 'closed',
    stageFill: [0.1, 0.2, 0.3, 0.2, 0.1], stageState: ['active', 'active', 'active', 'idle', 'idle'], requests: 100, activeRequests: 20, maxConcurrency: 128,
    ingressTimeouts: 0, stageInputs: [100, 100, 100, 0, 0], stageOutputs: [100, 100, 100, 0, 0], stageBlocked: [false, false, false, false, false],
  }));
  const client = await pool.connect();
  const copy: number[] = [];
  const unnest: number[] = [];
  const text: number[] = [];
  const base = Date.UTC(2020, 0, 1);
  try {
    for (let r = 0; r < 10; r++) {
      const a = new Date(base + r * 2000);
      let t0 = performance.now();
      await client.query('BEGIN');
      await persistTick(client, { at: a, startedAt: a, instances: rows.length, skippedSoFar: 0, leader: 'bench' }, rows, []);
      await client.query('COMMIT');
      copy.push(performance.now() - t0);
      const b = new Date(base + r * 2000 + 1000);
      t0 = performance.now();
      await client.query('BEGIN');
      const { rows: tick } = await client.query<{ id: string }>(
        `INSERT INTO "Tick" ("startedAt", "finishedAt", "durationMs", instances, leader) VALUES ($1::timestamp, $1::timestamp, 0, $2, 'bench') RETURNING id::text`,
        [iso(b), rows.length],
      );
      await persistRowsUnnest(client, BigInt(tick[0]!.id), b, rows, []);
      await client.query('COMMIT');
      unnest.push(performance.now() - t0);
      const c = new Date(base + r * 2000 + 500);
      t0 = performance.now();
      await client.query('BEGIN');
      const { rows: tickC } = await client.query<{ id: string }>(
        `INSERT INTO "Tick" ("startedAt", "finishedAt", "durationMs", instances, leader) VALUES ($1::timestamp, $1::timestamp, 0, $2, 'bench') RETURNING id::text`,
        [iso(c), rows.length],
      );
      await copySamplesText(client, BigInt(tickC[0]!.id), c, rows);
      await client.query('COMMIT');
      text.push(performance.now() - t0);
    }
  } finally {
    client.release();
  }
  const c = summary(copy);
  const u = summary(unnest);
  const x = summary(text);
  return { samplesCopyP50Ms: c.p50, samplesTextCopyP50Ms: x.p50, samplesUnnestP50Ms: u.p50, unnestToCopyRatio: Math.round((u.p50 / c.p50) * 10) / 10 };
}

// What-if preview at fleet scale: 15 minutes of recorded telemetry (one sample a second per
// instance, complete minutes packed as the rollup leaves them, the newest raw) replayed through
// the published watermark policy and a draft, end to end through previewPolicy (reads, replay,
// the "actually" query). `baselineMs` is the serial replay it replaced (test/whatif-serial-replay.ts)
// in the same run on the same data, and `identical` says whether both gave the same figures.
import pg from 'pg';
import { demoFleet } from '../../prisma/demo-fleet';
import { createDb } from '../../server/db/client';
import { makeDefaultPolicies, makeFleet } from '../../server/db/factories';
import { defaultPolicies } from '../../server/domain/policy-defaults';
import { previewPolicy } from '../../server/services/policies/policy-preview';
import { serialReplayWindow } from '../../test/whatif-serial-replay';
import { syntheticFleet } from '../fleets';
import { benchDatabase, percentile } from '../lib';
import type { Figures } from '../scale.bench';
import { pgCpuReader } from './lib/pg-cpu';
import { recordTelemetry } from './lib/whatif-telemetry';

const MINUTES = 15;
const input = { kind: 'watermark' as const, scope: 'global', document: { ...defaultPolicies.watermark, breakPct: 85, degradePct: 75 }, minutes: MINUTES };

export async function measure(instances: number): Promise<Figures> {
  const database = await benchDatabase();
  const db = createDb(database.url, 4);
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  try {
    const setupStart = performance.now();
    await makeDefaultPolicies(db);
    await makeFleet(db, instances <= 100 ? demoFleet : syntheticFleet(instances));
    const fleet = await db.instance.count();
    // Mid-minute, as a preview usually is: half a minute of raw samples packed on the fly.
    const now = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 30_000);
    // SCALE_WHATIF_RAW=all: raw rows for the whole window beside the packs, as live retention keeps them.
    const rawAll = process.env.SCALE_WHATIF_RAW === 'all';
    const { samples } = await recordTelemetry(pool, fleet, MINUTES, now, rawAll);
    await pool.query('VACUUM ANALYZE');
    const setupMs = Math.round(performance.now() - setupStart);

    const pgCpu = await pgCpuReader(pool);
    const run = async (serial: boolean) => {
      const cpu = process.cpuUsage();
      const pg0 = pgCpu?.() ?? NaN;
      const t = performance.now();
      const res = await previewPolicy(db, input, { now, replay: serial ? serialReplayWindow : undefined });
      const ms = performance.now() - t;
      const used = process.cpuUsage(cpu);
      const pgCpuMs = (pgCpu?.() ?? NaN) - pg0;
      const { computeMs: _c, phasesMs, threads, ...figures } = res;
      return { ms, cpuMs: (used.user + used.system) / 1000, pgCpuMs, phasesMs, threads, figures: JSON.stringify(figures) };
    };
    // Old and new alternate, so both see the same load on a shared machine. At 10,000 instances
    // the serial one runs once, last: it takes minutes and leaves a ~3.3 GB heap whose
    // collections slowed the preview run after it to 11.9 s (7.1 s before it). There the first
    // preview (new backends, cold caches, the replay thread's start) is a warm-up, reported apart.
    const big = instances >= 10_000;
    const runs = big ? 4 : 5;
    const baselineRuns = big ? 1 : 3;
    const lean: Awaited<ReturnType<typeof run>>[] = [];
    const serial: Awaited<ReturnType<typeof run>>[] = [];
    const warmup = big ? await run(false) : null;
    for (let r = 0; r < runs; r++) {
      lean.push(await run(false));
      if (!big && r < baselineRuns) serial.push(await run(true));
    }
    if (big) serial.push(await run(true));
    const p50 = (xs: number[]) => Math.round(percentile(xs, 50));
    const previewMs = p50(lean.map((r) => r.ms));
    const baselineMs = p50(serial.map((r) => r.ms));
    return {
      instances: fleet,
      rawRows: rawAll ? 'all' : 'first and newest minute',
      samples,
      previewMs,
      previewRunsMs: lean.map((r) => Math.round(r.ms)).join(' '),
      warmupMs: warmup ? Math.round(warmup.ms) : null,
      previewCpuMs: p50(lean.map((r) => r.cpuMs)),
      /** PostgreSQL's CPU over the same runs (null when it cannot be read): on 2 cores the two add up. */
      previewPgCpuMs: pgCpu ? p50(lean.map((r) => r.pgCpuMs)) : null,
      phasesMs: lean[lean.length - 1]!.phasesMs,
      /** 2: the stages, watermarks and breaker were counted on the replay thread. */
      threads: lean[lean.length - 1]!.threads,
      baselineMs,
      baselineCpuMs: p50(serial.map((r) => r.cpuMs)),
      baselinePgCpuMs: pgCpu ? p50(serial.map((r) => r.pgCpuMs)) : null,
      baselineOverPreview: Math.round((baselineMs / previewMs) * 100) / 100,
      identical: [...lean, ...serial, ...(warmup ? [warmup] : [])].every((r) => r.figures === lean[0]!.figures),
      goalMs: instances >= 10_000 ? 5000 : 1000,
      setupMs,
    };
  } finally {
    await pool.end();
    await db.$disconnect();
    await database.stop();
  }
}

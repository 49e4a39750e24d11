// The telemetry tick at fleet scale (issue 14): the real loop (simulator → domain → apply → one
// transaction + NOTIFY) against an embedded PostgreSQL seeded with the demo platform at that size
// (SWITCHBACK_DEMO_INSTANCES, the same seed `npm start` runs). SCALE_TICKS overrides the number
// of ticks (default 300: at 10,000 instances that is over 5 minutes).
import pg from 'pg';
import { seedIfEmpty } from '../../prisma/seed';
import { createDb } from '../../server/db/client';
import { TelemetryLoop, type TickTiming } from '../../server/jobs/telemetry/loop';
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

    const timings: TickTiming[] = [];
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
    const skipped = loop.stats.skipped;

    const map = await getTopologyMap(db);
    const pick = (k: 'totalMs' | 'readMs' | 'computeMs' | 'applyMs' | 'persistMs') => summary(timings.map((t) => t[k]));
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
      readP50Ms: pick('readMs').p50,
      applyP50Ms: pick('applyMs').p50,
      skippedSlots: skipped,
      snapshotBytes: JSON.stringify(map).length,
    };
  } finally {
    await pool.end();
    await db.$disconnect();
    await database.stop();
  }
}

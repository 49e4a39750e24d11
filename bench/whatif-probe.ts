// A probe for the what-if preview at fleet scale on data seeded once and kept (bench/scale/whatif.ts
// seeds a throwaway database on every run, minutes at 10,000 instances): runs the preview
// WHATIF_PROBE_RUNS times per variant, the variants interleaved (A B A B…), and prints wall, this
// process's CPU and PostgreSQL's CPU for each. A variant is a value of globalThis.__whatifVariant,
// read by code under test while an old and a new path are compared (none is read in committed code).
//   WHATIF_PROBE_DIR=/tmp/whatif-pg BENCH_PG_PORT=55001 WHATIF_PROBE_SIZE=10000 \
//     WHATIF_PROBE_VARIANTS=a,b npx tsx bench/whatif-probe.ts
// WHATIF_PROBE_PAUSE_MS waits that long before each run (a console's previews are seconds apart).
// Variant `one` replays in the preview's own thread only (replayWindowOneThread); variant `before`
// replays with the replayWindow of another checkout (WHATIF_PROBE_BEFORE=/path/to/it, with its
// node_modules), for a before/after ratio taken in the same run. Each row has the CPU of every
// thread of this process that used 100 ms or more.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { createDatabaseIfMissing, startEmbeddedPostgres } from '../scripts/lib/embedded-pg';
import { SERVER_SETTINGS } from '../scripts/lib/pg-settings';
import { createDb, pgPool } from '../server/db/client';
import { installJobSchema } from '../server/db/job-schema';
import { applyMigrations } from '../server/db/migrate';
import { makeDefaultPolicies, makeFleet } from '../server/db/factories';
import { defaultPolicies } from '../server/domain/policy-defaults';
import { previewPolicy } from '../server/services/policies/policy-preview';
import { replayWindowOneThread } from '../server/services/policies/preview-replay';
import { syntheticFleet } from './fleets';
import { pgCpuReader } from './scale/lib/pg-cpu';
import { recordTelemetry } from './scale/lib/whatif-telemetry';

const dir = process.env.WHATIF_PROBE_DIR ?? '/tmp/whatif-pg';
const port = Number(process.env.BENCH_PG_PORT ?? 55001);
const size = Number(process.env.WHATIF_PROBE_SIZE ?? 1000);
const runs = Number(process.env.WHATIF_PROBE_RUNS ?? 3);
const variants = (process.env.WHATIF_PROBE_VARIANTS ?? 'a').split(',');
// That checkout's preview, replay and database client (which keeps its own pools). Its replay
// thread runs this checkout's replay-thread.ts (the pool finds it from the working directory): the
// two must speak the same thread protocol.
const beforeDir = process.env.WHATIF_PROBE_BEFORE;
const older = beforeDir
  ? {
      preview: ((await import(join(beforeDir, 'server/services/policies/policy-preview.ts'))) as { previewPolicy: typeof previewPolicy }).previewPolicy,
      createDb: ((await import(join(beforeDir, 'server/db/client.ts'))) as { createDb: typeof createDb }).createDb,
    }
  : undefined;
if (variants.includes('before') && !older) throw new Error('variant `before` needs WHATIF_PROBE_BEFORE');
const input = { kind: 'watermark' as const, scope: 'global', document: { ...defaultPolicies.watermark, breakPct: 85, degradePct: 75 }, minutes: 15 };

/**
 * The user and system CPU so far (ms) of each backend of this probe's database (WHATIF_PROBE_PIDS=1):
 * which of them spends it, and how much of it is the kernel's.
 */
function backendCpu(): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (!readFileSync(`/proc/${e}/cmdline`, 'utf8').startsWith(`postgres: postgres ${name} `)) continue;
      const f = readFileSync(`/proc/${e}/stat`, 'utf8');
      const x = f.slice(f.lastIndexOf(')') + 2).split(' ');
      out.set(`${e} user`, Number(x[11]) * 10);
      out.set(`${e} sys`, Number(x[12]) * 10);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return out;
}
/** This process's CPU (ms) per thread so far: the preview's own thread and its replay thread apart. */
function threadCpu(): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const f = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const x = f.slice(f.lastIndexOf(')') + 2).split(' ');
      out.set(`${tid} ${f.slice(f.indexOf('(') + 1, f.lastIndexOf(')'))}`, (Number(x[11]) + Number(x[12])) * 10);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out;
}
const threadDelta = (before: Map<string, number>): Record<string, number> =>
  Object.fromEntries([...threadCpu()].map(([k, v]): [string, number] => [k, v - (before.get(k) ?? 0)]).filter(([, d]) => d >= 100));

const backendDelta = (before: Map<string, number>): Record<string, number> =>
  Object.fromEntries([...backendCpu()].map(([k, v]): [string, number] => [k, v - (before.get(k) ?? 0)]).filter(([, d]) => d > 0));

const name = `probe${size}`;
const server = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port, settings: SERVER_SETTINGS });
const nowFile = join(dir, `${name}.now`);
const created = await createDatabaseIfMissing(server.urlFor('postgres'), name);
const url = server.urlFor(name);
const pool = new pg.Pool({ connectionString: url, max: 2 });
const db = createDb(url, 4);
const dbBefore = older?.createDb(url, 4);
// WHATIF_PROBE_STATS=1: PostgreSQL's own CPU per statement (log_statement_stats, sent to the
// client as a notice), summed by the kind of statement that was running on that connection.
const statementCpu = new Map<string, { n: number; ms: number }>();
if (process.env.WHATIF_PROBE_STATS) {
  pgPool(db).on('connect', (client) => {
    void client.query("SET log_statement_stats = on; SET client_min_messages = 'log'");
    client.on('notice', (m) => {
      const stats = /([\d.]+) s user, ([\d.]+) s system/.exec(m.detail ?? '');
      if (!stats) return;
      const text = String((client as unknown as { activeQuery?: { text?: string } }).activeQuery?.text ?? '?');
      const kind = text.startsWith('COPY') ? 'copy' : text.includes('"StateTransition"') ? 'actual' : text.includes('LATERAL (SELECT "targetWeight"') ? 'firstStates' : text.replace(/\s+/g, ' ').slice(0, 60);
      const e = statementCpu.get(kind) ?? { n: 0, ms: 0 };
      e.n++;
      e.ms += (Number(stats[1]) + Number(stats[2])) * 1000;
      statementCpu.set(kind, e);
    });
  });
}
try {
  if (created || !existsSync(nowFile)) {
    const t = performance.now();
    await applyMigrations(url);
    await installJobSchema(url);
    await makeDefaultPolicies(db);
    await makeFleet(db, syntheticFleet(size));
    const fleet = await db.instance.count();
    const now = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 30_000);
    await recordTelemetry(pool, fleet, 15, now);
    await pool.query('VACUUM ANALYZE');
    writeFileSync(nowFile, now.toISOString());
    console.error(`seeded ${fleet} instances in ${Math.round(performance.now() - t)} ms`);
  }
  const now = new Date(readFileSync(nowFile, 'utf8').trim());
  const pgCpu = (await pgCpuReader(pool))!;
  const g = globalThis as { __whatifVariant?: string };
  const out: Record<string, Array<{ ms: number; cpuMs: number; pgCpuMs: number; phases: unknown; threadsMs: Record<string, number> }>> = {};
  const figures = new Set<string>();
  for (let r = 0; r < runs; r++) {
    for (const v of variants) {
      if (process.env.WHATIF_PROBE_PAUSE_MS) await new Promise((resolve) => setTimeout(resolve, Number(process.env.WHATIF_PROBE_PAUSE_MS)));
      g.__whatifVariant = v;
      const cpu = process.cpuUsage();
      const pg0 = pgCpu();
      const backends0 = backendCpu();
      const threads0 = threadCpu();
      const t = performance.now();
      // Variant `one`: the replay in the preview's own thread only (the others: as the console runs it).
      const res = v === 'before' ? await older!.preview(dbBefore!, input, { now }) : await previewPolicy(db, input, { now, replay: v === 'one' ? replayWindowOneThread : undefined });
      const ms = performance.now() - t;
      const used = process.cpuUsage(cpu);
      if (process.env.WHATIF_PROBE_STATS) {
        console.error('statements', JSON.stringify(Object.fromEntries([...statementCpu].map(([k, e]) => [k, { n: e.n, ms: Math.round(e.ms) }]))));
        statementCpu.clear();
      }
      if (process.env.WHATIF_PROBE_PIDS) console.error('backends', JSON.stringify(backendDelta(backends0)));
      const row = { ms: Math.round(ms), cpuMs: Math.round((used.user + used.system) / 1000), pgCpuMs: pgCpu() - pg0, phases: res.phasesMs, threadsMs: threadDelta(threads0) };
      (out[v] ??= []).push(row);
      const { computeMs: _c, phasesMs: _p, threads: _t, ...fig } = res;
      figures.add(JSON.stringify(fig));
      console.error(v, JSON.stringify(row));
    }
  }
  console.log(JSON.stringify({ size, identical: figures.size === 1, runs: out }));
} finally {
  await pool.end();
  await db.$disconnect();
  await dbBefore?.$disconnect();
  await server.stop();
}

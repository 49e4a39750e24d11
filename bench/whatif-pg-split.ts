// PostgreSQL's CPU for each part of the what-if preview's reads, on data seeded by
// bench/whatif-probe.ts: one backend runs the parts back to back (nothing else of this process
// runs meanwhile) and its CPU is read from /proc before and after each. Parts:
//   full<k>   the preview's COPY (copySelect) in chunks of k instances (WHATIF_SPLIT_CHUNKS=1,16,48)
//   packs     its TelemetryPack rows alone (chunks of 16)
//   raw       its raw TelemetrySample rows alone (the newest, unpacked minute), and raw-… variants
//             without some columns, to price them: key (the key columns only, an index-only scan),
//             up (one heap column), scalars (no arrays, no input ages), noArrays, noAges
//   first     readFirstStates' query
//   WHATIF_PROBE_DIR=/tmp/whatif-pg BENCH_PG_PORT=55001 WHATIF_PROBE_SIZE=10000 WHATIF_SPLIT_INSTANCES=2000 \
//     WHATIF_SPLIT_RUNS=5 npx tsx bench/whatif-pg-split.ts
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../scripts/lib/embedded-pg';
import { SERVER_SETTINGS } from '../scripts/lib/pg-settings';
import { CopyOut } from '../server/db/pg-binary';
import { pgUtc } from '../server/db/timestamp';
import { NO_RAW_COLUMNS_SQL, RAW_COLUMNS_SQL } from '../server/services/telemetry/raw-records';
import { copySelect } from '../server/services/telemetry/recorded-samples';

const dir = process.env.WHATIF_PROBE_DIR ?? '/tmp/whatif-pg';
const size = Number(process.env.WHATIF_PROBE_SIZE ?? 10000);
const runs = Number(process.env.WHATIF_SPLIT_RUNS ?? 5);
const server = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: Number(process.env.BENCH_PG_PORT ?? 55001), settings: SERVER_SETTINGS });
const c = new pg.Client({ connectionString: server.urlFor(`probe${size}`) });
await c.connect();
try {
  const pid = (await c.query<{ p: number }>('SELECT pg_backend_pid() AS p')).rows[0]!.p;
  /** The backend's CPU so far, ms (user + system; USER_HZ 100). */
  const cpu = () => {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const x = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return (Number(x[11]) + Number(x[12])) * 10;
  };
  const to = new Date(readFileSync(join(dir, `probe${size}.now`), 'utf8').trim());
  const from = new Date(to.getTime() - 15 * 60_000);
  const all = (await c.query<{ id: string }>('SELECT id::text FROM "Instance" ORDER BY id')).rows.map((r) => r.id);
  const ids = all.slice(0, Number(process.env.WHATIF_SPLIT_INSTANCES ?? all.length));
  const [f, t] = [`'${pgUtc(from)}'::timestamp`, `'${pgUtc(to)}'::timestamp`];
  const firstMinute = `date_bin('60 seconds', ${f}, TIMESTAMP '2000-01-01')`;

  // A reader that spends `busyUs` per row (as the replay keeps this process busy between reads):
  // whether a slow reader costs the server CPU (its sends block and wake again).
  let busyUs = 0;
  const onRow = () => {
    if (busyUs === 0) return;
    const end = performance.now() + busyUs / 1000;
    while (performance.now() < end);
  };
  const copy = async (select: string) => {
    const out = new CopyOut(`COPY (${select}) TO STDOUT (FORMAT binary)`, onRow);
    c.query(out as unknown as pg.Submittable);
    await out.done;
  };
  const inChunks = (k: number, select: (chunk: string[]) => string) => async () => {
    for (let i = 0; i < ids.length; i += k) await copy(select(ids.slice(i, i + k)));
  };
  const idArray = (chunk: string[]) => `'{${chunk.join(',')}}'::uuid[]`;
  const packs = (chunk: string[]) =>
    `SELECT p."instanceId", p.minute, p.data, ${NO_RAW_COLUMNS_SQL} FROM "TelemetryPack" p
     WHERE p."instanceId" = ANY(${idArray(chunk)}) AND p.minute >= ${firstMinute} AND p.minute <= ${t} ORDER BY 1, 2`;
  // The seeded data's raw rows: each instance's first sample (its states) and the newest minute's.
  const rawWith = (columns: string) => (chunk: string[]) =>
    `SELECT s."instanceId", s.at, NULL${columns} FROM "TelemetrySample" s
     WHERE s."instanceId" = ANY(${idArray(chunk)}) AND s.at >= date_trunc('minute', ${t}) AND s.at <= ${t} ORDER BY 1, 2`;
  const ages = `(s."inputAgeMs"->>'cpu')::float8, (s."inputAgeMs"->>'p95')::float8,\n  (s."inputAgeMs"->>'connections')::float8, `;
  const arrays = `, s."stageFill", s."stageInputs", s."stageOutputs", s."stageBlocked"`;
  if (!RAW_COLUMNS_SQL.includes(ages) || !RAW_COLUMNS_SQL.endsWith(arrays.slice(2))) throw new Error('RAW_COLUMNS_SQL changed: update the raw variants');
  const first = async () => {
    await c.query(
      `SELECT count(*) FROM unnest($1::uuid[]) AS i(id) CROSS JOIN LATERAL (SELECT "targetWeight", degradation, breaker, "stageState", ("inputAgeMs"->>'recompute')::float8
         FROM "TelemetrySample" WHERE "instanceId" = i.id AND at >= $2 AND at <= $3 ORDER BY at LIMIT 1) s`,
      [ids, pgUtc(from), pgUtc(to)],
    );
  };
  const chunkSizes = (process.env.WHATIF_SPLIT_CHUNKS ?? '16').split(',').map(Number);
  const parts: Record<string, () => Promise<void>> = {
    ...Object.fromEntries(chunkSizes.map((k) => [`full${k}`, inChunks(k, (chunk) => copySelect(chunk, from, to))])),
    'full16-slowReader': async () => {
      busyUs = Number(process.env.WHATIF_SPLIT_BUSY_US ?? 12);
      await inChunks(16, (chunk) => copySelect(chunk, from, to))();
      busyUs = 0;
    },
    packs: inChunks(16, packs),
    raw: inChunks(16, rawWith(`, ${RAW_COLUMNS_SQL}`)),
    'raw-key': inChunks(16, rawWith('')),
    'raw-up': inChunks(16, rawWith(', s.up')),
    'raw-scalars': inChunks(16, rawWith(`, ${RAW_COLUMNS_SQL.replace(ages, '').replace(arrays.slice(2), 's."effectiveWeight"')}`)),
    'raw-noArrays': inChunks(16, rawWith(`, ${RAW_COLUMNS_SQL.replace(arrays, '')}`)),
    'raw-noAges': inChunks(16, rawWith(`, ${RAW_COLUMNS_SQL.replace(ages, '')}`)),
    first,
  };
  const ms: Record<string, number[]> = {};
  // Parts interleaved, run after run: a shared machine's load falls on all of them alike.
  for (let r = 0; r < runs; r++) {
    for (const [name, part] of Object.entries(parts)) {
      const c0 = cpu();
      await part();
      (ms[name] ??= []).push(cpu() - c0);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  console.log(JSON.stringify({ instances: ids.length, pgCpuMs: Object.fromEntries(Object.entries(ms).map(([k, xs]) => [k, { min: Math.min(...xs), median: median(xs), runs: xs }])) }, null, 1));
} finally {
  await c.end();
  await server.stop();
}

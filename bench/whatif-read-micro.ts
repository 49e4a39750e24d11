// The what-if preview's read side alone: readRecords over WHATIF_MICRO_INSTANCES instances in
// chunks of 16 (as replayWindow reads them), timed by process.cpuUsage, WHATIF_MICRO_RUNS times;
// (the checksum of every record's bits, outside the timing, shows two variants read the same values). Variants (values of
// globalThis.__whatifVariant, comma-separated in WHATIF_VARIANTS) are interleaved run by run (an A/B of two versions: a copy of the old modules beside, read by one variant).
//   WHATIF_PROBE_DIR=/tmp/whatif-pg BENCH_PG_PORT=55001 WHATIF_PROBE_SIZE=10000 npx tsx bench/whatif-read-micro.ts
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../scripts/lib/embedded-pg';
import { SERVER_SETTINGS } from '../scripts/lib/pg-settings';
import { createDb } from '../server/db/client';
import { RecordArena } from '../server/services/telemetry/record-arena';
import { readFirstStates, readRecords } from '../server/services/telemetry/recorded-samples';

const dir = process.env.WHATIF_PROBE_DIR ?? '/tmp/whatif-pg';
const size = Number(process.env.WHATIF_PROBE_SIZE ?? 1000);
const count = Number(process.env.WHATIF_MICRO_INSTANCES ?? 1000);
const runs = Number(process.env.WHATIF_MICRO_RUNS ?? 5);
const check = process.env.WHATIF_CHECK !== '0';
const variants = (process.env.WHATIF_VARIANTS ?? '').split(',');
const server = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: Number(process.env.BENCH_PG_PORT ?? 55001), settings: SERVER_SETTINGS });
const db = createDb(server.urlFor(`probe${size}`), 4);
try {
  const to = new Date(readFileSync(join(dir, `probe${size}.now`), 'utf8').trim());
  const from = new Date(to.getTime() - 15 * 60_000);
  const ids = (await db.instance.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).slice(0, count).map((i) => i.id);
  const firsts = Promise.resolve(await readFirstStates(db, ids, from, to));
  const arena = new RecordArena();
  const read = async () => {
    const a = arena;
    let sum = 0;
    let records = 0;
    let cpu = 0;
    let wall = 0;
    let sys = 0;
    for (let k = 0; k < ids.length; k += 16) {
      const c = process.cpuUsage();
      const t0 = performance.now();
      await readRecords(db, ids.slice(k, k + 16), from, to, arena, firsts);
      const u = process.cpuUsage(c);
      cpu += (u.user + u.system) / 1000;
      sys += u.system / 1000;
      wall += performance.now() - t0;
      for (let i = 0; check && i < a.instances; i++) {
        const w = new Uint32Array(a.values(i).slice().buffer);
        records += w.length / 70;
        for (let j = 0; j < w.length; j++) sum = (sum * 31 + w[j]!) >>> 0;
      }
    }
    return { cpuMs: Math.round(cpu), sysMs: Math.round(sys), wallMs: Math.round(wall), sum, records };
  };
  const g = globalThis as { __whatifVariant?: string };
  const out: Record<string, Array<{ cpuMs: number; sysMs: number; wallMs: number; sum: number; records: number }>> = {};
  for (let r = 0; r < runs; r++)
    for (const v of variants) {
      g.__whatifVariant = v;
      (out[v] ??= []).push(await read());
    }
  console.log(JSON.stringify(out));
} finally {
  await db.$disconnect();
  await server.stop();
}

// The what-if preview's Node CPU split in two on data seeded by bench/whatif-probe.ts: reading and
// decoding the records (readRecords, this process only) and replaying them (foldWindow), each
// timed by process.cpuUsage over WHATIF_MICRO_INSTANCES instances, WHATIF_MICRO_RUNS times, with
// the collector's pauses during the replays. The read keeps a copy of every instance's records
// (so the replay can be timed alone): its figure includes that copy and is only an upper bound.
// WHATIF_PROBE_VARIANTS=a,b replays each run once per variant, interleaved (globalThis.__whatifVariant,
// as in bench/whatif-probe.ts): an A/B of the replay alone on a shared machine.
//   WHATIF_PROBE_DIR=/tmp/whatif-pg BENCH_PG_PORT=55001 WHATIF_PROBE_SIZE=1000 npx tsx bench/whatif-replay-micro.ts
import { readFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../scripts/lib/embedded-pg';
import { SERVER_SETTINGS } from '../scripts/lib/pg-settings';
import { createDb } from '../server/db/client';
import type { FleetPolicies } from '../server/domain/model';
import { defaultPolicies } from '../server/domain/policy-defaults';
import { foldWindow } from '../server/services/policies/preview-replay';
import { RecordArena } from '../server/services/telemetry/record-arena';
import { readFirstStates, readRecords } from '../server/services/telemetry/recorded-samples';

const dir = process.env.WHATIF_PROBE_DIR ?? '/tmp/whatif-pg';
const size = Number(process.env.WHATIF_PROBE_SIZE ?? 1000);
const count = Number(process.env.WHATIF_MICRO_INSTANCES ?? 320);
const runs = Number(process.env.WHATIF_MICRO_RUNS ?? 5);
const variants = (process.env.WHATIF_PROBE_VARIANTS ?? 'a').split(',');
const server = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: Number(process.env.BENCH_PG_PORT ?? 55001), settings: SERVER_SETTINGS });
const db = createDb(server.urlFor(`probe${size}`), 4);
const cpuMs = (f: () => unknown) => async () => {
  const c = process.cpuUsage();
  await f();
  const u = process.cpuUsage(c);
  return (u.user + u.system) / 1000;
};
try {
  const to = new Date(readFileSync(join(dir, `probe${size}.now`), 'utf8').trim());
  const from = new Date(to.getTime() - 15 * 60_000);
  const instances = (await db.instance.findMany({ select: { id: true, name: true, serviceId: true, adminState: true }, orderBy: { id: 'asc' } })).slice(0, count);
  const ids = instances.map((i) => i.id);
  const current: FleetPolicies = { weight: defaultPolicies.weight, watermark: defaultPolicies.watermark, breaker: defaultPolicies.breaker };
  const proposed: FleetPolicies = { ...current, watermark: { ...current.watermark, breakPct: 85, degradePct: 75 } };
  const firsts = await readFirstStates(db, ids, from, to);
  // Each instance's records kept (a copy): the replay is timed alone.
  const kept: Array<{ v: Float64Array; i: number }> = [];
  const arena = new RecordArena();
  const read = cpuMs(async () => {
    kept.length = 0;
    for (let k = 0; k < ids.length; k += 16) {
      await readRecords(db, ids.slice(k, k + 16), from, to, arena, Promise.resolve(firsts));
      for (let i = 0; i < arena.instances; i++) kept.push({ v: arena.values(i).slice(), i: k + i });
    }
  });
  const figures = new Set<string>();
  const replay = cpuMs(() => {
    const fold = foldWindow({ from, to, policiesOf: () => ({ current, proposed }) });
    for (const { v, i } of kept) fold.replayOne(instances[i]!, v, firsts.get(ids[i]!));
    const { baseline, draft, samples } = fold.finish();
    figures.add(JSON.stringify({ baseline, draft, samples }));
  });
  const out: Record<string, number[]> = { read: [] };
  const gcMs: number[] = [];
  // GC entries are delivered after the fact: each is matched with the replays' time spans.
  const spans: Array<[number, number]> = [];
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (spans.some(([a, b]) => e.startTime >= a && e.startTime <= b)) gcMs.push(e.duration);
  });
  gc.observe({ entryTypes: ['gc'] });
  for (let r = 0; r < runs; r++) {
    out.read!.push(await read());
    for (const v of variants) {
      (globalThis as { __whatifVariant?: string }).__whatifVariant = v;
      const t0 = performance.now();
      (out[`replay ${v}`] ??= []).push(await replay());
      spans.push([t0, performance.now()]);
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
  gc.disconnect();
  const ticks = kept.reduce((n, k) => n + k.v.length / 35, 0);
  const nsPerTick = Object.fromEntries(variants.map((v) => [v, Math.round((Math.min(...out[`replay ${v}`]!) * 1e6) / ticks)]));
  console.log(JSON.stringify({ instances: kept.length, ticks, cpuMs: out, replayNsPerTick: nsPerTick, gcDuringReplays: { pauses: gcMs.length, ms: Math.round(gcMs.reduce((a, b) => a + b, 0)) }, identical: figures.size === 1, figures: [...figures][0] }));
} finally {
  await db.$disconnect();
  await server.stop();
}

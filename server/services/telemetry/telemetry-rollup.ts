import type { Db } from '../../db/client';
import { Prisma } from '../../db/generated/client';
import { enqueueJob } from '../../db/job-queue';
import { PACK_WINDOW_MINUTES, packTelemetry } from './telemetry-pack';

// Samples per state (see the TelemetryRollup columns): counted from raw samples, summed from finer rollups.
const seq = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const LEVELS = [0, 1, 2, 3];
const BREAKER = ['closed', 'open', 'half-open'];
const countArr = (conds: string[]) => `ARRAY[${conds.map((c) => `count(*) FILTER (WHERE ${c})`).join(', ')}]::int[]`;
const stageArr = (state: string) => countArr(seq(5).map((k) => `s."stageState"[${k}] = '${state}'`));
const RAW_COUNTS = Prisma.raw(
  [countArr(LEVELS.map((l) => `s.degradation = ${l}`)), countArr(BREAKER.map((b) => `s.breaker = '${b}'`)), stageArr('idle'), stageArr('active'), stageArr('blocked')].join(',\n      '),
);
const COUNT_COLUMNS: Array<[string, number]> = [['degradationCounts', 4], ['breakerCounts', 3], ['stageIdleCounts', 5], ['stageActiveCounts', 5], ['stageBlockedCounts', 5]];
const FINER_COUNTS = Prisma.raw(COUNT_COLUMNS.map(([c, n]) => `ARRAY[${seq(n).map((k) => `coalesce(sum(r."${c}"[${k}]), 0)`).join(', ')}]::int[]`).join(',\n      '));
const UPDATE_COUNTS = Prisma.raw(COUNT_COLUMNS.map(([c]) => `"${c}" = EXCLUDED."${c}"`).join(', '));

/** Rollup resolutions in seconds, finest first; each is built from the one before it (or raw). */
export const ROLLUP_RESOLUTIONS = [60, 600] as const;

/**
 * Downsamples telemetry into complete buckets: raw samples → 60 s (and each minute's replay pack,
 * telemetry-pack.ts), 60 s → 600 s. Idempotent
 * (upsert per bucket), so the cron can run late, twice, or on two workers. Only buckets after the
 * newest existing one (re-doing that one, which may have been partial) are computed, bounded by
 * `maxBackfillHours` so a first run on a large history stays small.
 */
export async function rollupTelemetry(db: Db, now = new Date(), maxBackfillHours = 6): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const floor = new Date(now.getTime() - maxBackfillHours * 3600_000);
  for (const res of ROLLUP_RESOLUTIONS) {
    const rows = await db.$queryRaw<Array<{ newest: Date | null }>>`
      SELECT max("bucketStart") AS newest FROM "TelemetryRollup" WHERE "resolutionS" = ${res}`;
    const newest = rows[0]?.newest ?? null;
    const aligned = new Date(Math.floor(floor.getTime() / (res * 1000)) * res * 1000);
    const from = newest && newest > aligned ? newest : aligned;
    // Only complete buckets: a bucket ends before `now`.
    const to = new Date(Math.floor(now.getTime() / (res * 1000)) * res * 1000);
    if (to <= from) {
      out[`r${res}`] = 0;
      continue;
    }
    // Packs first: a minute with a rollup row then always has its pack too.
    if (res === 60) out.packs = await packRecent(db, from, now);
    out[`r${res}`] = res === 60 ? await fromRaw(db, from, to) : await fromFiner(db, res, 60, from, to);
  }
  return out;
}

/** A tick may commit a little after its minute ends: a minute is packed once this much later. */
export const PACK_GRACE_MS = 10_000;
/** The rollup put off from inside a minute's grace runs this long into the minute. */
const DEFERRED_RUN_MS = PACK_GRACE_MS + 2_000;

/**
 * When the rollup started at `now` should run instead: `DEFERRED_RUN_MS` into the minute when
 * `now` is inside the grace of the minute that just ended (else null: now). The cron starts it on
 * the minute, when the minute just ended is still in its grace: it packed that minute only at the
 * next run, so the what-if preview read 60-120 s of raw samples (at 10,000 instances each second
 * of them cost PostgreSQL ~38 ms of CPU), where 12-72 s are left unpacked when it runs after the grace.
 */
export function deferredRollupAt(now: Date): Date | null {
  const intoMinute = now.getTime() % 60_000;
  return intoMinute < PACK_GRACE_MS + 1_000 ? new Date(now.getTime() - intoMinute + DEFERRED_RUN_MS) : null;
}

/** The rollup job: rollupTelemetry now, or a run of it queued for after the grace (deferredRollupAt). */
export async function runRollupJob(db: Db, now = new Date()): Promise<Record<string, number> | { deferredTo: string }> {
  const later = deferredRollupAt(now);
  if (later === null) return rollupTelemetry(db, now);
  // One queued run per minute however many times the cron's run is retried (the key replaces it).
  await enqueueJob(db, 'telemetry_rollup', {}, { jobKey: 'telemetry_rollup:after_grace', runAt: later, maxAttempts: 2 });
  return { deferredTo: later.toISOString() };
}
/** And re-packed for this long, so a tick that committed later still joins its pack. */
const PACK_REDO_MS = 3 * 60_000;

async function packRecent(db: Db, from: Date, now: Date): Promise<number> {
  const minute = (ms: number) => Math.floor(ms / 60_000) * 60_000;
  const to = minute(now.getTime() - PACK_GRACE_MS);
  const start = Math.max(minute(now.getTime() - PACK_WINDOW_MINUTES * 60_000), Math.min(from.getTime(), to - PACK_REDO_MS));
  return to > start ? packTelemetry(db, new Date(start), new Date(to)) : 0;
}

async function fromRaw(db: Db, from: Date, to: Date): Promise<number> {
  return db.$executeRaw`
    INSERT INTO "TelemetryRollup" ("instanceId", "resolutionS", "bucketStart", samples, "cpuAvg", "cpuMax", "p95MsAvg", "p95MsMax",
      "connectionsAvg", "rpsAvg", "errorRateAvg", "targetWeightAvg", "effectiveWeightAvg", "degradationMax", "stageFillMax",
      "degradationCounts", "breakerCounts", "stageIdleCounts", "stageActiveCounts", "stageBlockedCounts")
    SELECT s."instanceId", 60, date_bin('60 seconds', s.at, TIMESTAMP '2000-01-01') AS b, count(*)::int,
      avg(s.cpu), max(s.cpu), avg(s."p95Ms"), max(s."p95Ms"), avg(s.connections), avg(s.rps), avg(s."errorRate"),
      avg(s."targetWeight"), avg(s."effectiveWeight"), max(s.degradation),
      ARRAY[max(s."stageFill"[1]), max(s."stageFill"[2]), max(s."stageFill"[3]), max(s."stageFill"[4]), max(s."stageFill"[5])],
      ${RAW_COUNTS}
    FROM "TelemetrySample" s
    WHERE s.at >= ${from} AND s.at < ${to}
    GROUP BY s."instanceId", b
    ON CONFLICT ("instanceId", "resolutionS", "bucketStart") DO UPDATE SET
      samples = EXCLUDED.samples, "cpuAvg" = EXCLUDED."cpuAvg", "cpuMax" = EXCLUDED."cpuMax", "p95MsAvg" = EXCLUDED."p95MsAvg",
      "p95MsMax" = EXCLUDED."p95MsMax", "connectionsAvg" = EXCLUDED."connectionsAvg", "rpsAvg" = EXCLUDED."rpsAvg",
      "errorRateAvg" = EXCLUDED."errorRateAvg", "targetWeightAvg" = EXCLUDED."targetWeightAvg",
      "effectiveWeightAvg" = EXCLUDED."effectiveWeightAvg", "degradationMax" = EXCLUDED."degradationMax", "stageFillMax" = EXCLUDED."stageFillMax",
      ${UPDATE_COUNTS}`;
}

async function fromFiner(db: Db, res: number, finer: number, from: Date, to: Date): Promise<number> {
  const width = `${res} seconds`;
  // Averages weighted by sample count, so a bucket with a gap does not skew its parent.
  return db.$executeRaw`
    INSERT INTO "TelemetryRollup" ("instanceId", "resolutionS", "bucketStart", samples, "cpuAvg", "cpuMax", "p95MsAvg", "p95MsMax",
      "connectionsAvg", "rpsAvg", "errorRateAvg", "targetWeightAvg", "effectiveWeightAvg", "degradationMax", "stageFillMax",
      "degradationCounts", "breakerCounts", "stageIdleCounts", "stageActiveCounts", "stageBlockedCounts")
    SELECT r."instanceId", ${res}::int, date_bin(${width}::interval, r."bucketStart", TIMESTAMP '2000-01-01') AS b, sum(r.samples)::int,
      sum(r."cpuAvg" * r.samples) / nullif(sum(r.samples) FILTER (WHERE r."cpuAvg" IS NOT NULL), 0), max(r."cpuMax"),
      sum(r."p95MsAvg" * r.samples) / nullif(sum(r.samples) FILTER (WHERE r."p95MsAvg" IS NOT NULL), 0), max(r."p95MsMax"),
      sum(r."connectionsAvg" * r.samples) / nullif(sum(r.samples) FILTER (WHERE r."connectionsAvg" IS NOT NULL), 0),
      sum(r."rpsAvg" * r.samples) / nullif(sum(r.samples) FILTER (WHERE r."rpsAvg" IS NOT NULL), 0),
      sum(r."errorRateAvg" * r.samples) / nullif(sum(r.samples) FILTER (WHERE r."errorRateAvg" IS NOT NULL), 0),
      sum(r."targetWeightAvg" * r.samples) / sum(r.samples), sum(r."effectiveWeightAvg" * r.samples) / sum(r.samples),
      max(r."degradationMax"),
      ARRAY[max(r."stageFillMax"[1]), max(r."stageFillMax"[2]), max(r."stageFillMax"[3]), max(r."stageFillMax"[4]), max(r."stageFillMax"[5])],
      ${FINER_COUNTS}
    FROM "TelemetryRollup" r
    WHERE r."resolutionS" = ${finer} AND r."bucketStart" >= ${from} AND r."bucketStart" < ${to}
    GROUP BY r."instanceId", b
    ON CONFLICT ("instanceId", "resolutionS", "bucketStart") DO UPDATE SET
      samples = EXCLUDED.samples, "cpuAvg" = EXCLUDED."cpuAvg", "cpuMax" = EXCLUDED."cpuMax", "p95MsAvg" = EXCLUDED."p95MsAvg",
      "p95MsMax" = EXCLUDED."p95MsMax", "connectionsAvg" = EXCLUDED."connectionsAvg", "rpsAvg" = EXCLUDED."rpsAvg",
      "errorRateAvg" = EXCLUDED."errorRateAvg", "targetWeightAvg" = EXCLUDED."targetWeightAvg",
      "effectiveWeightAvg" = EXCLUDED."effectiveWeightAvg", "degradationMax" = EXCLUDED."degradationMax", "stageFillMax" = EXCLUDED."stageFillMax",
      ${UPDATE_COUNTS}`;
}

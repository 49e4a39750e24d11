import type { Db } from '../../db/client';
import { PACK_WINDOW_MINUTES } from './telemetry-pack';

export interface RetentionSettings {
  auditDays: number;
  liveHours: number;
  telemetryRawHours: number;
  telemetryRollupDays: number;
  transitionDays: number;
}

/** Expired sessions, old failed-login counters and heartbeats of workers long gone. */
export async function cleanupSessions(db: Db, now = new Date()) {
  const [sessions, throttles, heartbeats] = await db.$transaction([
    db.session.deleteMany({ where: { expiresAt: { lt: now } } }),
    db.loginThrottle.deleteMany({ where: { lastFailureAt: { lt: new Date(now.getTime() - 24 * 3600_000) } } }),
    db.workerHeartbeat.deleteMany({ where: { beatAt: { lt: new Date(now.getTime() - 24 * 3600_000) } } }),
  ]);
  return { sessions: sessions.count, throttles: throttles.count, heartbeats: heartbeats.count };
}

// Table and time column of everything that grows without bound. Deleted in chunks so that
// pruning a large backlog never holds long locks against the telemetry writer.
const PRUNABLE = {
  audit: { table: '"AuditEvent"', column: 'at' },
  live: { table: '"LiveEvent"', column: 'at' },
  samples: { table: '"TelemetrySample"', column: 'at' },
  versionSamples: { table: '"VersionSample"', column: 'at' },
  rollups: { table: '"TelemetryRollup"', column: '"bucketStart"' },
  packs: { table: '"TelemetryPack"', column: 'minute' },
  transitions: { table: '"StateTransition"', column: 'at' },
} as const;

// A running analysis replays its service's per-version samples from its start at every look (the
// background one from the first canary traffic to the end of the rollout): those rows are its
// evidence and stay, however long ago it started, until its rollout is no longer active.
const KEEP_ANALYSED = `NOT EXISTS (SELECT 1 FROM "AnalysisRun" a JOIN "Rollout" r ON r.id = a."rolloutId"
  WHERE r."serviceId" = t."serviceId" AND r.state IN ('progressing', 'paused', 'promoting', 'aborted')
    AND a.attempt = r.attempt AND a.verdict = 'running' AND t.at >= a."startedAt")`;

async function pruneChunked(db: Db, target: keyof typeof PRUNABLE, before: Date, chunk: number, keep?: string): Promise<number> {
  const { table, column } = PRUNABLE[target];
  let total = 0;
  for (;;) {
    // Identifiers and the keep condition come from constants in this file, never from input.
    const n = await db.$executeRawUnsafe(
      `DELETE FROM ${table} WHERE ctid IN (SELECT ctid FROM ${table} t WHERE ${column} < $1${keep ? ` AND ${keep}` : ''} LIMIT ${chunk})`,
      before,
    );
    total += n;
    if (n < chunk) return total;
  }
}

export async function pruneRetention(db: Db, s: RetentionSettings, now = new Date(), chunk = 5000) {
  const ago = (ms: number) => new Date(now.getTime() - ms);
  const h = 3600_000;
  return {
    audit: await pruneChunked(db, 'audit', ago(s.auditDays * 24 * h), chunk),
    live: await pruneChunked(db, 'live', ago(s.liveHours * h), chunk),
    // Packs are the raw samples in another form, needed only as far back as a preview reaches;
    // pruned first, so a pack never outlives the raw samples a preview reads beside it.
    packs: await pruneChunked(db, 'packs', ago(Math.min(s.telemetryRawHours * h, PACK_WINDOW_MINUTES * 60_000)), chunk),
    samples: await pruneChunked(db, 'samples', ago(s.telemetryRawHours * h), chunk),
    // The per-version evidence of canary analyses is raw telemetry too: kept as long as the samples,
    // and longer while a running analysis of an active rollout still replays it.
    versionSamples: await pruneChunked(db, 'versionSamples', ago(s.telemetryRawHours * h), chunk, KEEP_ANALYSED),
    rollups: await pruneChunked(db, 'rollups', ago(s.telemetryRollupDays * 24 * h), chunk),
    transitions: await pruneChunked(db, 'transitions', ago(s.transitionDays * 24 * h), chunk),
  };
}

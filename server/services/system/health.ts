import { timeoutsOf, type Db } from '../../db/client';
import { classifyDbFailure, unavailableMessage } from '../../db/unavailable';
import pkg from '../../../package.json' with { type: 'json' };
import { ADAPTER_STATUS_KEY } from '../platform/adapter-status';

/** How often every worker writes its heartbeat row. */
export const HEARTBEAT_INTERVAL_MS = 2_000;
/**
 * Three missed beats and the worker counts as down, so an outage of a few seconds (a crash the
 * supervisor is restarting) shows in /api/health and the banner instead of hiding behind a
 * heartbeat row the dead worker left.
 */
export const HEARTBEAT_STALE_MS = 3 * HEARTBEAT_INTERVAL_MS;

export interface Health {
  status: 'ok' | 'degraded' | 'down';
  version: string;
  time: string;
  database: { ok: boolean; latencyMs: number | null; error?: string };
  worker: { ok: boolean; alive: number; lastBeatAt: string | null; error?: string };
  /** The telemetry loop as the newest committed tick shows it. */
  telemetry: {
    ok: boolean;
    lastTickAt: string | null;
    lastTickMs: number | null;
    instances: number;
    /** Late ticks the current leader skipped instead of piling up. */
    skippedTicks: number;
    leader: string | null;
    error?: string;
  };
  /** Whether the leader reaches the platform through the active adapter (null: not reported yet). */
  adapter: { ok: boolean; kind: string | null; since: string | null; error?: string } | null;
}

/** No tick for this long means the loop is not running (ticks are ~1 s apart). */
export const TICK_STALE_MS = 15_000;

export async function getHealth(db: Db, now = new Date()): Promise<Health> {
  const started = performance.now();
  let database: Health['database'];
  let worker: Health['worker'] = { ok: false, alive: 0, lastBeatAt: null, error: 'database unreachable' };
  let adapter: Health['adapter'] = null;
  let telemetry: Health['telemetry'] = { ok: false, lastTickAt: null, lastTickMs: null, instances: 0, skippedTicks: 0, leader: null, error: 'database unreachable' };
  try {
    await withTimeout(db.$queryRaw`SELECT 1`, CHECK_TIMEOUT_MS);
    database = { ok: true, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
    const beats = await db.workerHeartbeat.findMany({ orderBy: { beatAt: 'desc' } });
    const alive = beats.filter((b) => now.getTime() - b.beatAt.getTime() < HEARTBEAT_STALE_MS);
    const last = beats[0]?.beatAt ?? null;
    worker = {
      ok: alive.length > 0,
      alive: alive.length,
      lastBeatAt: last?.toISOString() ?? null,
      ...(alive.length ? {} : { error: last ? `no heartbeat since ${last.toISOString()}: the worker is down` : 'no worker has started' }),
    };
    const tick = await db.tick.findFirst({ orderBy: { id: 'desc' } });
    const fresh = tick !== null && now.getTime() - tick.startedAt.getTime() < TICK_STALE_MS;
    telemetry = {
      ok: fresh,
      lastTickAt: tick?.startedAt.toISOString() ?? null,
      lastTickMs: tick ? Math.round(tick.durationMs) : null,
      instances: tick?.instances ?? 0,
      skippedTicks: tick?.skippedSoFar ?? 0,
      leader: tick?.leader ?? null,
      ...(fresh ? {} : { error: tick ? `no tick since ${tick.startedAt.toISOString()}` : 'no tick yet' }),
    };
    const st = await db.systemSetting.findUnique({ where: { key: ADAPTER_STATUS_KEY } });
    const v = (st?.value ?? null) as { ok?: boolean; kind?: string | null; since?: string; error?: string | null } | null;
    adapter = v ? { ok: v.ok === true, kind: v.kind ?? null, since: v.since ?? null, ...(v.ok ? {} : { error: v.error ?? 'unreachable' }) } : null;
  } catch (err) {
    // In words, never the driver's text (this endpoint needs no sign-in).
    const u = err instanceof CheckTimeout ? ({ kind: 'timeout', waitedMs: CHECK_TIMEOUT_MS } as const) : classifyDbFailure(err, timeoutsOf(db));
    database = { ok: false, latencyMs: null, error: u ? unavailableMessage(u) : 'the database query failed (see the server log)' };
    if (!u) console.error('[health] database check failed:', err);
  }
  const status = !database.ok ? 'down' : worker.ok && telemetry.ok && adapter?.ok !== false ? 'ok' : 'degraded';
  return { status, version: pkg.version, time: now.toISOString(), database, worker, telemetry, adapter };
}

const CHECK_TIMEOUT_MS = 3000;
class CheckTimeout extends Error {}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new CheckTimeout(`no answer within ${ms} ms`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e: unknown) => (clearTimeout(t), reject(e instanceof Error ? e : new Error(String(e)))),
    );
  });
}

/**
 * What /api/health tells anyone who asks (load balancers, uptime checks, strangers): states and
 * counts, but no platform error text (it can name internal hosts, URLs with credentials, queries)
 * and no leader host:pid. Signed-in users get the whole report through `system.health`.
 */
export function publicHealth(h: Health): Health {
  return {
    ...h,
    telemetry: { ...h.telemetry, leader: h.telemetry.leader === null ? null : 'elected' },
    adapter: h.adapter ? { ok: h.adapter.ok, kind: h.adapter.kind, since: h.adapter.since, ...(h.adapter.ok ? {} : { error: 'unreachable (details for signed-in users)' }) } : null,
  };
}

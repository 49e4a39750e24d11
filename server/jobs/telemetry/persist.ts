import type pg from 'pg';
import type { Transition } from '../../domain/model';
import { TICK_CHANNEL } from '../../live/topics';
import { arrayLiteral, copyField, copyLines } from './copy-text';
import type { VersionSampleRow } from './version-samples';

export interface SampleRow {
  instanceId: string;
  up: boolean;
  rtMs: number | null;
  cpu: number | null;
  memory: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  connections: number | null;
  rps: number | null;
  errorRate: number | null;
  inputAgeMs: { cpu: number | null; p95: number | null; connections: number | null; recompute?: number | null };
  targetWeight: number;
  effectiveWeight: number;
  degradation: number;
  breaker: string;
  stageFill: number[];
  stageState: string[];
  requests: number | null;
  activeRequests: number | null;
  maxConcurrency: number | null;
  ingressTimeouts: number | null;
  stageInputs: number[];
  stageOutputs: number[];
  stageBlocked: boolean[];
}

export interface TickRecord {
  at: Date;
  startedAt: Date;
  instances: number;
  skippedSoFar: number;
  leader: string;
}

export type TransitionRow = Transition & { instanceId: string };

// `timestamp(3)` columns hold UTC wall time (as Prisma writes them); an ISO string with `Z` read
// as a timestamp keeps exactly that, independent of the server's or the session's time zone.
export const iso = (d: Date | number) => new Date(d).toISOString();

/**
 * Writes one tick: the Tick row, every sample and every transition (COPY: at 10,000 instances the
 * samples are most of a tick's cost, and COPY parses them in a fraction of what one INSERT of 25
 * unnested arrays took), the per-version samples (one INSERT: a slot committed twice keeps the
 * first), then NOTIFY (delivered at commit). Runs inside the caller's transaction, so readers see
 * the whole tick or none of it. Returns the tick id.
 */
export async function persistTick(
  client: pg.ClientBase,
  tick: TickRecord,
  samples: readonly SampleRow[],
  transitions: readonly TransitionRow[],
  versions: readonly VersionSampleRow[] = [],
): Promise<bigint> {
  const durationMs = Date.now() - tick.startedAt.getTime();
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO "Tick" ("startedAt", "finishedAt", "durationMs", instances, "skippedSoFar", leader)
     VALUES ($1::timestamp, $2::timestamp, $3, $4, $5, $6) RETURNING id::text`,
    [iso(tick.at), iso(Date.now()), durationMs, tick.instances, tick.skippedSoFar, tick.leader],
  );
  const tickId = rows[0]!.id;
  await copyLines(client, SAMPLE_COPY, sampleLines(tickId, iso(tick.at), samples));
  await copyLines(client, TRANSITION_COPY, transitionLines(tickId, transitions));
  if (versions.length > 0) await client.query(VERSION_SAMPLE_SQL, versionColumns(iso(tick.at), versions));
  await client.query('SELECT pg_notify($1, $2)', [TICK_CHANNEL, tickId]);
  return BigInt(tickId);
}

export const SAMPLE_COLUMNS = `"instanceId", at, "tickId", up, "rtMs", cpu, memory, "p50Ms", "p95Ms", "p99Ms", connections, rps,
  "errorRate", "inputAgeMs", "targetWeight", "effectiveWeight", degradation, breaker, "stageFill", "stageState",
  requests, "activeRequests", "maxConcurrency", "ingressTimeouts", "stageInputs", "stageOutputs", "stageBlocked"`;
const SAMPLE_COPY = `COPY "TelemetrySample" (${SAMPLE_COLUMNS}) FROM STDIN`;

function sampleLines(tickId: string, at: string, samples: readonly SampleRow[]): string[] {
  const f = copyField;
  const lines = new Array<string>(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const r = samples[i]!;
    lines[i] =
      `${f(r.instanceId)}\t${at}\t${tickId}\t${f(r.up)}\t${f(r.rtMs)}\t${f(r.cpu)}\t${f(r.memory)}\t${f(r.p50Ms)}\t${f(r.p95Ms)}\t${f(r.p99Ms)}\t` +
      `${f(r.connections)}\t${f(r.rps)}\t${f(r.errorRate)}\t${f(JSON.stringify(r.inputAgeMs))}\t${f(r.targetWeight)}\t${f(r.effectiveWeight)}\t` +
      `${f(r.degradation)}\t${f(r.breaker)}\t${f(arrayLiteral(r.stageFill))}\t${f(arrayLiteral(r.stageState))}\t${f(r.requests)}\t` +
      `${f(r.activeRequests)}\t${f(r.maxConcurrency)}\t${f(r.ingressTimeouts)}\t${f(arrayLiteral(r.stageInputs))}\t${f(arrayLiteral(r.stageOutputs))}\t` +
      `${f(arrayLiteral(r.stageBlocked))}\n`;
  }
  return lines;
}

const TRANSITION_COPY = `COPY "StateTransition" (at, "tickId", "instanceId", machine, stage, "fromState", "toState", cause, "values", "trigger") FROM STDIN`;

function transitionLines(tickId: string, ts: readonly TransitionRow[]): string[] {
  const f = copyField;
  // What triggered a weight recompute, as the domain produced it; NULL for the other machines.
  return ts.map(
    (t) =>
      `${iso(t.at)}\t${tickId}\t${f(t.instanceId)}\t${f(t.machine)}\t${f(t.stage ?? '')}\t${f(t.from)}\t${f(t.to)}\t${f(t.cause)}\t` +
      `${f(JSON.stringify(t.values))}\t${f(t.trigger ? JSON.stringify(t.trigger) : null)}\n`,
  );
}

// A slot committed twice (a new leader re-ticking its predecessor's last slot) keeps the first.
const VERSION_SAMPLE_SQL = `
INSERT INTO "VersionSample" (at, "serviceId", "appVersion", zone, instances, requests, errors, buckets)
SELECT $1::timestamp, u.sid, u.v, u.z, u.n, u.req, u.err, u.b::float8[]
FROM unnest($2::uuid[], $3::text[], $4::text[], $5::int[], $6::float8[], $7::float8[], $8::text[]) AS u(sid, v, z, n, req, err, b)
ON CONFLICT DO NOTHING`;

function versionColumns(at: string, rows: readonly VersionSampleRow[]): unknown[] {
  return [
    at,
    rows.map((r) => r.serviceId),
    rows.map((r) => r.appVersion),
    rows.map((r) => r.zone),
    rows.map((r) => r.instances),
    rows.map((r) => r.requests),
    rows.map((r) => r.errors),
    rows.map((r) => arrayLiteral(r.buckets)),
  ];
}

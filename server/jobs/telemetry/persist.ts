import type pg from 'pg';
import type { Transition } from '../../domain/model';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { from as copyFrom } from 'pg-copy-streams';
import { TICK_CHANNEL } from '../../live/topics';
import { BINARY_COPY_TRAILER, BinaryCopyWriter, boolElement, float8Element, OID, textElement } from './copy-binary';
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
 * Writes one tick: the Tick row, every sample (binary COPY: at 10,000 instances the samples are
 * most of a tick's cost; binary spares both Node's text encoding and the server's float8/array
 * input parsing, see copy-binary.ts) and every transition (text COPY: a handful per tick), the
 * per-version samples (one INSERT: a slot committed twice keeps the
 * first), then NOTIFY (delivered at commit). Runs inside the caller's transaction, so readers see
 * the whole tick or none of it. Returns the tick id. The loop streams instead (TickWriter).
 */
export async function persistTick(
  client: pg.ClientBase,
  tick: TickRecord,
  samples: readonly SampleRow[],
  transitions: readonly TransitionRow[],
  versions: readonly VersionSampleRow[] = [],
): Promise<bigint> {
  const writer = await TickWriter.open(client, tick.at);
  await writer.write(samples);
  return writer.finish(tick, transitions, versions);
}

/**
 * One tick written while it is computed: the samples go into a binary COPY piece by piece, so
 * PostgreSQL ingests one piece (on the other core) while the domain steps the next; the Tick row,
 * the transitions, version samples and NOTIFY follow in `finish`. The tick id is reserved first
 * (nextval) because every sample carries it; the Tick row itself is written last, so nothing of a
 * tick that fails half-way is left even inside its transaction. Runs in the caller's transaction.
 * After a failure the caller must not reuse the connection for this transaction except to roll
 * it back (a server-side COPY error leaves it usable; an abandoned stream does not: release it
 * with the error).
 */
export class TickWriter {
  private failure: Error | null = null;

  private constructor(
    private readonly client: pg.ClientBase,
    readonly tickId: bigint,
    private readonly atMs: number,
    private readonly copy: Writable,
    private readonly done: Promise<void>,
  ) {}

  static async open(client: pg.ClientBase, at: Date): Promise<TickWriter> {
    const { rows } = await client.query<{ id: string }>(`SELECT nextval(pg_get_serial_sequence('"Tick"', 'id'))::text AS id`);
    const copy = client.query(copyFrom(SAMPLE_COPY_BINARY));
    const done = new Promise<void>((resolve, reject) => {
      copy.on('finish', resolve);
      copy.on('error', reject);
    });
    const writer = new TickWriter(client, BigInt(rows[0]!.id), at.getTime(), copy, done);
    // The server can refuse a row while later pieces are still being computed: remember it, so
    // the next write stops instead of writing into a COPY that is over.
    done.catch((err: unknown) => (writer.failure = err instanceof Error ? err : new Error(String(err))));
    copy.write(new BinaryCopyWriter(64).tuples());
    return writer;
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }

  /** Appends samples; resolves once the socket has taken them, so the server ingests them while the caller goes on. */
  async write(samples: readonly SampleRow[]): Promise<void> {
    this.check();
    if (samples.length === 0) return;
    await this.writeTuples(sampleTuples(this.tickId, this.atMs, samples));
  }

  /**
   * Appends samples already encoded as binary COPY tuples (no header, SAMPLE_COLUMNS order, this
   * tick's id and time): the loop encodes each sample as it steps it (tick-sample.ts).
   */
  async writeTuples(payload: Buffer): Promise<void> {
    this.check();
    if (payload.length === 0) return;
    // 256 KiB slices: the socket takes them without one write of several megabytes.
    let ok = true;
    for (let i = 0; i < payload.length; i += 1 << 18) ok = this.copy.write(payload.subarray(i, i + (1 << 18)));
    // Back to the event loop either way: that is when libuv hands the queued bytes to the socket.
    await (ok ? new Promise((r) => setImmediate(r)) : Promise.race([once(this.copy, 'drain'), this.done]));
    this.check();
  }

  /** Ends the samples' COPY and writes the rest of the tick. Returns the tick id. */
  async finish(tick: TickRecord, transitions: readonly TransitionRow[], versions: readonly VersionSampleRow[] = []): Promise<bigint> {
    this.check();
    this.copy.end(BINARY_COPY_TRAILER);
    await this.done;
    const durationMs = Date.now() - tick.startedAt.getTime();
    await this.client.query(
      `INSERT INTO "Tick" (id, "startedAt", "finishedAt", "durationMs", instances, "skippedSoFar", leader)
       VALUES ($1, $2::timestamp, $3::timestamp, $4, $5, $6, $7)`,
      [this.tickId.toString(), iso(tick.at), iso(Date.now()), durationMs, tick.instances, tick.skippedSoFar, tick.leader],
    );
    const tickId = this.tickId.toString();
    await copyLines(this.client, TRANSITION_COPY, transitionLines(tickId, transitions));
    if (versions.length > 0) await this.client.query(VERSION_SAMPLE_SQL, versionColumns(iso(tick.at), versions));
    await this.client.query('SELECT pg_notify($1, $2)', [TICK_CHANNEL, tickId]);
    return this.tickId;
  }
}

export const SAMPLE_COLUMNS = `"instanceId", at, "tickId", up, "rtMs", cpu, memory, "p50Ms", "p95Ms", "p99Ms", connections, rps,
  "errorRate", "inputAgeMs", "targetWeight", "effectiveWeight", degradation, breaker, "stageFill", "stageState",
  requests, "activeRequests", "maxConcurrency", "ingressTimeouts", "stageInputs", "stageOutputs", "stageBlocked"`;
const SAMPLE_COPY_BINARY = `COPY "TelemetrySample" (${SAMPLE_COLUMNS}) FROM STDIN (FORMAT binary)`;
export const SAMPLE_FIELDS = 27;

/** The samples' tuples alone: a piece of a binary COPY whose header went first. */
export function sampleTuples(tickId: bigint, atMs: number, samples: readonly SampleRow[]): Buffer {
  // ~330 bytes a row with five-stage arrays: one allocation for a whole piece, usually.
  const w = new BinaryCopyWriter(samples.length * 400, false);
  for (const r of samples) {
    w.row(SAMPLE_FIELDS).uuid(r.instanceId).timestamp(atMs).int8(tickId).bool(r.up)
      .float8(r.rtMs).float8(r.cpu).float8(r.memory).float8(r.p50Ms).float8(r.p95Ms).float8(r.p99Ms)
      .float8(r.connections).float8(r.rps).float8(r.errorRate).jsonb(r.inputAgeMs)
      .float8(r.targetWeight).float8(r.effectiveWeight).int4(r.degradation).text(r.breaker)
      .array(OID.float8, r.stageFill, float8Element).array(OID.text, r.stageState, textElement)
      .float8(r.requests).float8(r.activeRequests).float8(r.maxConcurrency).float8(r.ingressTimeouts)
      .array(OID.float8, r.stageInputs, float8Element).array(OID.float8, r.stageOutputs, float8Element)
      .array(OID.bool, r.stageBlocked, boolElement);
  }
  return w.tuples();
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

// The live feed of one instance or one service: for every committed tick, what that tick wrote
// for the entity (its sample(s) and transitions). Each read is memoised per (entity, tick) in the
// process, so fifty browsers watching one service cost one query per tick, not fifty.
import type { Db } from '../../db/client';
import { Prisma } from '../../db/generated/client';
import { notFound } from '../../errors';
import type { LiveBus } from '../../live/bus';
import { tickStream } from '../../live/stream';
import { consolePoliciesCached, NOTABLE_TRANSITION, RAW_POINT_COLUMNS, toPoint, TRANSITION_COLUMNS, ts, type InstancePoint, type PointRow, type TransitionItem } from './telemetry-sql';
import { explainWeight, numericRecord, whyText, type WeightExplanationView } from './weight-explanation';

export interface InstanceTickPayload {
  tickId: string;
  /** Epoch ms of the tick (its slot). */
  at: number;
  /** Null when the tick has no sample of this instance (it was not part of the fleet then). */
  sample: (InstancePoint & { stageState: string[] }) | null;
  /** Notable transitions of this tick (idle ↔ active stage flips left out). */
  transitions: TransitionItem[];
  /** Present when this tick recomputed the target: the new explanation. */
  explanation: WeightExplanationView | null;
}

/** What the service page needs of each instance per tick: the table's live cells and the split. */
export interface ServiceTickSample {
  instanceId: string;
  up: boolean;
  target: number;
  effective: number;
  cpu: number | null;
  p95: number | null;
  connections: number | null;
  rps: number | null;
  errorRate: number | null;
  degradation: number;
  breaker: string;
}

export interface ServiceTickPayload {
  tickId: string;
  at: number;
  samples: ServiceTickSample[];
  transitions: TransitionItem[];
  /** Instances whose target this tick recomputed: the table's "why" cell, as the service query words it. */
  recomputes: Array<{ instanceId: string; why: string; cause: string }>;
}

// ───────────────────────────── per-tick memo ─────────────────────────────

/** Entries kept: a few minutes of ticks for a few hundred watched entities. */
const MEMO_LIMIT = 5_000;

export class TickMemo {
  private readonly entries = new Map<string, Promise<unknown>>();
  /** Reads that actually ran (not served from the memo): the tests and benchmarks look at it. */
  reads = 0;

  constructor(private readonly limit = MEMO_LIMIT) {}

  get<T>(key: string, read: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key) as Promise<T> | undefined;
    if (hit) return hit;
    this.reads++;
    const p = read();
    this.entries.set(key, p);
    // A failed read is not remembered: the next subscriber (or a retry) reads again.
    p.catch(() => this.entries.delete(key));
    // Maps iterate in insertion order: drop the oldest entries first.
    while (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value!);
    return p;
  }
}

const holder = globalThis as unknown as { __switchbackTickMemo?: WeakMap<Db, TickMemo> };
/** One memo per process and database (Next.js dev re-evaluates modules: keep it on globalThis). */
export function tickMemo(db: Db): TickMemo {
  holder.__switchbackTickMemo ??= new WeakMap();
  let m = holder.__switchbackTickMemo.get(db);
  if (!m) holder.__switchbackTickMemo.set(db, (m = new TickMemo()));
  return m;
}

// ───────────────────────────── reads of one tick ─────────────────────────────

type TransitionRaw = Omit<TransitionItem, 'values'> & { values: unknown };
const tickAt = (tickId: bigint) => Prisma.sql`(SELECT "startedAt" FROM "Tick" WHERE id = ${tickId.toString()}::bigint)`;

export function readInstanceTick(db: Db, instanceId: string, tickId: bigint): Promise<InstanceTickPayload> {
  return tickMemo(db).get(`i:${instanceId}:${tickId}`, async () => {
    const [samples, transitions, tick] = await Promise.all([
      db.$queryRaw<Array<PointRow & { stageState: string[] }>>`
        SELECT ${RAW_POINT_COLUMNS}, s."stageState" FROM "TelemetrySample" s
        WHERE s."instanceId" = ${instanceId}::uuid AND s.at = ${tickAt(tickId)} AND s."tickId" = ${tickId.toString()}::bigint`,
      db.$queryRaw<TransitionRaw[]>`
        SELECT ${TRANSITION_COLUMNS} FROM "StateTransition" st
        WHERE st."instanceId" = ${instanceId}::uuid AND st."tickId" = ${tickId.toString()}::bigint
          AND st.at BETWEEN ${tickAt(tickId)} - interval '1 minute' AND ${tickAt(tickId)} + interval '1 minute'
        ORDER BY st.id`,
      tickTime(db, tickId),
    ]);
    const s = samples[0];
    const all = transitions.map((r) => ({ ...r, at: Number(r.at), values: numericRecord(r.values) }));
    const weight = all.findLast((r) => r.machine === 'weight');
    const policies = weight ? await consolePoliciesCached(db) : null;
    return {
      tickId: tickId.toString(),
      at: tick ?? (s ? Number(s.t) : 0),
      sample: s ? { ...toPoint(s), stageState: s.stageState } : null,
      transitions: all.filter(isNotable),
      explanation: weight && policies ? explainWeight({ values: weight.values, cause: weight.cause, at: weight.at, fromState: weight.from }, policies.weight) : null,
    };
  });
}

export function readServiceTick(db: Db, serviceId: string, tickId: bigint): Promise<ServiceTickPayload> {
  return tickMemo(db).get(`s:${serviceId}:${tickId}`, async () => {
    const [samples, transitions, tick] = await Promise.all([
      db.$queryRaw<ServiceTickSample[]>`
        SELECT s."instanceId"::text AS "instanceId", s.up, s."targetWeight" AS target, s."effectiveWeight" AS effective, s.cpu, s."p95Ms" AS p95,
          s.connections, s.rps, s."errorRate", s.degradation, s.breaker
        FROM "TelemetrySample" s JOIN "Instance" i ON i.id = s."instanceId"
        WHERE i."serviceId" = ${serviceId}::uuid AND s.at = ${tickAt(tickId)} AND s."tickId" = ${tickId.toString()}::bigint
        ORDER BY i.name`,
      db.$queryRaw<TransitionRaw[]>`
        SELECT ${TRANSITION_COLUMNS} FROM "StateTransition" st JOIN "Instance" i ON i.id = st."instanceId"
        WHERE i."serviceId" = ${serviceId}::uuid AND st."tickId" = ${tickId.toString()}::bigint
          AND st.at BETWEEN ${tickAt(tickId)} - interval '1 minute' AND ${tickAt(tickId)} + interval '1 minute' AND ${NOTABLE_TRANSITION}
        ORDER BY st.id`,
      tickTime(db, tickId),
    ]);
    const items = transitions.map((r) => ({ ...r, at: Number(r.at), values: numericRecord(r.values) }));
    const weights = items.filter((r) => r.machine === 'weight');
    const policies = weights.length ? await consolePoliciesCached(db) : null;
    return {
      tickId: tickId.toString(),
      at: tick ?? 0,
      samples,
      transitions: items,
      recomputes: policies
        ? weights.map((w) => ({ instanceId: w.instanceId, cause: w.cause, why: whyText(explainWeight({ values: w.values, cause: w.cause, at: w.at, fromState: w.from }, policies.weight)) }))
        : [],
    };
  });
}

const isNotable = (t: TransitionItem) => t.machine !== 'stage' || t.from === 'blocked' || t.to === 'blocked';

async function tickTime(db: Db, tickId: bigint): Promise<number | null> {
  const rows = await db.$queryRaw<Array<{ at: number }>>`
    SELECT (extract(epoch FROM "startedAt") * 1000)::float8 AS at FROM "Tick" WHERE id = ${tickId.toString()}::bigint`;
  return rows[0] ? Number(rows[0].at) : null;
}

// ───────────────────────────── streams ─────────────────────────────

/** How far back a reconnecting client is replayed: its live window, no more. */
export const DEFAULT_WINDOW_S = 300;

/**
 * Where a (re)connecting client's backlog starts: after its last tick, but never before its
 * window (a tab asleep for an hour needs the last five minutes, not the hour after it left).
 */
export async function resumeAfter(db: Db, lastEventId: string | null | undefined, windowS: number, nowMs = Date.now()): Promise<string | null> {
  if (!lastEventId || !/^\d+$/.test(lastEventId)) return null;
  const rows = await db.$queryRaw<Array<{ id: string }>>`
    SELECT id::text AS id FROM "Tick" WHERE "startedAt" < ${ts(nowMs - windowS * 1000)} ORDER BY "startedAt" DESC LIMIT 1`;
  const floor = rows[0] ? BigInt(rows[0].id) : 0n;
  const last = BigInt(lastEventId);
  return (last > floor ? last : floor).toString();
}

export interface LiveInput {
  lastEventId?: string | null;
  windowS?: number;
}

export async function* instanceLive(db: Db, bus: LiveBus, input: LiveInput & { instanceId: string }, signal: AbortSignal): AsyncGenerator<InstanceTickPayload> {
  if (!(await db.instance.findUnique({ where: { id: input.instanceId }, select: { id: true } }))) throw notFound('That instance');
  const after = await resumeAfter(db, input.lastEventId, input.windowS ?? DEFAULT_WINDOW_S);
  for await (const tickId of tickStream(bus, after, signal)) yield await readInstanceTick(db, input.instanceId, tickId);
}

export async function* serviceLive(db: Db, bus: LiveBus, input: LiveInput & { serviceId: string }, signal: AbortSignal): AsyncGenerator<ServiceTickPayload> {
  if (!(await db.service.findUnique({ where: { id: input.serviceId }, select: { id: true } }))) throw notFound('That service');
  const after = await resumeAfter(db, input.lastEventId, input.windowS ?? DEFAULT_WINDOW_S);
  for await (const tickId of tickStream(bus, after, signal)) yield await readServiceTick(db, input.serviceId, tickId);
}

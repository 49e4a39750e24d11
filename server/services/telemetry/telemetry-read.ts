// The read side of the live platform for one instance: who it is, its latest sample, why it has
// the weight it has, its stages, breaker and degradation, its series over a range at the right
// resolution, and the transitions in that range. Services: telemetry-read-service.ts; the live
// feed: telemetry-live.ts. Contract of the tables: docs/telemetry.md.
import { z } from 'zod';
import { name, uuid } from '../../domain/inputs';
import type { Db } from '../../db/client';
import { Prisma } from '../../db/generated/client';
import { STAGES } from '../../domain/model';
import { LEVEL_LABELS } from '../../domain/degradation';
import { notFound } from '../../errors';
import { effectiveResolution, pickResolution, rangeInput, rawBucketS, resolveRange, stepSeconds, type Resolution } from './telemetry-range';
import {
  bucketedPointColumns,
  epochMs,
  loadConsolePolicies,
  NOTABLE_TRANSITION,
  RAW_POINT_COLUMNS,
  toPoint,
  TRANSITION_COLUMNS,
  ts,
  type ConsolePolicies,
  type InstancePoint,
  type PointRow,
  type TransitionItem,
} from './telemetry-sql';
import { explainWeight, numericRecord, type WeightExplanationView } from './weight-explanation';

export { pickResolution } from './telemetry-range';
export type { InstancePoint, TransitionItem } from './telemetry-sql';
export type { WeightExplanationView } from './weight-explanation';

/** How far back the "since" of a state and the latest recompute are looked for. */
const LOOKBACK_MS = 24 * 3600_000;
/** Window of the time-in-state shares of each stage. */
const SHARE_WINDOW_MS = 5 * 60_000;
/** Most transitions one range returns (newest first); the list says when there were more. */
export const TRANSITION_LIMIT = 500;

export const instanceByName = z.object({ name: name() });

export interface LatestSample extends InstancePoint {
  rtMs: number | null;
  memory: number | null;
  p50: number | null;
  p99: number | null;
  /** Age (ms) of each weight input when it was used: inputs have their own sampling cadences. */
  inputAgeMs: { cpu: number | null; p95: number | null; connections: number | null };
  stageState: string[];
}

export interface StageView {
  name: string;
  state: string;
  fill: number;
  /** Watermark band of the fill: below 60 % normal, ≥ 60 elevated, ≥ 85 degraded, ≥ 95 at the break line. */
  band: 'normal' | 'elevated' | 'degraded' | 'break';
  /** Epoch ms of the transition into the current state (null: not within the lookback). */
  since: number | null;
  /** Share of the last 5 min spent in each state, from the samples (0..1). */
  share: { idle: number; active: number; blocked: number } | null;
}

export interface MachineView {
  state: string;
  since: number | null;
  cause: string | null;
}

export interface InstanceDetail {
  instance: { id: string; name: string; appVersion: string; adminState: string; address: string; labels: Record<string, unknown> };
  service: { id: string; name: string };
  cluster: string;
  zone: string;
  region: string;
  policy: {
    weight: Pick<ConsolePolicies['weight'], 'model' | 'base' | 'thresholds' | 'smoothingWindowS' | 'periodicRecomputeS' | 'cadencesS'>;
    watermark: Pick<ConsolePolicies['watermark'], 'elevatedPct' | 'degradePct' | 'breakPct' | 'breakHoldS'>;
  };
  latest: LatestSample | null;
  explanation: WeightExplanationView | null;
  /**
   * The newest recompute a threshold crossing caused (within a day). A later periodic recompute
   * explains the number; this still says what set it moving.
   */
  lastCrossing: { cause: string; at: number; from: string; to: string } | null;
  stages: StageView[];
  breaker: MachineView;
  degradation: MachineView & { level: number; label: string };
  /** Epoch ms of the oldest raw sample kept: a state with no transition since has held at least this long. */
  sampledSince: number | null;
  /** This instance among the instances of its version in the latest tick (its share of that version's traffic). */
  peers: { instances: number; sumEffective: number; versionWeight: number | null; versionWeightTotal: number } | null;
}

export function bandOf(fill: number, w: Pick<ConsolePolicies['watermark'], 'elevatedPct' | 'degradePct' | 'breakPct'>): StageView['band'] {
  const pct = fill * 100;
  return pct >= w.breakPct ? 'break' : pct >= w.degradePct ? 'degraded' : pct >= w.elevatedPct ? 'elevated' : 'normal';
}

interface LatestRow {
  machine: string;
  stage: string;
  at: number;
  fromState: string;
  toState: string;
  cause: string;
  values: unknown;
}

export async function getInstanceDetail(db: Db, input: z.input<typeof instanceByName>): Promise<InstanceDetail> {
  const { name } = instanceByName.parse(input);
  const inst = await db.instance.findUnique({
    where: { name },
    include: { service: { select: { id: true, name: true, routing: true } }, cluster: { include: { zone: { include: { region: true } } } } },
  });
  if (!inst) throw notFound(`Instance "${name}"`);
  const [policies, sample, oldest] = await Promise.all([
    loadConsolePolicies(db),
    db.telemetrySample.findFirst({ where: { instanceId: inst.id }, orderBy: { at: 'desc' } }),
    db.telemetrySample.findFirst({ where: { instanceId: inst.id }, orderBy: { at: 'asc' }, select: { at: true } }),
  ]);
  const ref = sample ? sample.at.getTime() : Date.now();
  const [latestByMachine, crossing, shares, peers] = await Promise.all([
    latestTransitions(db, inst.id, ref),
    db.stateTransition.findFirst({
      // The stored trigger, not the sentence: a crossing up or a fall back below its threshold.
      where: {
        instanceId: inst.id,
        machine: 'weight',
        at: { gte: new Date(ref - LOOKBACK_MS) },
        AND: [{ trigger: { path: ['kind'], equals: 'threshold' } }, { OR: [{ trigger: { path: ['direction'], equals: 'up' } }, { trigger: { path: ['direction'], equals: 'down' } }] }],
      },
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
      select: { cause: true, at: true, fromState: true, toState: true },
    }),
    stageShares(db, inst.id, ref),
    sample
      ? db.$queryRaw<Array<{ n: number; sum: number | null }>>`
          SELECT count(*)::int AS n, sum(s."effectiveWeight")::float8 AS sum
          FROM "TelemetrySample" s JOIN "Instance" i ON i.id = s."instanceId"
          WHERE s.at = ${ts(ref)} AND i."serviceId" = ${inst.serviceId}::uuid AND i."appVersion" = ${inst.appVersion}`
      : Promise.resolve([]),
  ]);
  const find = (machine: string, stage = '') => latestByMachine.find((r) => r.machine === machine && r.stage === stage) ?? null;
  const weightTr = find('weight') ?? (await latestWeightTransitionEver(db, inst.id));
  const latest: LatestSample | null = sample
    ? {
        ...toPoint({
          t: sample.at.getTime(),
          tickId: sample.tickId.toString(),
          up: sample.up,
          target: sample.targetWeight,
          effective: sample.effectiveWeight,
          cpu: sample.cpu,
          p95: sample.p95Ms,
          connections: sample.connections,
          rps: sample.rps,
          errorRate: sample.errorRate,
          stageFill: sample.stageFill,
          degradation: sample.degradation,
          breaker: sample.breaker,
        }),
        rtMs: sample.rtMs,
        memory: sample.memory,
        p50: sample.p50Ms,
        p99: sample.p99Ms,
        inputAgeMs: inputAges(sample.inputAgeMs),
        stageState: sample.stageState,
      }
    : null;

  const stages: StageView[] = STAGES.map((stage, k) => {
    const state = sample?.stageState[k] ?? 'idle';
    const fill = sample?.stageFill[k] ?? 0;
    const tr = find('stage', stage);
    const share = shares.get(k + 1);
    return {
      name: stage,
      state,
      fill,
      band: bandOf(fill, policies.watermark),
      since: tr && tr.toState === state ? tr.at : null,
      share: share ?? null,
    };
  });
  const breakerTr = find('breaker');
  const breakerState = sample?.breaker ?? 'closed';
  const degTr = find('degradation');
  const level = sample?.degradation ?? 0;
  const routing = inst.service.routing as { versionWeights?: Record<string, number> } | null;
  const versionWeights = routing?.versionWeights ?? {};
  const peer = peers[0];
  return {
    instance: {
      id: inst.id,
      name: inst.name,
      appVersion: inst.appVersion,
      adminState: inst.adminState,
      address: inst.address,
      labels: (inst.labels ?? {}) as Record<string, unknown>,
    },
    service: { id: inst.service.id, name: inst.service.name },
    cluster: inst.cluster.name,
    zone: inst.cluster.zone.name,
    region: inst.cluster.zone.region.name,
    policy: {
      weight: pick(policies.weight, ['model', 'base', 'thresholds', 'smoothingWindowS', 'periodicRecomputeS', 'cadencesS']),
      watermark: pick(policies.watermark, ['elevatedPct', 'degradePct', 'breakPct', 'breakHoldS']),
    },
    latest,
    explanation: weightTr ? explainWeight({ values: weightTr.values, cause: weightTr.cause, at: weightTr.at, fromState: weightTr.fromState }, policies.weight) : null,
    lastCrossing: crossing ? { cause: crossing.cause, at: crossing.at.getTime(), from: crossing.fromState, to: crossing.toState } : null,
    stages,
    breaker: { state: breakerState, since: breakerTr && breakerTr.toState === breakerState ? breakerTr.at : null, cause: breakerTr?.cause ?? null },
    degradation: {
      level,
      label: LEVEL_LABELS[level] ?? `L${level}`,
      state: `L${level}`,
      since: degTr && degTr.toState === `L${level}` ? degTr.at : null,
      cause: degTr?.cause ?? null,
    },
    sampledSince: oldest ? oldest.at.getTime() : null,
    peers:
      peer && peer.n > 0
        ? {
            instances: peer.n,
            sumEffective: peer.sum ?? 0,
            versionWeight: versionWeights[inst.appVersion] ?? null,
            versionWeightTotal: Object.values(versionWeights).reduce((a, b) => a + b, 0),
          }
        : null,
  };
}

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) out[k] = o[k];
  return out;
}

function inputAges(v: unknown): LatestSample['inputAgeMs'] {
  const r = numericRecord(v);
  return { cpu: r.cpu ?? null, p95: r.p95 ?? null, connections: r.connections ?? null };
}

/** The newest transition of each instance machine and each stage, one index probe each. */
async function latestTransitions(db: Db, instanceId: string, refMs: number): Promise<LatestRow[]> {
  const kinds = [
    ['weight', ''],
    ['breaker', ''],
    ['degradation', ''],
    ...STAGES.map((s) => ['stage', s]),
  ].map(([m, s]) => Prisma.sql`(${m}, ${s})`);
  return db.$queryRaw<LatestRow[]>`
    SELECT k.machine, k.stage, t.at, t."fromState", t."toState", t.cause, t."values"
    FROM (VALUES ${Prisma.join(kinds)}) AS k(machine, stage)
    CROSS JOIN LATERAL (
      SELECT ${epochMs(Prisma.sql`st.at`)} AS at, st."fromState", st."toState", st.cause, st."values"
      FROM "StateTransition" st
      WHERE st."instanceId" = ${instanceId}::uuid AND st.machine = k.machine::"MachineKind" AND st.stage = k.stage
        AND st.at >= ${ts(refMs - LOOKBACK_MS)} AND st.at <= ${ts(refMs + 60_000)}
      ORDER BY st.at DESC, st.id DESC LIMIT 1) t`;
}

/** A weight that has not changed for a day still has an explanation: its last recompute. */
async function latestWeightTransitionEver(db: Db, instanceId: string): Promise<LatestRow | null> {
  const t = await db.stateTransition.findFirst({ where: { instanceId, machine: 'weight' }, orderBy: [{ at: 'desc' }, { id: 'desc' }] });
  return t ? { machine: 'weight', stage: '', at: t.at.getTime(), fromState: t.fromState, toState: t.toState, cause: t.cause, values: t.values } : null;
}

async function stageShares(db: Db, instanceId: string, refMs: number) {
  const rows = await db.$queryRaw<Array<{ k: number; state: string; n: number }>>`
    SELECT u.k::int AS k, u.state, count(*)::int AS n
    FROM "TelemetrySample" s CROSS JOIN LATERAL unnest(s."stageState") WITH ORDINALITY AS u(state, k)
    WHERE s."instanceId" = ${instanceId}::uuid AND s.at > ${ts(refMs - SHARE_WINDOW_MS)} AND s.at <= ${ts(refMs)}
    GROUP BY 1, 2`;
  const out = new Map<number, { idle: number; active: number; blocked: number }>();
  const totals = new Map<number, number>();
  for (const r of rows) totals.set(r.k, (totals.get(r.k) ?? 0) + r.n);
  for (const r of rows) {
    const s = out.get(r.k) ?? { idle: 0, active: 0, blocked: 0 };
    if (r.state === 'idle' || r.state === 'active' || r.state === 'blocked') s[r.state] = r.n / totals.get(r.k)!;
    out.set(r.k, s);
  }
  return out;
}

// ───────────────────────────── series ─────────────────────────────

export const instanceSeriesInput = z.object({ instanceId: uuid(), range: rangeInput });

export interface InstanceSeries {
  instanceId: string;
  from: number;
  to: number;
  resolution: Resolution;
  /** Seconds between points (1 for raw at the default tick). */
  stepS: number;
  points: InstancePoint[];
  /** Notable transitions in the range, newest first (idle ↔ active stage flips left out). */
  transitions: TransitionItem[];
  transitionsTruncated: boolean;
  /** The newest committed tick when this was read: a live client resumes its feed after it. */
  lastTickId: string | null;
}

export async function getInstanceSeries(db: Db, input: z.input<typeof instanceSeriesInput>, nowMs = Date.now()): Promise<InstanceSeries> {
  const { instanceId, range } = instanceSeriesInput.parse(input);
  const exists = await db.instance.findUnique({ where: { id: instanceId }, select: { id: true } });
  if (!exists) throw notFound('That instance');
  const { fromMs, toMs } = resolveRange(range, nowMs);
  // The tick id first: anything committed after it is delivered by the live feed, never lost between the two.
  const lastTickId = await newestTickId(db);
  const resolution = await resolutionFor(db, fromMs, toMs, Prisma.sql`"instanceId" = ${instanceId}::uuid`);
  const [points, transitions] = await Promise.all([instancePoints(db, instanceId, resolution, fromMs, toMs), listInstanceTransitions(db, instanceId, fromMs, toMs)]);
  return {
    instanceId,
    from: fromMs,
    to: toMs,
    resolution,
    stepS: stepSeconds(resolution, fromMs, toMs),
    points,
    transitions: transitions.slice(0, TRANSITION_LIMIT),
    transitionsTruncated: transitions.length > TRANSITION_LIMIT,
    lastTickId,
  };
}

export async function newestTickId(db: Db): Promise<string | null> {
  const rows = await db.$queryRaw<Array<{ id: string | null }>>`SELECT max(id)::text AS id FROM "Tick"`;
  return rows[0]?.id ?? null;
}

/**
 * pickResolution, stepped up to the 60 s rollups when raw samples no longer reach back to the
 * start of the range (they are pruned after a few hours). `filter` narrows to the instances read.
 */
export async function resolutionFor(db: Db, fromMs: number, toMs: number, filter: Prisma.Sql): Promise<Resolution> {
  const picked = pickResolution(fromMs, toMs);
  if (picked !== 'raw') return picked;
  const rows = await db.$queryRaw<Array<{ raw: number | null; rollup: number | null }>>`
    SELECT (SELECT ${epochMs(Prisma.sql`min(at)`)} FROM "TelemetrySample" WHERE ${filter}) AS raw,
           (SELECT ${epochMs(Prisma.sql`min("bucketStart")`)} FROM "TelemetryRollup" WHERE "resolutionS" = 60 AND ${filter}) AS rollup`;
  return effectiveResolution(picked, fromMs, rows[0]?.raw ?? null, rows[0]?.rollup ?? null);
}

export async function instancePoints(db: Db, instanceId: string, resolution: Resolution, fromMs: number, toMs: number): Promise<InstancePoint[]> {
  if (resolution === 'raw') {
    const bucket = rawBucketS(fromMs, toMs);
    const rows = bucket
      ? await db.$queryRaw<PointRow[]>`
          SELECT ${bucketedPointColumns(bucket)} FROM "TelemetrySample" s
          WHERE s."instanceId" = ${instanceId}::uuid AND s.at >= ${ts(fromMs)} AND s.at <= ${ts(toMs)}
          GROUP BY 1 ORDER BY 1`
      : await db.$queryRaw<PointRow[]>`
          SELECT ${RAW_POINT_COLUMNS} FROM "TelemetrySample" s
          WHERE s."instanceId" = ${instanceId}::uuid AND s.at >= ${ts(fromMs)} AND s.at <= ${ts(toMs)}
          ORDER BY s.at`;
    return rows.map(toPoint);
  }
  const res = resolution;
  const alignedFrom = Math.floor(fromMs / (res * 1000)) * res * 1000;
  const rollups = await db.$queryRaw<PointRow[]>`
    SELECT ${epochMs(Prisma.sql`r."bucketStart"`)} AS t, NULL::text AS "tickId", NULL::bool AS up, r."targetWeightAvg" AS target,
      r."effectiveWeightAvg" AS effective, r."cpuAvg" AS cpu, r."p95MsAvg" AS p95, r."connectionsAvg" AS connections, r."rpsAvg" AS rps,
      r."errorRateAvg" AS "errorRate", r."stageFillMax" AS "stageFill", r."degradationMax" AS degradation, NULL::text AS breaker,
      r."cpuMax", r."p95MsMax" AS "p95Max"
    FROM "TelemetryRollup" r
    WHERE r."instanceId" = ${instanceId}::uuid AND r."resolutionS" = ${res}::int AND r."bucketStart" >= ${ts(alignedFrom)} AND r."bucketStart" <= ${ts(toMs)}
    ORDER BY r."bucketStart"`;
  const points = rollups.map(toPoint);
  // The rollup cron writes complete buckets only, a minute or so behind: the newest buckets come
  // from raw samples, so a 24 h chart reaches up to now.
  const tailFrom = points.length ? points[points.length - 1]!.t + res * 1000 : alignedFrom;
  if (tailFrom <= toMs) {
    const tail = await db.$queryRaw<PointRow[]>`
      SELECT ${bucketedPointColumns(res)} FROM "TelemetrySample" s
      WHERE s."instanceId" = ${instanceId}::uuid AND s.at >= ${ts(tailFrom)} AND s.at <= ${ts(toMs)}
      GROUP BY 1 ORDER BY 1`;
    // A rollup point has no tick or reachability; keep the tail's shape the same.
    for (const r of tail) points.push({ ...toPoint(r), tickId: null, up: null, breaker: null });
  }
  return points;
}

export async function listInstanceTransitions(db: Db, instanceId: string, fromMs: number, toMs: number, limit = TRANSITION_LIMIT + 1): Promise<TransitionItem[]> {
  const rows = await db.$queryRaw<Array<Omit<TransitionItem, 'values'> & { values: unknown }>>`
    SELECT ${TRANSITION_COLUMNS} FROM "StateTransition" st
    WHERE st."instanceId" = ${instanceId}::uuid AND st.at >= ${ts(fromMs)} AND st.at <= ${ts(toMs)} AND ${NOTABLE_TRANSITION}
    ORDER BY st.at DESC, st.id DESC LIMIT ${limit}::int`;
  return rows.map((r) => ({ ...r, at: Number(r.at), values: numericRecord(r.values) }));
}

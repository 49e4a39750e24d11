// Read models of the Rollouts pages: the fleet table (one row per rollout, desired vs measured
// canary share, latest verdict, the approval waiting and whether the reader may decide it), one
// rollout with its steps, approvals, analyses, guards and events, and the weight history.
import type { z } from 'zod';
import type { Db } from '../../db/client';
import type { Prisma, Rollout } from '../../db/generated/client';
import type { GuardHold } from '../../domain/rollouts/guards';
import { specOf } from './rollout-state';
import { approvalCount } from '../../domain/rollouts/approvals';
import { notFound } from '../../errors';
import { canDecide, isApprover, liveRequests, type OpenRequest } from './approvals';
import { authorIds } from './authors';
import { IN_FLIGHT, IN_FLIGHT_STATES } from '../../domain/rollouts/machine';
import type { listRolloutsInput, rolloutId } from './rollout-inputs';

export interface Reader {
  id: string;
}

const LIST_LIMIT = 200;
/** A measured share older than this is not "now" (no live loop): shown as unknown. */
const MEASURED_FRESH_MS = 60_000;

function canaryPctOf(routing: unknown, canary: string): number {
  const w = (routing as { versionWeights?: Record<string, number> } | null)?.versionWeights;
  if (!w) return 0;
  const total = Object.values(w).reduce((a, b) => a + b, 0);
  return total > 0 ? Math.round(((w[canary] ?? 0) / total) * 1000) / 10 : 0;
}

const shareOf = (canary: number, total: number) => Math.round((canary / total) * 1000) / 10;

/** A measured canary share and the tick it was measured at (the page says how old it is). */
export interface Measured {
  pct: number;
  at: Date;
}

/**
 * The measured canary share of the fleet table: canary requests / all requests of the service, at
 * one tick. An active rollout: the service's latest tick (if fresh). A finished one: where its
 * traffic went once its final routing took effect — the latest tick in the minute after
 * finishedAt — so a rolled-back rollout reads 0 % and not the canary share just before the
 * rollback; until such a tick exists (or when the loop stopped), the last tick up to finishedAt,
 * whose time the page shows. Nothing when no traffic was sampled.
 */
async function measuredNow(db: Db, rollouts: readonly Rollout[]): Promise<Map<string, Measured>> {
  const [active, finished] = await Promise.all([measuredActive(db, rollouts), measuredFinished(db, rollouts)]);
  return new Map([...active, ...finished]);
}

async function measuredActive(db: Db, rollouts: readonly Rollout[]): Promise<Map<string, Measured>> {
  const active = rollouts.filter((r) => r.state !== 'pending' && r.state !== 'succeeded' && r.state !== 'rolled_back');
  if (active.length === 0) return new Map();
  const ids = [...new Set(active.map((r) => r.serviceId))];
  const rows = await db.$queryRaw<Array<{ serviceId: string; appVersion: string; requests: number; at: Date }>>`
    WITH latest AS (
      SELECT "serviceId", max(at) AS at FROM "VersionSample"
       WHERE "serviceId" = ANY(${ids}::uuid[]) AND at > ${new Date(Date.now() - MEASURED_FRESH_MS)}
       GROUP BY "serviceId")
    SELECT v."serviceId"::text AS "serviceId", v."appVersion", sum(v.requests)::float8 AS requests, l.at
      FROM "VersionSample" v JOIN latest l ON l."serviceId" = v."serviceId" AND l.at = v.at
     GROUP BY v."serviceId", v."appVersion", l.at`;
  const out = new Map<string, Measured>();
  for (const r of active) {
    const mine = rows.filter((x) => x.serviceId === r.serviceId);
    const total = mine.reduce((s, x) => s + x.requests, 0);
    if (total > 0) out.set(r.id, { pct: shareOf(mine.find((x) => x.appVersion === r.canaryVersion)?.requests ?? 0, total), at: mine[0]!.at });
  }
  return out;
}

async function measuredFinished(db: Db, rollouts: readonly Rollout[]): Promise<Map<string, Measured>> {
  const done = rollouts.filter((r) => (r.state === 'succeeded' || r.state === 'rolled_back') && r.startedAt && r.finishedAt);
  if (done.length === 0) return new Map();
  // Timestamps go as UTC text: the columns are timestamp without time zone, holding UTC.
  const rows = await db.$queryRaw<Array<{ id: string; at: Date; canary: number | null; total: number | null }>>`
    WITH f AS (
      SELECT * FROM unnest(${done.map((r) => r.id)}::uuid[], ${done.map((r) => r.serviceId)}::uuid[], ${done.map((r) => r.canaryVersion)}::text[],
                           ${done.map((r) => r.startedAt!.toISOString())}::timestamp[], ${done.map((r) => r.finishedAt!.toISOString())}::timestamp[])
          AS f(id, "serviceId", canary, "from", "to")),
    pick AS (
      SELECT f.id,
             coalesce((SELECT max(v.at) FROM "VersionSample" v WHERE v."serviceId" = f."serviceId" AND v.at > f."to"
                         AND v.at <= f."to" + ${`${MEASURED_FRESH_MS / 1000} seconds`}::interval),
                      (SELECT max(v.at) FROM "VersionSample" v WHERE v."serviceId" = f."serviceId" AND v.at >= f."from" AND v.at <= f."to")) AS at
        FROM f)
    SELECT f.id::text AS id, p.at, sum(v.requests) FILTER (WHERE v."appVersion" = f.canary)::float8 AS canary, sum(v.requests)::float8 AS total
      FROM f JOIN pick p ON p.id = f.id
      JOIN "VersionSample" v ON v."serviceId" = f."serviceId" AND v.at = p.at
     GROUP BY f.id, p.at`;
  const out = new Map<string, Measured>();
  for (const row of rows) if (row.total && row.total > 0) out.set(row.id, { pct: shareOf(row.canary ?? 0, row.total), at: row.at });
  return out;
}

/**
 * The fleet table's one verdict for an attempt's analyses (its steps' and the background one): the
 * worst of them, fail > inconclusive > running > pass. A failure decided a rollback whatever ran
 * after it; an undecided or stopped analysis is not a pass; pass only when every analysis passed.
 * (Not "the latest updated run": the background run is looked at every tick and hid a step's fail.)
 */
const VERDICT_RANK = { fail: 3, inconclusive: 2, running: 1, pass: 0 } as const;
export function verdictOf(runs: ReadonlyArray<{ verdict: keyof typeof VERDICT_RANK }>): keyof typeof VERDICT_RANK | null {
  let worst: keyof typeof VERDICT_RANK | null = null;
  for (const { verdict } of runs) if (worst === null || VERDICT_RANK[verdict] > VERDICT_RANK[worst]) worst = verdict;
  return worst;
}

async function rowsOf(db: Db, reader: Reader, rollouts: Array<Rollout & { service: { id: string; name: string } }>) {
  const ids = rollouts.map((r) => r.id);
  const [measured, verdicts, open, approver] = await Promise.all([
    measuredNow(db, rollouts),
    db.analysisRun.findMany({ where: { rolloutId: { in: ids } }, select: { rolloutId: true, attempt: true, verdict: true } }),
    liveRequests(db, { rolloutIds: ids }),
    isApprover(db, reader.id),
  ]);
  const now = new Date();
  return rollouts.map((r) => {
    const spec = specOf(r);
    const req: OpenRequest | undefined = open.find((o) => o.rollout.id === r.id);
    return {
      id: r.id,
      name: r.name,
      service: r.service,
      stableVersion: r.stableVersion,
      canaryVersion: r.canaryVersion,
      state: r.state,
      pauseReason: r.pauseReason,
      abortReason: r.abortReason,
      stateDetail: r.stateDetail,
      currentStep: r.currentStep,
      stepCount: spec.steps.length,
      desiredCanaryPct: canaryPctOf(r.desiredRouting, r.canaryVersion),
      measuredCanaryPct: measured.get(r.id)?.pct ?? null,
      /** The tick the measured share is from (older than now: the page says when). */
      measuredAt: measured.get(r.id)?.at ?? null,
      finishedAt: r.finishedAt,
      verdict: verdictOf(verdicts.filter((v) => v.rolloutId === r.id && v.attempt === r.attempt)),
      approval: req
        ? {
            requestId: req.request.id,
            quorum: req.request.quorum,
            approvals: approvalCount(req.request.decisions),
            expiresAt: req.request.expiresAt,
            canDecide: canDecide({ id: reader.id, isApprover: approver }, req, now),
          }
        : null,
      createdByName: r.createdByName,
      startedByName: r.startedByName,
      startedAt: r.startedAt,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      version: r.version,
    };
  });
}

export type RolloutRow = Awaited<ReturnType<typeof rowsOf>>[number];

export async function listRollouts(db: Db, reader: Reader, input: z.output<typeof listRolloutsInput>): Promise<RolloutRow[]> {
  const where: Prisma.RolloutWhereInput = {};
  if (input.service) where.service = { name: input.service };
  if (input.state) where.state = input.state === IN_FLIGHT ? { in: [...IN_FLIGHT_STATES] } : input.state;
  if (input.q) where.OR = [{ name: { contains: input.q, mode: 'insensitive' } }, { canaryVersion: { contains: input.q, mode: 'insensitive' } }, { service: { name: { contains: input.q, mode: 'insensitive' } } }];
  const rollouts = await db.rollout.findMany({ where, orderBy: { createdAt: 'desc' }, take: LIST_LIMIT, include: { service: { select: { id: true, name: true } } } });
  return rowsOf(db, reader, rollouts);
}

export async function getRollout(db: Db, reader: Reader, input: z.output<typeof rolloutId>) {
  const r = await db.rollout.findUnique({ where: { id: input.id }, include: { service: { select: { id: true, name: true } } } });
  if (!r) throw notFound('That rollout');
  const spec = specOf(r);
  const [[row], runs, approvals, analyses, events] = await Promise.all([
    rowsOf(db, reader, [r]),
    db.rolloutStepRun.findMany({ where: { rolloutId: r.id, attempt: r.attempt }, orderBy: { stepIndex: 'asc' } }),
    db.approvalRequest.findMany({ where: { rolloutId: r.id }, orderBy: [{ attempt: 'desc' }, { stepIndex: 'asc' }], include: { decisions: { orderBy: { at: 'asc' } } } }),
    db.analysisRun.findMany({ where: { rolloutId: r.id, attempt: r.attempt }, orderBy: { stepIndex: 'asc' } }),
    db.rolloutEvent.findMany({ where: { rolloutId: r.id }, orderBy: { id: 'desc' }, take: 200 }),
  ]);
  const current = runs.find((s) => s.stepIndex === r.currentStep);
  const guards = r.state === 'paused' && r.pauseReason === 'guard' ? ((current?.heldBy ?? []) as unknown as GuardHold[]) : [];
  return {
    ...row!,
    spec,
    steps: spec.steps.map((step, index) => ({ index, step, run: runs.find((s) => s.stepIndex === index) ?? null })),
    /** The promotion (100 % canary) once it ran: the step after the last. */
    promotion: runs.find((s) => s.stepIndex === spec.steps.length) ?? null,
    approvals: approvals.map(({ decisions, ...request }) => ({ request, decisions })),
    analyses,
    guards,
    events: events.map((e) => ({ ...e, id: e.id.toString() })),
    canDecide: row!.approval?.canDecide ?? false,
    isAuthor: (await authorIds(db, r)).includes(reader.id),
  };
}

/** At most this many points in the weight graph, whatever the rollout's length. */
const HISTORY_POINTS = 400;

/** Desired (the routing the rollout wrote) vs measured (canary requests / all requests) canary share over time. */
export async function rolloutHistory(db: Db, input: z.output<typeof rolloutId>) {
  const r = await db.rollout.findUnique({ where: { id: input.id } });
  if (!r) throw notFound('That rollout');
  if (!r.startedAt) return { points: [] };
  const from = r.startedAt;
  // A finished rollout's graph runs a minute past its end: the measured line shows the traffic
  // move to where the final routing sent it (0 % after a rollback), as the page's header says.
  const to = r.finishedAt ? new Date(r.finishedAt.getTime() + MEASURED_FRESH_MS) : new Date();
  const binS = Math.max(1, Math.ceil((to.getTime() - from.getTime()) / 1000 / HISTORY_POINTS));
  const [routings, measured] = await Promise.all([
    db.rolloutEvent.findMany({ where: { rolloutId: r.id, kind: 'routing' }, orderBy: { id: 'asc' }, select: { at: true, data: true } }),
    db.$queryRaw<Array<{ at: Date; canary: number; total: number }>>`
      SELECT date_bin(${`${binS} seconds`}::interval, at, ${from}) AS at,
             sum(requests) FILTER (WHERE "appVersion" = ${r.canaryVersion})::float8 AS canary,
             sum(requests)::float8 AS total
        FROM "VersionSample"
       WHERE "serviceId" = ${r.serviceId}::uuid AND at >= ${from} AND at <= ${to}
       GROUP BY 1 ORDER BY 1`,
  ]);
  const desiredAt = (t: number) => {
    let pct = 0;
    for (const e of routings) if (e.at.getTime() <= t) pct = canaryPctOf((e.data as { routing?: unknown }).routing, r.canaryVersion);
    return pct;
  };
  const points = measured.map((m) => ({ at: m.at, desiredCanaryPct: desiredAt(m.at.getTime()), measuredCanaryPct: m.total > 0 ? Math.round(((m.canary ?? 0) / m.total) * 1000) / 10 : null }));
  // The routing changes are points too, so the desired line steps where it changed even without samples.
  for (const e of routings) points.push({ at: e.at, desiredCanaryPct: desiredAt(e.at.getTime()), measuredCanaryPct: null });
  points.sort((a, b) => a.at.getTime() - b.at.getTime());
  return { points };
}

// One event timeline: state transitions, weight recomputes with their trigger, policy changes,
// rollout steps / approvals / verdicts, chaos runs, halts, freeze windows and other audited changes
// on one time axis, filtered by kind and topology.
import { z } from 'zod';
import type { Db } from '../../db/client';
import { Prisma } from '../../db/generated/client';
import { topologyScopeFields, topologyWhere } from '../topology/topology-scope';
import { epochMs, list, uuid } from '../../domain/inputs';
import { listChaosTimeline } from './chaos-timeline';
import { safetyTimelineEvents } from './safety-timeline';
import { capPerKind } from './cap-per-kind';

export const TIMELINE_KINDS = ['stage', 'degradation', 'breaker', 'weight', 'policy', 'change', 'rollout', 'experiment', 'safety'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

/**
 * What a weight recompute was triggered by, as stored in StateTransition.trigger (the domain's
 * RecomputeTrigger): `threshold-crossed` is a threshold trigger crossing up or falling back.
 */
export const WEIGHT_TRIGGERS = ['threshold-crossed', 'threshold-held', 'periodic', 'initial', 'admin', 'down', 'up', 'policy'] as const;
export type WeightTriggerFilter = (typeof WEIGHT_TRIGGERS)[number];

/** The SQL condition on `t."trigger"` for one filter value (never on the sentence in `cause`). */
function triggerCondition(f: WeightTriggerFilter): Prisma.Sql {
  switch (f) {
    case 'threshold-crossed':
      return Prisma.sql`(t."trigger"->>'kind' = 'threshold' AND t."trigger"->>'direction' IN ('up', 'down'))`;
    case 'threshold-held':
      return Prisma.sql`(t."trigger"->>'kind' = 'threshold' AND t."trigger"->>'direction' = 'held')`;
    default:
      return Prisma.sql`t."trigger"->>'kind' = ${f}`;
  }
}

export const timelineInput = z.object({
  from: epochMs(),
  to: epochMs(),
  kinds: list(z.enum(TIMELINE_KINDS), TIMELINE_KINDS.length * 4).default([...TIMELINE_KINDS]),
  instanceId: uuid().optional(),
  /** Only weight recomputes with one of these triggers (the other machines are unaffected). */
  weightTriggers: list(z.enum(WEIGHT_TRIGGERS), WEIGHT_TRIGGERS.length).min(1).optional(),
  ...topologyScopeFields,
  limit: z.number().int().min(1).max(5000).default(500),
}).refine((v) => v.to > v.from, { message: 'The range must end after it starts', path: ['to'] });

export interface TimelineEvent {
  id: string;
  at: number;
  kind: TimelineKind;
  title: string;
  detail: string;
  instance: string | null;
  actor: string | null;
  /** Weight recomputes: what triggered it, as data ({ kind: 'threshold', input, direction, … }). */
  trigger: Record<string, unknown> | null;
  /** The console page the event belongs to (an experiment run), when it has one. */
  href?: string | null;
}

const MACHINES = ['stage', 'degradation', 'breaker', 'weight'] as const;

interface TransitionRow { id: bigint; at: Date; machine: string; stage: string; fromState: string; toState: string; cause: string; trigger: Record<string, unknown> | null; name: string }

/**
 * Each machine's newest `limit` transitions in the range, and how many match in all. Per machine a
 * LIMIT over the (machine, at) index, newest first: ranking every matching row per machine
 * (row_number() OVER (PARTITION BY machine …)) read and sorted all of them, ~130,000 in the default
 * 5 minutes at 10,000 instances (bench/scale/heavy.ts). The counts (per machine) are a statement of their own.
 */
async function machineTransitions(db: Db, machines: readonly string[], from: Date, to: Date, where: Prisma.Sql, limit: number): Promise<{ rows: TransitionRow[]; total: number; kindTotals: Map<string, number> }> {
  const [rows, counted] = await Promise.all([
    db.$queryRaw<TransitionRow[]>`
      SELECT x.* FROM unnest(${machines}::text[]) AS m(machine)
      CROSS JOIN LATERAL (
        SELECT t.id, t.at, t.machine::text AS machine, t.stage, t."fromState", t."toState", t.cause, t."trigger", i.name
        FROM "StateTransition" t JOIN "Instance" i ON i.id = t."instanceId" JOIN "Cluster" c ON c.id = i."clusterId"
        WHERE t.machine = m.machine::"MachineKind" AND t.at >= ${from} AND t.at <= ${to} ${where}
        ORDER BY t.at DESC, t.id DESC
        LIMIT ${limit}) x
      ORDER BY x.at DESC, x.id DESC`,
    db.$queryRaw<Array<{ machine: string; total: bigint }>>`
      SELECT t.machine::text AS machine, count(*) AS total
      FROM "StateTransition" t JOIN "Instance" i ON i.id = t."instanceId" JOIN "Cluster" c ON c.id = i."clusterId"
      WHERE t.at >= ${from} AND t.at <= ${to} AND t.machine::text = ANY(${machines}::text[]) ${where}
      GROUP BY t.machine`,
  ]);
  const kindTotals = new Map(counted.map((c) => [c.machine, Number(c.total)]));
  return { rows, total: [...kindTotals.values()].reduce((x, y) => x + y, 0), kindTotals };
}

// A rollback is a new policy version too (audited as such): both belong on the timeline.
const POLICY_VERSION_ACTIONS = ['policy.publish', 'policy.rollback'] as const;
const isPolicyVersion = (action: string) => (POLICY_VERSION_ACTIONS as readonly string[]).includes(action);

export interface TimelinePage {
  events: TimelineEvent[];
  total: number;
  truncated: boolean;
  /**
   * Every match per kind (kinds with none left out): with the events kept per kind it says which
   * lanes were cut, so a lane that covers only the newest seconds of the range can say so.
   */
  totals: Partial<Record<TimelineKind, number>>;
}

/** Newest first, at most `limit` shared among kinds; `total` counts every match so the UI can say what was left out. */
export async function listTimelineEvents(db: Db, input: z.input<typeof timelineInput>): Promise<TimelinePage> {
  const q = timelineInput.parse(input);
  const from = new Date(q.from);
  const to = new Date(q.to);
  const machines = MACHINES.filter((m) => q.kinds.includes(m));
  const triggers = q.weightTriggers
    ? Prisma.sql`AND (t.machine <> 'weight' OR ${Prisma.join(q.weightTriggers.map(triggerCondition), ' OR ')})`
    : Prisma.empty;
  const where = Prisma.sql`AND ${Prisma.join(topologyWhere(q, q.instanceId ?? null), ' AND ')} ${triggers}`;
  const transitions = machines.length ? await machineTransitions(db, machines, from, to, where, q.limit) : { rows: [], total: 0, kindTotals: new Map<string, number>() };
  // Rollout events belong to a service: shown unless one instance is asked for, and within a
  // zone / cluster / region filter when the service runs there.
  const rollouts =
    q.kinds.includes('rollout') && !q.instanceId
      ? await db.$queryRaw<Array<{ id: bigint; at: Date; kind: string; summary: string; actorName: string; rollout: string; service: string; total: bigint }>>`
          SELECT e.id, e.at, e.kind, e.summary, e."actorName", r.name AS rollout, s.name AS service, count(*) OVER () AS total
          FROM "RolloutEvent" e JOIN "Rollout" r ON r.id = e."rolloutId" JOIN "Service" s ON s.id = e."serviceId"
          WHERE e.at >= ${from} AND e.at <= ${to}
            AND EXISTS (SELECT 1 FROM "Instance" i JOIN "Cluster" c ON c.id = i."clusterId" WHERE i."serviceId" = e."serviceId" AND ${Prisma.join(topologyWhere(q, null), ' AND ')})
          ORDER BY e.at DESC, e.id DESC LIMIT ${q.limit}`
      : [];
  // Halts and freeze windows are fleet-wide: kept under a topology filter, not on one instance's timeline.
  const safety = q.kinds.includes('safety') && !q.instanceId ? await safetyTimelineEvents(db, from, to, q.limit) : [];
  const wantPolicy = q.kinds.includes('policy');
  const wantChange = q.kinds.includes('change') && !q.instanceId;
  const audits =
    wantPolicy || wantChange
      ? await db.auditEvent.findMany({
          where: {
            at: { gte: from, lte: to },
            OR: [...(wantPolicy ? [{ action: { in: [...POLICY_VERSION_ACTIONS] } }] : []), ...(wantChange ? [{ targetType: { in: ['service', 'adapter', 'instance'] } }] : [])],
          },
          orderBy: { at: 'desc' },
          take: q.limit,
        })
      : [];
  // A service filter keeps the policies of that service and the global ones (they govern it too).
  const relevant = audits.filter((a) => {
    if (!q.serviceId) return true;
    const after = (a.after ?? {}) as { serviceId?: string | null };
    return isPolicyVersion(a.action) ? after.serviceId === q.serviceId || after.serviceId === null || after.serviceId === undefined : a.targetId === q.serviceId;
  });
  const events: TimelineEvent[] = [
    ...transitions.rows.map((t) => ({
      id: `t${t.id}`,
      at: t.at.getTime(),
      kind: t.machine as TimelineKind,
      title: t.machine === 'weight' ? `Weight ${t.fromState} → ${t.toState}` : `${t.machine === 'stage' ? `Stage ${t.stage}` : t.machine === 'breaker' ? 'Breaker' : 'Degradation'} ${t.fromState} → ${t.toState}`,
      detail: t.cause,
      instance: t.name,
      actor: null,
      trigger: t.trigger,
    })),
    ...relevant.map((a) => {
      const after = (a.after ?? {}) as { version?: number; message?: string };
      const kind: TimelineKind = isPolicyVersion(a.action) ? 'policy' : 'change';
      return {
        id: `a${a.id}`,
        at: a.at.getTime(),
        kind,
        title: isPolicyVersion(a.action) ? `Policy ${a.targetName} v${after.version ?? '?'}${a.action === 'policy.rollback' ? ' (rollback)' : ''}` : `${a.action} ${a.targetName}`,
        detail: isPolicyVersion(a.action) ? `by ${a.actorName}: ${after.message ?? ''}` : `by ${a.actorName}`,
        instance: null,
        actor: a.actorName,
        trigger: null,
      };
    }),
    ...rollouts.map((e) => ({
      id: `r${e.id}`,
      at: e.at.getTime(),
      kind: 'rollout' as const,
      title: `Rollout "${e.rollout}" of ${e.service}`,
      detail: e.summary,
      instance: null,
      actor: e.actorName,
      trigger: null,
    })),
    ...safety,
  ];
  const chaos = await listChaosTimeline(db, { ...q, kinds: q.kinds, instanceId: q.instanceId });
  events.push(...chaos.events);
  events.sort((x, y) => y.at - x.at);
  const total = transitions.total + relevant.length + Number(rollouts[0]?.total ?? 0) + safety.length + chaos.total;
  const totals: Partial<Record<TimelineKind, number>> = {};
  const add = (kind: TimelineKind, n: number) => {
    if (n > 0) totals[kind] = (totals[kind] ?? 0) + n;
  };
  for (const m of machines) add(m, transitions.kindTotals.get(m) ?? 0);
  for (const a of relevant) add(isPolicyVersion(a.action) ? 'policy' : 'change', 1);
  add('rollout', Number(rollouts[0]?.total ?? 0));
  add('safety', safety.length);
  add('experiment', chaos.total);
  // Each machine's newest up to the limit (above), then the limit shared among kinds (cap-per-kind.ts).
  return { events: capPerKind(events, q.limit), total, truncated: total > q.limit, totals };
}

// Chaos and the safety layer on the one timeline: each run's events (state changes, injections,
// removals, abort conditions, overrides, halts, the report) with a link to the run, every halt
// (engaged, all faults removed, released), and the freeze windows as spans.
import type { Db } from '../../db/client';
import { Prisma } from '../../db/generated/client';
import { topologyWhere, type TopologyScope } from '../topology/topology-scope';
import { freezeOccurrences } from '../../domain/safety/freeze';
import type { TimelineEvent } from './timeline';

export const CHAOS_KINDS = ['experiment', 'halt', 'freeze'] as const;

interface Query extends TopologyScope {
  from: number;
  to: number;
  kinds: readonly string[];
  instanceId?: string;
  limit: number;
}

/** Each run event kind in a few words (ExperimentRunEvent.kind). */
const RUN_EVENT_WORDS: Record<string, string> = {
  injected: 'fault injected',
  removed: 'fault removed',
  abort_condition: 'abort condition fired',
  steady_state: 'steady-state check',
  guard: 'topology guard',
  override: 'override',
  halt: 'halted',
  freeze: 'freeze window',
  report: 'report ready',
};

const ms = (a: Date, b: Date) => {
  const d = Math.max(0, b.getTime() - a.getTime());
  return d < 10_000 ? `${d} ms` : `${Math.round(d / 1000)} s`;
};

/**
 * Run events belong to the instances the run targets: with a topology or instance filter, a run
 * is shown when one of its targets is in scope. Halts and freeze windows apply to the whole
 * fleet: shown under any topology filter, not for one instance.
 */
export async function listChaosTimeline(db: Db, q: Query): Promise<{ events: TimelineEvent[]; total: number }> {
  const from = new Date(q.from);
  const to = new Date(q.to);
  const events: TimelineEvent[] = [];
  let total = 0;
  if (q.kinds.includes('experiment')) {
    const scoped = q.instanceId || q.serviceId || q.zoneId || q.clusterId || q.regionId;
    const scope = scoped
      ? Prisma.sql`AND EXISTS (SELECT 1 FROM "ExperimentRunTarget" rt JOIN "Instance" i ON i.id = rt."instanceId" JOIN "Cluster" c ON c.id = i."clusterId" WHERE rt."runId" = e."runId" AND ${Prisma.join(topologyWhere(q, q.instanceId ?? null), ' AND ')})`
      : Prisma.empty;
    const rows = await db.$queryRaw<Array<{ id: bigint; at: Date; runId: string; kind: string; fromState: string | null; toState: string | null; summary: string; actorName: string; experiment: string; number: number; total: bigint }>>`
      SELECT e.id, e.at, e."runId", e.kind, e."fromState"::text AS "fromState", e."toState"::text AS "toState", e.summary, e."actorName", x.name AS experiment, r.number, count(*) OVER () AS total
      FROM "ExperimentRunEvent" e JOIN "ExperimentRun" r ON r.id = e."runId" JOIN "Experiment" x ON x.id = r."experimentId"
      WHERE e.at >= ${from} AND e.at <= ${to} ${scope}
      ORDER BY e.at DESC, e.id DESC LIMIT ${q.limit}`;
    total += Number(rows[0]?.total ?? 0);
    for (const e of rows) {
      const what = e.kind === 'state' && e.fromState && e.toState ? `${e.fromState} → ${e.toState}` : (RUN_EVENT_WORDS[e.kind] ?? e.kind);
      events.push({ id: `x${e.id}`, at: e.at.getTime(), kind: 'experiment', title: `Run "${e.experiment} #${e.number}": ${what}`, detail: e.summary, instance: null, actor: e.actorName || null, trigger: null, href: `/experiments/runs/${e.runId}`, endAt: null });
    }
  }
  if (q.kinds.includes('halt') && !q.instanceId) {
    const halts = await db.halt.findMany({
      where: { OR: [{ engagedAt: { gte: from, lte: to } }, { releasedAt: { gte: from, lte: to } }, { faultsClearedAt: { gte: from, lte: to } }] },
      orderBy: { engagedAt: 'desc' },
      take: q.limit,
    });
    for (const h of halts) {
      const within = (t: Date | null): t is Date => t !== null && t >= from && t <= to;
      if (within(h.engagedAt)) events.push({ id: `h${h.id}e`, at: h.engagedAt.getTime(), kind: 'halt', title: 'Halt-all engaged', detail: `by ${h.engagedByName}: ${h.reason}`, instance: null, actor: h.engagedByName, trigger: null, href: '/safety', endAt: null });
      if (within(h.faultsClearedAt)) events.push({ id: `h${h.id}c`, at: h.faultsClearedAt.getTime(), kind: 'halt', title: 'Halt-all: every fault removed', detail: `${ms(h.engagedAt, h.faultsClearedAt)} after engaging`, instance: null, actor: null, trigger: null, href: '/safety', endAt: null });
      if (within(h.releasedAt)) events.push({ id: `h${h.id}r`, at: h.releasedAt.getTime(), kind: 'halt', title: 'Halt-all released', detail: `by ${h.releasedByName ?? '?'}: ${h.releaseReason ?? ''}`, instance: null, actor: h.releasedByName, trigger: null, href: '/safety', endAt: null });
    }
    total += events.filter((e) => e.kind === 'halt').length;
  }
  if (q.kinds.includes('freeze') && !q.instanceId) {
    const rows = await db.freezeWindow.findMany({ where: { deletedAt: null }, take: 500 });
    const windows = rows.map((w) => ({ ...w, startsAt: w.startsAt?.getTime() ?? null, endsAt: w.endsAt?.getTime() ?? null }));
    // The domain merges overlapping occurrences of one window into one stretch and bounds the count.
    const spans = freezeOccurrences(windows, q.from, q.to);
    total += spans.length;
    // Newest first like the rest; a span starting before the range is still one event (at its start).
    for (const o of spans.reverse().slice(0, q.limit)) {
      const applies = [o.window.appliesToRollouts ? 'rollout traffic increases' : '', o.window.appliesToExperiments ? 'experiments' : ''].filter(Boolean).join(' and ');
      events.push({ id: `f${o.window.id}@${o.from}`, at: o.from, kind: 'freeze', title: `Freeze window "${o.window.name}"`, detail: `${o.window.reason} — refuses ${applies} until ${new Date(o.to).toISOString().slice(0, 16).replace('T', ' ')} UTC`, instance: null, actor: null, trigger: null, href: '/safety', endAt: o.to });
    }
  }
  return { events, total };
}

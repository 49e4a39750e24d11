// Chaos runs on the one timeline (kind `experiment`): each run's events (state changes, injections,
// removals, abort conditions, overrides, halts, the report) with a link to the run (the report's
// event and the run's end link straight to the report section). Halts and
// freeze windows are the safety layer's (safety-timeline.ts, kind `safety`).
import type { Db } from '../../db/client';
import { Prisma } from '../../db/generated/client';
import { topologyWhere, type TopologyScope } from '../topology/topology-scope';
import type { TimelineEvent } from './timeline';

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

/** A run's end once its report exists: that event opens the run at its report (the run page's #report). */
const ENDED = new Set(['completed', 'aborted', 'failed']);
const runHref = (runId: string, kind: string, toState: string | null, hasReport: boolean) =>
  `/experiments/runs/${runId}${hasReport && (kind === 'report' || (kind === 'state' && toState !== null && ENDED.has(toState))) ? '#report' : ''}`;

/**
 * Run events belong to the instances the run targets: with a topology or instance filter, a run
 * is shown when one of its targets is in scope.
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
    const rows = await db.$queryRaw<Array<{ id: bigint; at: Date; runId: string; kind: string; fromState: string | null; toState: string | null; summary: string; actorName: string; experiment: string; number: number; hasReport: boolean; total: bigint }>>`
      SELECT e.id, e.at, e."runId", e.kind, e."fromState"::text AS "fromState", e."toState"::text AS "toState", e.summary, e."actorName", x.name AS experiment, r.number, r.report IS NOT NULL AS "hasReport", count(*) OVER () AS total
      FROM "ExperimentRunEvent" e JOIN "ExperimentRun" r ON r.id = e."runId" JOIN "Experiment" x ON x.id = r."experimentId"
      WHERE e.at >= ${from} AND e.at <= ${to} ${scope}
      ORDER BY e.at DESC, e.id DESC LIMIT ${q.limit}`;
    total += Number(rows[0]?.total ?? 0);
    for (const e of rows) {
      const what = e.kind === 'state' && e.fromState && e.toState ? `${e.fromState} → ${e.toState}` : (RUN_EVENT_WORDS[e.kind] ?? e.kind);
      events.push({ id: `x${e.id}`, at: e.at.getTime(), kind: 'experiment', title: `Run "${e.experiment} #${e.number}": ${what}`, detail: e.summary, instance: null, actor: e.actorName || null, trigger: null, href: runHref(e.runId, e.kind, e.toState, e.hasReport) });
    }
  }
  return { events, total };
}

// The chaos run machine on the Machines page: how often each edge fired (the run log:
// ExperimentRunEvent rows of kind `state`, fromState → toState), how many runs are in each state
// now, and — for `?run=<id>` — that run's state lit and only its transitions counted. Runs target
// instances chosen at start; of the topology filters none applies (a run may span zones).
import type { Db } from '../../db/client';
import { Prisma } from '../../db/generated/client';
import { experimentDiagram } from '../../domain/machine-diagrams';
import { notFound } from '../../errors';

export interface RunScope {
  from: number;
  to: number;
  run?: string;
}

/** The run the URL names with its experiment's name ("jitter #3"), or null for every run. */
async function resolveRun(db: Db, q: RunScope) {
  if (!q.run) return null;
  const r = await db.experimentRun.findUnique({ where: { id: q.run }, select: { id: true, number: true, state: true, experiment: { select: { name: true } } } });
  if (!r) throw notFound(`Experiment run ${q.run}`);
  return { id: r.id, name: `${r.experiment.name} #${r.number}`, state: r.state };
}

function eventWhere(q: RunScope, runId: string | null): Prisma.Sql {
  const parts = [Prisma.sql`e.kind = 'state'`, Prisma.sql`e."fromState" IS NOT NULL`, Prisma.sql`e."toState" IS NOT NULL`, Prisma.sql`e.at >= ${new Date(q.from)}`, Prisma.sql`e.at <= ${new Date(q.to)}`];
  if (runId) parts.push(Prisma.sql`e."runId" = ${runId}::uuid`);
  return Prisma.join(parts, ' AND ');
}

export async function getExperimentMachineView(db: Db, q: RunScope) {
  const run = await resolveRun(db, q);
  const diagram = experimentDiagram();
  const counts = await db.$queryRaw<Array<{ f: string; t: string; n: bigint }>>`
    SELECT e."fromState"::text AS f, e."toState"::text AS t, count(*) AS n
    FROM "ExperimentRunEvent" e WHERE ${eventWhere(q, run?.id ?? null)}
    GROUP BY 1, 2`;
  const fired = Object.fromEntries(counts.map((c) => [`${c.f}>${c.t}`, Number(c.n)]));
  const now: Record<string, number> = Object.fromEntries(diagram.states.map((s) => [s.id, 0]));
  if (run) now[run.state] = 1;
  else {
    const byState = await db.experimentRun.groupBy({ by: ['state'], _count: { _all: true } });
    for (const s of byState) now[s.state] = s._count._all;
  }
  return {
    diagram,
    fired,
    now,
    instance: null,
    rollout: null,
    run,
    current: run?.state ?? null,
    counted: Object.values(now).reduce((a, b) => a + b, 0),
  };
}

/** The state changes behind one edge, newest first: when, which run, and the summary in words. */
export async function listExperimentEdgeTransitions(db: Db, q: RunScope & { fromState: string; toState: string; limit: number }) {
  const run = await resolveRun(db, q);
  const rows = await db.$queryRaw<Array<{ id: bigint; at: Date; runId: string; name: string | null; number: number | null; summary: string; actorName: string }>>`
    SELECT e.id, e.at, e."runId", x.name, r.number, e.summary, e."actorName"
    FROM "ExperimentRunEvent" e LEFT JOIN "ExperimentRun" r ON r.id = e."runId" LEFT JOIN "Experiment" x ON x.id = r."experimentId"
    WHERE ${eventWhere(q, run?.id ?? null)} AND e."fromState"::text = ${q.fromState} AND e."toState"::text = ${q.toState}
    ORDER BY e.at DESC, e.id DESC LIMIT ${q.limit}`;
  return rows.map((r) => ({
    id: r.id.toString(),
    at: r.at.getTime(),
    /** The run's name in the column the instance machines fill with the instance. */
    instance: r.name ? `${r.name} #${r.number ?? '?'}` : '(deleted run)',
    stage: '',
    cause: r.actorName ? `${r.summary} (${r.actorName})` : r.summary,
    values: {},
    rolloutId: null as string | null,
    runId: r.runId,
  }));
}

/** The runs in `state` now, since when (their newest state change into it) and why (their state detail). */
export async function listRunsInStateNow(db: Db, q: { state: string; limit: number; run?: string }) {
  const where = [Prisma.sql`r.state::text = ${q.state}`];
  if (q.run) where.push(Prisma.sql`r.id = ${q.run}::uuid`);
  const rows = await db.$queryRaw<Array<{ id: string; name: string; number: number; detail: string; since: Date | null }>>`
    SELECT r.id, x.name, r.number, r."stateDetail" AS detail,
      (SELECT max(e.at) FROM "ExperimentRunEvent" e WHERE e."runId" = r.id AND e.kind = 'state' AND e."toState" = r.state) AS since
    FROM "ExperimentRun" r JOIN "Experiment" x ON x.id = r."experimentId"
    WHERE ${Prisma.join(where, ' AND ')}
    ORDER BY since ASC NULLS FIRST, x.name, r.number LIMIT ${q.limit}`;
  return rows.map((x) => ({
    instance: `${x.name} #${x.number}`,
    zone: '',
    cluster: '',
    service: '',
    stage: '',
    since: x.since?.getTime() ?? null,
    cause: x.detail || null,
    values: null as Record<string, unknown> | null,
    rolloutId: null as string | null,
    runId: x.id,
  }));
}

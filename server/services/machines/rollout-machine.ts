// The rollout machine on the Machines page: how often each edge fired (the rollout transition
// log: RolloutEvent rows of kind `state`, fromState → toState), how many rollouts are in each state
// now, and — for `?rollout=<id>` — that rollout's state lit and only its transitions counted.
// Rollouts belong to a service, not to a zone: of the topology filters only the service applies.
import type { Db } from '../../db/client';
import { Prisma } from '../../db/generated/client';
import { rolloutDiagram } from '../../domain/machine-diagrams';
import { notFound } from '../../errors';

export interface RolloutScope {
  from: number;
  to: number;
  rollout?: string;
  serviceId?: string;
}

/** The rollout the URL names, or null for every rollout (of the service filter, if any). */
async function resolveRollout(db: Db, q: RolloutScope) {
  if (!q.rollout) return null;
  const r = await db.rollout.findUnique({ where: { id: q.rollout }, select: { id: true, name: true, state: true, serviceId: true } });
  if (!r) throw notFound(`Rollout ${q.rollout}`);
  return r;
}

function eventWhere(q: RolloutScope, rolloutId: string | null): Prisma.Sql {
  const parts = [Prisma.sql`e.kind = 'state'`, Prisma.sql`e."fromState" IS NOT NULL`, Prisma.sql`e."toState" IS NOT NULL`, Prisma.sql`e.at >= ${new Date(q.from)}`, Prisma.sql`e.at <= ${new Date(q.to)}`];
  if (rolloutId) parts.push(Prisma.sql`e."rolloutId" = ${rolloutId}::uuid`);
  else if (q.serviceId) parts.push(Prisma.sql`e."serviceId" = ${q.serviceId}::uuid`);
  return Prisma.join(parts, ' AND ');
}

export async function getRolloutMachineView(db: Db, q: RolloutScope) {
  const rollout = await resolveRollout(db, q);
  const diagram = rolloutDiagram();
  const counts = await db.$queryRaw<Array<{ f: string; t: string; n: bigint }>>`
    SELECT e."fromState"::text AS f, e."toState"::text AS t, count(*) AS n
    FROM "RolloutEvent" e WHERE ${eventWhere(q, rollout?.id ?? null)}
    GROUP BY 1, 2`;
  const fired = Object.fromEntries(counts.map((c) => [`${c.f}>${c.t}`, Number(c.n)]));
  const now: Record<string, number> = Object.fromEntries(diagram.states.map((s) => [s.id, 0]));
  if (rollout) now[rollout.state] = 1;
  else {
    const byState = await db.rollout.groupBy({ by: ['state'], where: q.serviceId ? { serviceId: q.serviceId } : {}, _count: { _all: true } });
    for (const s of byState) now[s.state] = s._count._all;
  }
  return {
    diagram,
    fired,
    now,
    instance: null,
    rollout: rollout ? { id: rollout.id, name: rollout.name, state: rollout.state } : null,
    current: rollout?.state ?? null,
    counted: Object.values(now).reduce((a, b) => a + b, 0),
  };
}

/** The state changes behind one edge, newest first: when, which rollout, and the summary in words. */
export async function listRolloutEdgeTransitions(db: Db, q: RolloutScope & { fromState: string; toState: string; limit: number }) {
  const rollout = await resolveRollout(db, q);
  const rows = await db.$queryRaw<Array<{ id: bigint; at: Date; rolloutId: string; name: string | null; summary: string; actorName: string }>>`
    SELECT e.id, e.at, e."rolloutId", r.name, e.summary, e."actorName"
    FROM "RolloutEvent" e LEFT JOIN "Rollout" r ON r.id = e."rolloutId"
    WHERE ${eventWhere(q, rollout?.id ?? null)} AND e."fromState"::text = ${q.fromState} AND e."toState"::text = ${q.toState}
    ORDER BY e.at DESC, e.id DESC LIMIT ${q.limit}`;
  return rows.map((r) => ({
    id: r.id.toString(),
    at: r.at.getTime(),
    /** The rollout's name in the column the instance machines fill with the instance. */
    instance: r.name ?? '(deleted rollout)',
    stage: '',
    cause: r.actorName ? `${r.summary} (${r.actorName})` : r.summary,
    values: {},
    rolloutId: r.rolloutId,
  }));
}

/** The rollouts in `state` now, since when (their newest state change into it) and why (their state detail). */
export async function listRolloutsInStateNow(db: Db, q: { state: string; limit: number; serviceId?: string; rollout?: string }) {
  const where = [Prisma.sql`r.state::text = ${q.state}`];
  if (q.rollout) where.push(Prisma.sql`r.id = ${q.rollout}::uuid`);
  if (q.serviceId) where.push(Prisma.sql`r."serviceId" = ${q.serviceId}::uuid`);
  const rows = await db.$queryRaw<Array<{ id: string; name: string; service: string; detail: string; since: Date | null }>>`
    SELECT r.id, r.name, s.name AS service, r."stateDetail" AS detail,
      (SELECT max(e.at) FROM "RolloutEvent" e WHERE e."rolloutId" = r.id AND e.kind = 'state' AND e."toState" = r.state) AS since
    FROM "Rollout" r JOIN "Service" s ON s.id = r."serviceId"
    WHERE ${Prisma.join(where, ' AND ')}
    ORDER BY since ASC NULLS FIRST, r.name LIMIT ${q.limit}`;
  return rows.map((x) => ({
    instance: x.name,
    zone: '',
    cluster: '',
    service: x.service,
    stage: '',
    since: x.since?.getTime() ?? null,
    cause: x.detail || null,
    values: null as Record<string, unknown> | null,
    rolloutId: x.id,
  }));
}

// The fleet side of the machines: how many instances (or stages) were in each state over a range —
// the stacked area — and who is in a state now, since when and why ("which stages in zone b are
// blocked, since when, and why").
import { z } from 'zod';
import type { Db } from '../db/client';
import { Prisma } from '../db/generated/client';
import { LEVEL_NAMES } from '../domain/degradation';
import { STAGES } from '../domain/model';
import { machineViewInput, resolve, topologyWhere } from './machines';

export const machineHistoryInput = machineViewInput.extend({ buckets: z.number().int().min(2).max(240).default(90) });
export const inStateInput = machineViewInput.extend({ state: z.string().min(1).max(40), limit: z.number().int().min(1).max(500).default(200) });

/** The SQL expression giving one row per (sample, state) for a machine; stage rows carry their stage. */
function stateRows(machine: string, stage: string | undefined): { from: Prisma.Sql; state: Prisma.Sql; stage: Prisma.Sql; where: Prisma.Sql } {
  if (machine === 'stage') {
    const only = stage ? Prisma.sql`u.idx = ${STAGES.indexOf(stage as (typeof STAGES)[number]) + 1}` : Prisma.sql`TRUE`;
    return { from: Prisma.sql`CROSS JOIN LATERAL unnest(s."stageState") WITH ORDINALITY AS u(state, idx)`, state: Prisma.sql`u.state`, stage: Prisma.sql`u.idx::int`, where: only };
  }
  if (machine === 'breaker') return { from: Prisma.empty, state: Prisma.sql`s.breaker`, stage: Prisma.sql`0`, where: Prisma.sql`TRUE` };
  return { from: Prisma.empty, state: Prisma.sql`s.degradation::text`, stage: Prisma.sql`0`, where: Prisma.sql`TRUE` };
}

const stateName = (machine: string, raw: string) => (machine === 'degradation' ? (LEVEL_NAMES[Number(raw)] ?? raw) : raw);

/**
 * Mean number of instances (stages, for the stage machine) in each state per time bucket: samples
 * in the state divided by the ticks in the bucket, so a bucket is not inflated by the sample rate.
 */
export async function machineHistory(db: Db, input: z.input<typeof machineHistoryInput>) {
  const q = machineHistoryInput.parse(input);
  const { instance } = await resolve(db, q);
  const bucketMs = Math.max(1000, Math.ceil((q.to - q.from) / q.buckets / 1000) * 1000);
  const r = stateRows(q.machine, q.stage);
  const where = Prisma.join([...topologyWhere(q, instance?.id ?? null), r.where], ' AND ');
  const rows = await db.$queryRaw<Array<{ b: Date; state: string; n: bigint; ticks: bigint }>>`
    WITH x AS (
      SELECT date_bin(${`${bucketMs} milliseconds`}::interval, s.at, ${new Date(q.from)}) AS b, s."tickId", ${r.state} AS state
      FROM "TelemetrySample" s JOIN "Instance" i ON i.id = s."instanceId" JOIN "Cluster" c ON c.id = i."clusterId" ${r.from}
      WHERE s.at >= ${new Date(q.from)} AND s.at < ${new Date(q.to)} AND ${where}
    ), t AS (SELECT b, count(DISTINCT "tickId") AS ticks FROM x GROUP BY b)
    SELECT x.b, x.state, count(*) AS n, max(t.ticks) AS ticks FROM x JOIN t USING (b) GROUP BY x.b, x.state ORDER BY x.b`;
  const byBucket = new Map<number, Record<string, number>>();
  const states = new Set<string>();
  for (const row of rows) {
    const t = row.b.getTime();
    const name = stateName(q.machine, row.state);
    states.add(name);
    const rec = byBucket.get(t) ?? {};
    rec[name] = Math.round((Number(row.n) / Math.max(1, Number(row.ticks))) * 100) / 100;
    byBucket.set(t, rec);
  }
  const points = [...byBucket.entries()].sort((a, b) => a[0] - b[0]).map(([t, rec]) => ({ t, ...rec }));
  return { bucketMs, states: [...states], points };
}

/** Who is in `state` now (newest sample per instance in scope), since when and why (the transition into it). */
export async function inStateNow(db: Db, input: z.input<typeof inStateInput>) {
  const q = inStateInput.parse(input);
  const { instance } = await resolve(db, q);
  const r = stateRows(q.machine, q.stage);
  const raw = q.machine === 'degradation' ? String(Math.max(0, LEVEL_NAMES.indexOf(q.state as (typeof LEVEL_NAMES)[number]))) : q.state;
  const where = Prisma.join([...topologyWhere(q, instance?.id ?? null), r.where, Prisma.sql`${r.state} = ${raw}`], ' AND ');
  // Stage transitions are per stage; the instance breaker's have no stage (the ingress breaker's say "access").
  const stageMatch = q.machine === 'stage' ? Prisma.sql`AND tr.stage = (${[...STAGES]}::text[])[now.stage]` : q.machine === 'breaker' ? Prisma.sql`AND tr.stage = ''` : Prisma.empty;
  const rows = await db.$queryRaw<Array<{ name: string; zone: string; cluster: string; service: string; stage: number; at: Date; since: Date | null; cause: string | null; values: Record<string, unknown> | null }>>`
    WITH now AS (
      SELECT i.name, i.id AS "instanceId", z.name AS zone, c.name AS cluster, sv.name AS service, ${r.stage} AS stage, s.at
      FROM "Instance" i JOIN "Cluster" c ON c.id = i."clusterId" JOIN "Zone" z ON z.id = c."zoneId" JOIN "Service" sv ON sv.id = i."serviceId"
      JOIN LATERAL (SELECT at, degradation, breaker, "stageState" FROM "TelemetrySample" WHERE "instanceId" = i.id ORDER BY at DESC LIMIT 1) s ON TRUE
      ${r.from}
      WHERE ${where}
    )
    SELECT now.name, now.zone, now.cluster, now.service, now.stage, now.at, tr.at AS since, tr.cause, tr.values
    FROM now LEFT JOIN LATERAL (
      SELECT at, cause, values FROM "StateTransition" tr
      WHERE tr."instanceId" = now."instanceId" AND tr.machine::text = ${q.machine} AND tr."toState" = ${q.state} AND tr.at <= now.at ${stageMatch}
      ORDER BY tr.at DESC LIMIT 1
    ) tr ON TRUE
    ORDER BY tr.at ASC NULLS FIRST, now.name LIMIT ${q.limit}`;
  return rows.map((x) => ({
    instance: x.name,
    zone: x.zone,
    cluster: x.cluster,
    service: x.service,
    stage: q.machine === 'stage' ? (STAGES[x.stage - 1] ?? '') : '',
    /** Null when the state was entered before the stored transitions begin. */
    since: x.since?.getTime() ?? null,
    cause: x.cause,
    values: x.values,
  }));
}

// The fleet side of the machines: how many instances (or stages) were in each state over a range —
// the stacked area — and who is in a state now, since when and why ("which stages in zone b are
// blocked, since when, and why").
import { z } from 'zod';
import { text } from '../../domain/inputs';
import type { Db } from '../../db/client';
import { Prisma } from '../../db/generated/client';
import { LEVEL_NAMES } from '../../domain/degradation';
import { STAGES } from '../../domain/model';
import { machineViewInput, resolve } from './machines';
import { listRolloutsInStateNow } from './rollout-machine';
import { listRunsInStateNow } from './experiment-machine';
import { topologyWhere } from '../topology/topology-scope';

export const machineHistoryInput = machineViewInput.extend({ buckets: z.number().int().min(2).max(240).default(90) });
export const inStateInput = machineViewInput.extend({ state: text(40, { min: 1 }), limit: z.number().int().min(1).max(500).default(200) });

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

/** Up to this range the stacked area reads raw samples; beyond, the rollups (60 s, then 600 s). */
const RAW_UP_TO_MS = 30 * 60_000;
const ROLLUP_60_UP_TO_MS = 12 * 3600_000;

/** Per state, the rollup expression counting its samples (for one stage, or summed over all). */
function rollupCounts(machine: string, stage: string | undefined): Array<{ state: string; expr: string }> {
  if (machine === 'degradation') return LEVEL_NAMES.map((l, k) => ({ state: l, expr: `r."degradationCounts"[${k + 1}]` }));
  if (machine === 'breaker') return ['closed', 'open', 'half-open'].map((b, k) => ({ state: b, expr: `r."breakerCounts"[${k + 1}]` }));
  const cols = { idle: 'stageIdleCounts', active: 'stageActiveCounts', blocked: 'stageBlockedCounts' };
  const ks = stage ? [STAGES.indexOf(stage as (typeof STAGES)[number]) + 1] : STAGES.map((_, k) => k + 1);
  return Object.entries(cols).map(([state, col]) => ({ state, expr: ks.map((k) => `coalesce(r."${col}"[${k}], 0)`).join(' + ') }));
}

/**
 * Mean number of instances (stages, for the stage machine) in each state per time bucket. Short
 * ranges read raw samples (samples in the state divided by the ticks in the bucket, so the sample
 * rate does not inflate a bucket); longer ones read the rollups' per-state sample counts (each
 * instance's share of its samples in the state, summed), which also reach past raw retention.
 */
export async function getMachineHistory(db: Db, input: z.input<typeof machineHistoryInput>) {
  const q = machineHistoryInput.parse(input);
  // Rollouts and runs have no per-tick samples to stack; the page does not draw this chart for them.
  if (q.machine === 'rollout' || q.machine === 'experiment') return { bucketMs: q.to - q.from, resolutionS: 0, states: [] as string[], points: [] as Array<{ t: number } & Record<string, number>> };
  const { instance } = await resolve(db, q);
  const span = q.to - q.from;
  const resolutionS = span <= RAW_UP_TO_MS ? 0 : span <= ROLLUP_60_UP_TO_MS ? 60 : 600;
  const grain = Math.max(1000, resolutionS * 1000);
  const bucketMs = Math.max(grain, Math.ceil(span / q.buckets / grain) * grain);
  const byBucket = new Map<number, Record<string, number>>();
  const states = new Set<string>();
  const add = (t: number, name: string, v: number) => {
    states.add(name);
    const rec = byBucket.get(t) ?? {};
    rec[name] = (rec[name] ?? 0) + v;
    byBucket.set(t, rec);
  };
  const topo = Prisma.join(topologyWhere(q, instance?.id ?? null), ' AND ');
  if (resolutionS === 0) {
    const r = stateRows(q.machine, q.stage);
    const rows = await db.$queryRaw<Array<{ b: Date; state: string; n: bigint; ticks: bigint }>>`
      WITH x AS (
        SELECT date_bin(${`${bucketMs} milliseconds`}::interval, s.at, ${new Date(q.from)}) AS b, s."tickId", ${r.state} AS state
        FROM "TelemetrySample" s JOIN "Instance" i ON i.id = s."instanceId" JOIN "Cluster" c ON c.id = i."clusterId" ${r.from}
        WHERE s.at >= ${new Date(q.from)} AND s.at < ${new Date(q.to)} AND ${topo} AND ${r.where}
      ), t AS (SELECT b, count(DISTINCT "tickId") AS ticks FROM x GROUP BY b)
      SELECT x.b, x.state, count(*) AS n, max(t.ticks) AS ticks FROM x JOIN t USING (b) GROUP BY x.b, x.state ORDER BY x.b`;
    for (const row of rows) add(row.b.getTime(), stateName(q.machine, row.state), Number(row.n) / Math.max(1, Number(row.ticks)));
  } else {
    const counts = rollupCounts(q.machine, q.stage);
    const sums = Prisma.raw(counts.map((c, k) => `sum(${c.expr})::float8 AS s${k}`).join(', '));
    const rows = await db.$queryRaw<Array<{ b: Date; n: bigint } & Record<`s${number}`, number>>>`
      SELECT date_bin(${`${bucketMs} milliseconds`}::interval, r."bucketStart", ${new Date(q.from)}) AS b, sum(r.samples) AS n, ${sums}
      FROM "TelemetryRollup" r JOIN "Instance" i ON i.id = r."instanceId" JOIN "Cluster" c ON c.id = i."clusterId"
      WHERE r."resolutionS" = ${resolutionS} AND r."bucketStart" >= ${new Date(q.from)} AND r."bucketStart" < ${new Date(q.to)} AND ${topo}
      GROUP BY 1, r."instanceId"`;
    for (const row of rows) {
      const n = Math.max(1, Number(row.n));
      counts.forEach((c, k) => add(row.b.getTime(), c.state, Number(row[`s${k}`] ?? 0) / n));
    }
  }
  const points = [...byBucket.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([t, rec]) => ({ t, ...Object.fromEntries(Object.entries(rec).map(([k, v]) => [k, Math.round(v * 100) / 100])) }));
  return { bucketMs, resolutionS, states: [...states], points };
}

/** Who is in `state` now (newest sample per instance in scope), since when and why (the transition into it). */
export async function listInStateNow(db: Db, input: z.input<typeof inStateInput>) {
  const q = inStateInput.parse(input);
  if (q.machine === 'rollout') return (await listRolloutsInStateNow(db, q)).map((r) => ({ ...r, runId: null as string | null }));
  if (q.machine === 'experiment') return listRunsInStateNow(db, q);
  const { instance } = await resolve(db, q);
  const r = stateRows(q.machine, q.stage);
  // An unknown level is -1, which no sample has: nobody is listed (never L0's instances under another name).
  const raw = q.machine === 'degradation' ? String(LEVEL_NAMES.indexOf(q.state as (typeof LEVEL_NAMES)[number])) : q.state;
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
    rolloutId: null as string | null,
    runId: null as string | null,
  }));
}

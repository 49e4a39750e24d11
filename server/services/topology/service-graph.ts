// The service graph's read model (issue 14): per-service aggregates of one tick (the latest by
// default) computed by PostgreSQL — one grouped statement over the tick's samples and one over its
// per-version samples, so the cost stays flat in JS at 10,000 instances — plus the declared calls,
// the running rollouts and the faults of running experiments. The graph itself is built by the pure
// domain (server/domain/topology/service-graph.ts).
import type { Db } from '../../db/client';
import { IN_FLIGHT_ROLLOUT_STATES, IN_FLIGHT_RUN_STATE_LIST, UNHEALTHY_SAMPLE } from './health-sql';
import {
  BACKPRESSURE_FILL,
  buildServiceGraph,
  type RunningFault,
  type RunningRollout,
  type ServiceAggregate,
  type ServiceCallEdge,
  type ServiceGraph,
  type VersionAggregate,
} from '../../domain/topology/service-graph';

export type { ServiceGraph, GraphNode, GraphEdge } from '../../domain/topology/service-graph';


interface AggRow extends Omit<ServiceAggregate, 'labels'> {
  labels: unknown;
}

const stringLabels = (raw: unknown): Record<string, string> =>
  raw && typeof raw === 'object' && !Array.isArray(raw) ? Object.fromEntries(Object.entries(raw as Record<string, unknown>).map(([k, v]) => [k, String(v)])) : {};

export async function getServiceGraph(db: Db, tickId?: string | bigint | null): Promise<ServiceGraph> {
  const wanted = tickId === undefined || tickId === null ? null : String(tickId);
  const ticks = await db.$queryRaw<Array<{ id: string; at: string }>>`
    SELECT id::text, to_char("startedAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at FROM "Tick"
    WHERE id = COALESCE(${wanted}::bigint, (SELECT max(id) FROM "Tick"))`;
  const tick = ticks[0] ?? null;

  const [services, versionRows, calls, rollouts, faults] = await Promise.all([
    db.$queryRaw<AggRow[]>`
      WITH t AS (SELECT id, "startedAt" FROM "Tick" WHERE id = ${tick?.id ?? null}::bigint)
      SELECT s.id::text AS id, s.name, s.labels,
        count(i.id)::int AS instances,
        count(ts."instanceId")::int AS sampled,
        count(*) FILTER (WHERE ts.up)::int AS up,
        COALESCE(sum(ts.rps) FILTER (WHERE ts.up), 0)::float8 AS rps,
        COALESCE(sum(ts.rps * COALESCE(ts."errorRate", 0)) FILTER (WHERE ts.up), 0)::float8 AS "errorRps",
        (sum(ts."p95Ms" * ts.rps) FILTER (WHERE ts.up AND ts.rps > 0)
          / NULLIF(sum(ts.rps) FILTER (WHERE ts.up AND ts.rps > 0 AND ts."p95Ms" IS NOT NULL), 0))::float8 AS "p95MsMean",
        max(ts.degradation)::int AS "maxDegradation",
        count(*) FILTER (WHERE ts.degradation > 0)::int AS degraded,
        count(*) FILTER (WHERE ts.degradation >= 2)::int AS "severelyDegraded",
        -- Each instance once, whatever is wrong with it: the share the service's verdict is judged on.
        count(i.id) FILTER (WHERE ts."instanceId" IS NULL OR ${UNHEALTHY_SAMPLE})::int AS unhealthy,
        count(*) FILTER (WHERE ts.breaker = 'open')::int AS "openBreakers",
        count(*) FILTER (WHERE ts.breaker = 'half-open')::int AS "halfOpenBreakers",
        count(*) FILTER (WHERE ${BACKPRESSURE_FILL}::float8 <= ANY(ts."stageFill"))::int AS backpressured
      FROM "Service" s
      LEFT JOIN "Instance" i ON i."serviceId" = s.id
      LEFT JOIN t ON true
      LEFT JOIN "TelemetrySample" ts ON ts."instanceId" = i.id AND ts.at = t."startedAt" AND ts."tickId" = t.id
      GROUP BY s.id
      ORDER BY s.name`,
    // One row per (service, version, zone) of the tick: small (services × versions × zones).
    tick
      ? db.$queryRaw<Array<{ serviceId: string; appVersion: string; requests: number; errors: number; buckets: number[] }>>`
          SELECT "serviceId"::text AS "serviceId", "appVersion", requests, errors, buckets
          FROM "VersionSample" WHERE at = ${tick.at}::timestamp`
      : Promise.resolve([]),
    db.$queryRaw<ServiceCallEdge[]>`SELECT "callerId"::text AS "callerId", "calleeId"::text AS "calleeId" FROM "ServiceCall"`,
    db.$queryRaw<Array<Omit<RunningRollout, 'desiredCanaryPercent'> & { desiredCanaryPercent: number | null }>>`
      SELECT "serviceId"::text AS "serviceId", name, state::text AS state, "stableVersion", "canaryVersion",
        ("desiredRouting"->'versionWeights'->>"canaryVersion")::float8 AS "desiredCanaryPercent"
      FROM "Rollout" WHERE state::text = ANY(${IN_FLIGHT_ROLLOUT_STATES}::text[])`,
    db.$queryRaw<RunningFault[]>`
      SELECT i."serviceId"::text AS "serviceId", i.id::text AS "instanceId", COALESCE(inj.spec->>'kind', 'fault') AS kind, e.name AS experiment
      FROM "Injection" inj
      JOIN "ExperimentRun" r ON r.id = inj."runId"
      JOIN "Experiment" e ON e.id = r."experimentId"
      JOIN "Instance" i ON i.id = inj."instanceId"
      WHERE inj.desired AND inj."removedAt" IS NULL AND r.state::text = ANY(${IN_FLIGHT_RUN_STATE_LIST}::text[])`,
  ]);

  const versions = new Map<string, VersionAggregate>();
  for (const r of versionRows) {
    const key = `${r.serviceId}\u0000${r.appVersion}`;
    const v = versions.get(key) ?? { serviceId: r.serviceId, appVersion: r.appVersion, requests: 0, errors: 0, buckets: [] as number[] };
    v.requests += r.requests;
    v.errors += r.errors;
    if (r.buckets.length) {
      const sum = v.buckets.length ? [...v.buckets] : new Array<number>(r.buckets.length).fill(0);
      r.buckets.forEach((b, i) => (sum[i] = (sum[i] ?? 0) + b));
      v.buckets = sum;
    }
    versions.set(key, v);
  }

  return buildServiceGraph({
    tickId: tick?.id ?? null,
    at: tick?.at ?? null,
    services: services.map((s) => ({ ...s, labels: stringLabels(s.labels) })),
    versions: [...versions.values()],
    calls,
    rollouts,
    faults,
  });
}

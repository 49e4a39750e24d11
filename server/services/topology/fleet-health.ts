// The Overview's health summary (issue 14): what an on-call SRE reads first. One aggregate
// statement over the newest tick's samples plus two counts of running rollouts and runs: a single
// row to the browser whatever the fleet's size (10,000 instances: one pass over that tick's rows,
// which the service graph reads every tick too).
import type { Db } from '../../db/client';
import { IN_FLIGHT_ROLLOUT_STATES, IN_FLIGHT_RUN_STATE_LIST, UNHEALTHY_SAMPLE } from './health-sql';

export interface FleetHealth {
  /** The newest tick's start (ISO), null before the first tick. */
  at: string | null;
  instances: number;
  /** Instances with a sample in that tick. */
  sampled: number;
  /** Sampled instances down, above L0 or behind an open breaker, each once. */
  unhealthy: number;
  down: number;
  degraded: number;
  openBreakers: number;
  halfOpenBreakers: number;
  /** Stages in the Blocked state, and the instances that have one. */
  blockedStages: number;
  blockedInstances: number;
  rolloutsRunning: number;
  experimentsRunning: number;
}

export async function getFleetHealth(db: Db): Promise<FleetHealth> {
  const rows = await db.$queryRaw<FleetHealth[]>`
    WITH t AS (SELECT id, "startedAt" FROM "Tick" ORDER BY id DESC LIMIT 1),
    s AS (
      SELECT
        count(*)::int AS sampled,
        count(*) FILTER (WHERE ${UNHEALTHY_SAMPLE})::int AS unhealthy,
        count(*) FILTER (WHERE NOT ts.up)::int AS down,
        count(*) FILTER (WHERE ts.degradation > 0)::int AS degraded,
        count(*) FILTER (WHERE ts.breaker = 'open')::int AS "openBreakers",
        count(*) FILTER (WHERE ts.breaker = 'half-open')::int AS "halfOpenBreakers",
        COALESCE(sum(cardinality(array_positions(ts."stageState", 'blocked'))), 0)::int AS "blockedStages",
        count(*) FILTER (WHERE 'blocked' = ANY(ts."stageState"))::int AS "blockedInstances"
      FROM t JOIN "TelemetrySample" ts ON ts."tickId" = t.id AND ts.at = t."startedAt"
    )
    SELECT
      (SELECT to_char("startedAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') FROM t) AS at,
      (SELECT count(*)::int FROM "Instance") AS instances,
      s.*,
      (SELECT count(*)::int FROM "Rollout" WHERE state::text = ANY(${IN_FLIGHT_ROLLOUT_STATES}::text[])) AS "rolloutsRunning",
      (SELECT count(*)::int FROM "ExperimentRun" WHERE state::text = ANY(${IN_FLIGHT_RUN_STATE_LIST}::text[])) AS "experimentsRunning"
    FROM s`;
  return rows[0]!;
}

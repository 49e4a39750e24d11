// The canary analysis's input read from the per-version samples the telemetry loop records
// (SPEC §6.1): per tick, the canary's counts against stable's, both summed over the zones where the
// canary had instances up at that tick — so a zone without canary never weighs on the comparison.
// Summed in PostgreSQL (two rows per tick come back, however many zones), because an analysis
// looks every tick at everything since it started.
import type { Db, Tx } from '../../db/client';
import { Prisma } from '../../db/generated/client';
import type { AnalysisTick, VersionCounts } from '../../domain/rollouts/analysis/types';
import { epochMs, ts } from '../telemetry/telemetry-sql';

export interface VersionTicksQuery {
  serviceId: string;
  canaryVersion: string;
  stableVersion: string;
  /** Ticks at or after this. */
  since: Date;
  /** Ticks at or before this; absent = up to the latest. */
  until?: Date;
}

interface SideRow {
  at: number;
  /** null: a tick with samples of either version but none in a compared zone. */
  canary: boolean | null;
  requests: number;
  errors: number;
  /** Summed buckets of the rows that had a histogram; null when none had. */
  buckets: number[] | null;
}

const counts = (r: SideRow | undefined): VersionCounts =>
  !r ? { requests: 0, errors: 0 } : r.buckets && r.buckets.length > 0 ? { requests: r.requests, errors: r.errors, buckets: r.buckets } : { requests: r.requests, errors: r.errors };

/**
 * One AnalysisTick per recorded tick in the window, oldest first. A tick where the canary had no
 * instance up compares nothing (both sides zero). `buckets` is absent on a side none of whose
 * instances had a histogram (a platform without one).
 */
export async function readVersionTicks(db: Db | Tx, q: VersionTicksQuery): Promise<AnalysisTick[]> {
  if (q.canaryVersion === q.stableVersion) throw new Error('readVersionTicks: the canary and the stable version must differ');
  const until = q.until ? Prisma.sql`AND v.at <= ${ts(q.until.getTime())}` : Prisma.empty;
  const rows = await db.$queryRaw<SideRow[]>`
    WITH s AS (
      SELECT v.at, v.zone, v."appVersion", v.requests, v.errors, v.buckets, v.instances
      FROM "VersionSample" v
      WHERE v."serviceId" = ${q.serviceId}::uuid AND v."appVersion" IN (${q.canaryVersion}, ${q.stableVersion})
        AND v.at >= ${ts(q.since.getTime())} ${until}
    ),
    compared AS (
      SELECT s.* FROM s
      WHERE EXISTS (SELECT 1 FROM s c WHERE c.at = s.at AND c.zone = s.zone AND c."appVersion" = ${q.canaryVersion} AND c.instances > 0)
    ),
    sums AS (
      SELECT at, "appVersion" = ${q.canaryVersion} AS canary, sum(requests)::float8 AS requests, sum(errors)::float8 AS errors
      FROM compared GROUP BY 1, 2
    ),
    bucket_sums AS (
      SELECT at, canary, array_agg(total ORDER BY i) AS buckets
      FROM (
        SELECT c.at, c."appVersion" = ${q.canaryVersion} AS canary, u.i, sum(u.x)::float8 AS total
        FROM compared c, unnest(c.buckets) WITH ORDINALITY AS u(x, i)
        GROUP BY 1, 2, 3
      ) per_bucket
      GROUP BY 1, 2
    )
    SELECT ${epochMs(Prisma.sql`t.at`)} AS at, x.canary, coalesce(x.requests, 0)::float8 AS requests, coalesce(x.errors, 0)::float8 AS errors, b.buckets
    FROM (SELECT DISTINCT at FROM s) t
    LEFT JOIN sums x ON x.at = t.at
    LEFT JOIN bucket_sums b ON b.at = x.at AND b.canary = x.canary
    ORDER BY 1`;
  const byTick = new Map<number, { canary?: SideRow; stable?: SideRow }>();
  for (const r of rows) {
    const at = Number(r.at);
    const t = byTick.get(at) ?? {};
    if (r.canary === true) t.canary = r;
    else if (r.canary === false) t.stable = r;
    byTick.set(at, t);
  }
  return [...byTick].map(([at, t]) => ({ at, canary: counts(t.canary), stable: counts(t.stable) }));
}

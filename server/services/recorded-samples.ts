// The stored samples of some instances over a window, as the replay reads them (RecordedSample),
// fetched column-wise as binary arrays (array_send): one row per instance, one array per input.
// Only the first sample's machine states are kept — the replay resumes from them and recomputes
// the rest.
import { pgPool, type Db } from '../db/client';
import { boolArray, float8Array } from '../db/pg-binary';
import { STAGES } from '../domain/model';
import type { RecordedSample } from '../domain/replay';

const SCALARS = ['ms', 'up', '"rtMs"', 'cpu', '"p95Ms"', 'connections', '"errorRate"', 'requests', '"activeRequests"', '"maxConcurrency"', '"ingressTimeouts"', '"effectiveWeight"', 'age_cpu', 'age_p95', 'age_conn'];
const PER_STAGE = ['"stageFill"', '"stageInputs"', '"stageOutputs"', '"stageBlocked"'];
const ARRAYS = [...SCALARS, ...PER_STAGE.flatMap((c) => STAGES.map((_, k) => `${c}[${k + 1}]`))];

// The subquery's order (instance, time) is the order array_agg sees; the decoder checks it anyway.
const SQL = `SELECT "instanceId"::text AS id, ${ARRAYS.map((c, i) => `array_send(array_agg(${c})) AS c${i}`).join(', ')}
  FROM (
    SELECT (extract(epoch FROM at) * 1000)::float8 AS ms, ("inputAgeMs"->>'cpu')::float8 AS age_cpu, ("inputAgeMs"->>'p95')::float8 AS age_p95,
      ("inputAgeMs"->>'connections')::float8 AS age_conn, "instanceId", up, "rtMs", cpu, "p95Ms", connections, "errorRate", requests, "activeRequests",
      "maxConcurrency", "ingressTimeouts", "effectiveWeight", "stageFill", "stageInputs", "stageOutputs", "stageBlocked"
    FROM "TelemetrySample" WHERE "instanceId" = ANY($1::uuid[]) AND at >= $2 AND at <= $3 ORDER BY "instanceId", at
  ) s GROUP BY "instanceId"`;

/** The first sample's machine states, from the index (not worth aggregating over every row). */
const FIRST = `SELECT DISTINCT ON ("instanceId") "instanceId"::text AS id, "targetWeight" AS tw, degradation AS deg, breaker AS br, "stageState" AS ss
  FROM "TelemetrySample" WHERE "instanceId" = ANY($1::uuid[]) AND at >= $2 AND at <= $3 ORDER BY "instanceId", at`;

type Row = { id: string } & Record<`c${number}`, Uint8Array>;
type First = { id: string; tw: number; deg: number; br: string; ss: string[] };

export async function loadRecorded(db: Db, instanceIds: readonly string[], from: Date, to: Date): Promise<Map<string, RecordedSample[]>> {
  // Straight through pg: it turns bytea into a Buffer in one step (Prisma copies it byte by byte).
  const pool = pgPool(db);
  const [{ rows }, first] = await Promise.all([pool.query<Row>(SQL, [instanceIds, from, to]), pool.query<First>(FIRST, [instanceIds, from, to])]);
  const firstOf = new Map(first.rows.map((f) => [f.id, f]));
  const out = new Map<string, RecordedSample[]>();
  for (const row of rows) {
    const bytes = (i: number) => row[`c${i}`] ?? new Uint8Array(12);
    const col = (i: number) => float8Array(bytes(i));
    const [at, , rt, cpu, p95, conn, err, req, active, maxc, ingress, eff, aCpu, aP95, aConn] = SCALARS.map((_, i) => (i === 1 ? [] : col(i)));
    const up = boolArray(bytes(1));
    const stage = (c: number) => STAGES.map((_, k) => col(SCALARS.length + c * STAGES.length + k));
    const [fill, inputs, outputs] = [stage(0), stage(1), stage(2)];
    const blocked = STAGES.map((_, k) => boolArray(bytes(SCALARS.length + 3 * STAGES.length + k)));
    const f = firstOf.get(row.id);
    const firstState = { targetWeight: f?.tw ?? 0, degradation: f?.deg ?? 0, breaker: f?.br ?? 'closed', stageState: f?.ss ?? [] };
    const samples: RecordedSample[] = new Array<RecordedSample>(at!.length);
    const pick5 = <T>(cols: Array<Array<T | null>>, i: number, none: T): T[] => [cols[0]![i] ?? none, cols[1]![i] ?? none, cols[2]![i] ?? none, cols[3]![i] ?? none, cols[4]![i] ?? none];
    for (let i = 0; i < at!.length; i++) {
      if (i > 0 && at![i]! <= at![i - 1]!) throw new Error(`samples of ${row.id} are out of order`);
      const hasStages = inputs[0]![i] !== null;
      // One literal with every field in the same order: the replay's hot loop sees one object shape.
      samples[i] = {
        at: at![i]!,
        up: up[i] ?? true,
        rtMs: rt![i]!,
        cpu: cpu![i]!,
        p95Ms: p95![i]!,
        connections: conn![i]!,
        errorRate: err![i]!,
        requests: req![i]!,
        activeRequests: active![i]!,
        maxConcurrency: maxc![i]!,
        ingressTimeouts: ingress![i]!,
        stageFill: pick5(fill, i, 0),
        stageInputs: hasStages ? pick5(inputs, i, 0) : [],
        stageOutputs: hasStages ? pick5(outputs, i, 0) : [],
        stageBlocked: hasStages ? pick5(blocked, i, false) : [],
        targetWeight: i === 0 ? firstState.targetWeight : 0,
        effectiveWeight: eff![i]!,
        degradation: i === 0 ? firstState.degradation : 0,
        breaker: i === 0 ? firstState.breaker : 'closed',
        stageState: i === 0 ? firstState.stageState : [],
        inputAgeMs: { cpu: aCpu![i]!, p95: aP95![i]!, connections: aConn![i]! },
      };
    }
    out.set(row.id, samples);
  }
  return out;
}

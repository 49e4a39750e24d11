// TelemetryPack: a minute of one instance's replay inputs as raw big-endian float8s, one record of
// PACK_FIELDS per sample, oldest first. The rollup job packs each complete minute; the what-if
// preview reads packs (a plain copy of bytes for PostgreSQL) and packs the minutes that are not
// packed yet on the fly into the same records (raw-records.ts, tested against PACK_SQL), so both
// paths decode the same way. NULL is
// stored as NaN (no stored input is NaN).
import type pg from 'pg';
import { pgPool, type Db } from '../../db/client';
import { copyRows } from '../../db/pg-binary';
import { pgUtc } from '../../db/timestamp';
import type { RecordedSample } from '../../domain/replay';
import { encodePack, PACK_FIELD_COUNT, rawPack } from './pack-codec';

/** The longest window a what-if preview replays; packs are kept (and made) only this far back. */
export const PACK_WINDOW_MINUTES = 120;

const perStage = (col: string, cast = '') => [1, 2, 3, 4, 5].map((k) => `s."${col}"[${k}]${cast}`);

/** The packed fields in order, as SQL over a TelemetrySample row `s`. */
const PACK_FIELDS = [
  '(extract(epoch FROM s.at) * 1000)::float8',
  'CASE WHEN s.up THEN 1 ELSE 0 END',
  's."rtMs"', 's.cpu', 's."p95Ms"', 's.connections', 's."errorRate"', 's.requests', 's."activeRequests"', 's."maxConcurrency"', 's."ingressTimeouts"',
  's."effectiveWeight"',
  `(s."inputAgeMs"->>'cpu')::float8`, `(s."inputAgeMs"->>'p95')::float8`, `(s."inputAgeMs"->>'connections')::float8`,
  ...perStage('stageFill'), ...perStage('stageInputs'), ...perStage('stageOutputs'), ...perStage('stageBlocked', '::int'),
];
if (PACK_FIELDS.length !== PACK_FIELD_COUNT) throw new Error('PACK_FIELDS and the lean pack layout disagree');
export const PACK_RECORD_BYTES = PACK_FIELD_COUNT * 8;

/** SQL for one minute's pack of rows `s`: string_agg over a GROUP BY "instanceId", minute. */
export const PACK_SQL = `string_agg(${PACK_FIELDS.map((f) => `float8send(coalesce((${f})::float8, 'NaN'))`).join(' || ')}, ''::bytea ORDER BY s.at)`;
export const MINUTE_SQL = `date_bin('60 seconds', s.at, TIMESTAMP '2000-01-01')`;

/**
 * Packs every minute in [from, to) (callers pass complete minutes); idempotent. A minute whose
 * pack already holds as many samples is left as it is: samples are never rewritten (persist
 * inserts them ON CONFLICT DO NOTHING), so it is the same pack, and the rollup's minutes of
 * grace re-pack only what a late tick added to.
 */
export async function packTelemetry(db: Db, from: Date, to: Date): Promise<number> {
  return writePacks(
    pgPool(db),
    `SELECT g.* FROM (
      SELECT s."instanceId", ${MINUTE_SQL} AS minute, count(*)::int AS samples, ${PACK_SQL} AS data
      FROM "TelemetrySample" s
      WHERE s.at >= '${pgUtc(from)}'::timestamp AND s.at < '${pgUtc(to)}'::timestamp
      GROUP BY s."instanceId", 2
    ) g WHERE NOT EXISTS (SELECT 1 FROM "TelemetryPack" p WHERE p."instanceId" = g."instanceId" AND p.minute = g.minute AND p.samples = g.samples)`,
  );
}

/** Packs per INSERT. */
const WRITE_BATCH = 500;

/**
 * Upserts the packs `select` makes ("instanceId", minute, samples, data: PACK_SQL's raw records)
 * in the lean layout (pack-codec.ts): PostgreSQL packs them raw (one string_agg) and this
 * process chooses each field's form (in SQL that took an aggregate per field and form).
 */
export async function writePacks(pool: pg.Pool, select: string): Promise<number> {
  const ids: string[] = [];
  const minutes: string[] = [];
  const samples: number[] = [];
  const data: Buffer[] = [];
  await copyRows(pool, `SELECT "instanceId"::text, to_char(minute, 'YYYY-MM-DD"T"HH24:MI:SS'), samples, data FROM (${select}) p`, (r) => {
    ids.push(r.bytes()!.toString('latin1'));
    minutes.push(r.bytes()!.toString('latin1'));
    samples.push(r.bytes()!.readInt32BE(0));
    data.push(encodePack(r.bytes()!));
  });
  for (let k = 0; k < ids.length; k += WRITE_BATCH) {
    const end = k + WRITE_BATCH;
    await pool.query(
      `INSERT INTO "TelemetryPack" ("instanceId", minute, samples, data)
        SELECT * FROM unnest($1::uuid[], $2::timestamp[], $3::int[], $4::bytea[])
        ON CONFLICT ("instanceId", minute) DO UPDATE SET samples = EXCLUDED.samples, data = EXCLUDED.data`,
      [ids.slice(k, end), minutes.slice(k, end), samples.slice(k, end), data.slice(k, end)],
    );
  }
  return ids.length;
}

/** A first sample's machine states (the replay resumes from them). */
export interface FirstStates {
  targetWeight: number;
  degradation: number;
  breaker: string;
  stageState: string[];
  /** Age of the last full weight recompute (the replay resumes its periodic phase). */
  recomputeAgeMs: number | null;
}

const NO_STATES: FirstStates = { targetWeight: 0, degradation: 0, breaker: 'closed', stageState: [], recomputeAgeMs: null };

/**
 * Appends the samples of a pack that fall in [fromMs, toMs] to `out`. Only the first sample of an
 * instance (out empty) carries `first`; the replay recomputes the rest.
 */
export function unpack(pack: Buffer, fromMs: number, toMs: number, first: FirstStates | undefined, out: RecordedSample[]): void {
  const data = rawPack(pack);
  if (data.length % PACK_RECORD_BYTES !== 0) throw new Error(`a pack of ${data.length} bytes is not whole records of ${PACK_RECORD_BYTES}`);
  const f = (at: number) => data.readDoubleBE(at);
  const n = (at: number) => {
    const v = data.readDoubleBE(at);
    return Number.isNaN(v) ? null : v;
  };
  const five = (at: number, none: number) => {
    const xs = [f(at), f(at + 8), f(at + 16), f(at + 24), f(at + 32)];
    for (let k = 0; k < 5; k++) if (Number.isNaN(xs[k])) xs[k] = none;
    return xs;
  };
  for (let o = 0; o < data.length; o += PACK_RECORD_BYTES) {
    const at = f(o);
    if (at < fromMs || at > toMs) continue;
    const prev = out[out.length - 1];
    if (prev && at <= prev.at) throw new Error('packed samples are out of order');
    const states = prev ? NO_STATES : (first ?? NO_STATES);
    // Rows from before the stage inputs were recorded have none: the replay then skips the stages.
    const hasStages = !Number.isNaN(f(o + 160));
    // One literal with every field in the same order: the replay's hot loop sees one object shape.
    out.push({
      at,
      up: f(o + 8) !== 0,
      rtMs: n(o + 16),
      cpu: n(o + 24),
      p95Ms: n(o + 32),
      connections: n(o + 40),
      errorRate: n(o + 48),
      requests: n(o + 56),
      activeRequests: n(o + 64),
      maxConcurrency: n(o + 72),
      ingressTimeouts: n(o + 80),
      stageFill: five(o + 120, 0),
      stageInputs: hasStages ? five(o + 160, 0) : [],
      stageOutputs: hasStages ? five(o + 200, 0) : [],
      stageBlocked: hasStages ? five(o + 240, 0).map((b) => b === 1) : [],
      targetWeight: states.targetWeight,
      effectiveWeight: f(o + 88),
      degradation: states.degradation,
      breaker: states.breaker,
      stageState: prev ? [] : states.stageState,
      inputAgeMs: { cpu: n(o + 96), p95: n(o + 104), connections: n(o + 112), recompute: states.recomputeAgeMs },
    });
  }
}

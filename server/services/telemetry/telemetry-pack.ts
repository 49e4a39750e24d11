// TelemetryPack: a minute of one instance's replay inputs as raw big-endian float8s, one record of
// PACK_FIELDS per sample, oldest first. The rollup job packs each complete minute; the what-if
// preview reads packs (a plain copy of bytes for PostgreSQL) and packs the minutes that are not
// packed yet on the fly with the same expression, so both paths decode the same way. NULL is
// stored as NaN (no stored input is NaN).
import type { Db } from '../../db/client';
import { Prisma } from '../../db/generated/client';
import type { RecordedSample } from '../../domain/replay';

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
export const PACK_RECORD_BYTES = PACK_FIELDS.length * 8;

/** SQL for one minute's pack of rows `s`: string_agg over a GROUP BY "instanceId", minute. */
export const PACK_SQL = `string_agg(${PACK_FIELDS.map((f) => `float8send(coalesce((${f})::float8, 'NaN'))`).join(' || ')}, ''::bytea ORDER BY s.at)`;
export const MINUTE_SQL = `date_bin('60 seconds', s.at, TIMESTAMP '2000-01-01')`;

/** Packs every minute in [from, to) (callers pass complete minutes); idempotent. */
export async function packTelemetry(db: Db, from: Date, to: Date): Promise<number> {
  return db.$executeRaw`
    INSERT INTO "TelemetryPack" ("instanceId", minute, samples, data)
    SELECT s."instanceId", ${Prisma.raw(MINUTE_SQL)} AS m, count(*)::int, ${Prisma.raw(PACK_SQL)}
    FROM "TelemetrySample" s
    WHERE s.at >= ${from} AND s.at < ${to}
    GROUP BY s."instanceId", m
    ON CONFLICT ("instanceId", minute) DO UPDATE SET samples = EXCLUDED.samples, data = EXCLUDED.data`;
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
export function unpack(data: Buffer, fromMs: number, toMs: number, first: FirstStates | undefined, out: RecordedSample[]): void {
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

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Decodes packs one sample at a time into a single reused RecordedSample (the what-if preview at
 * 10,000 instances would otherwise build 9 million sample objects of five arrays each only to
 * read each once). The sample equals what `unpack` appends, and is overwritten by the next one:
 * copy what must outlive the callback.
 */
export class PackDecoder {
  private readonly fill = [0, 0, 0, 0, 0];
  private readonly inputs = [0, 0, 0, 0, 0];
  private readonly outputs = [0, 0, 0, 0, 0];
  private readonly blocked = [false, false, false, false, false];
  private readonly ages: Mutable<RecordedSample['inputAgeMs']> = { cpu: null, p95: null, connections: null, recompute: null };
  readonly sample: Mutable<RecordedSample> = {
    at: 0, up: true, rtMs: null, cpu: null, p95Ms: null, connections: null, errorRate: null, requests: null, activeRequests: null, maxConcurrency: null, ingressTimeouts: null,
    stageFill: this.fill, stageInputs: [], stageOutputs: [], stageBlocked: [], targetWeight: 0, effectiveWeight: 0, degradation: 0, breaker: 'closed', stageState: [], inputAgeMs: this.ages,
  };
  /** Time of the last sample decoded for the current instance (-Infinity before its first). */
  private lastAt = -Infinity;

  /** The next packs belong to another instance: its first sample carries `first`'s states. */
  startInstance(): void {
    this.lastAt = -Infinity;
  }

  /** Calls `each(this.sample)` for every sample of `data` in [fromMs, toMs], as unpack would append them. */
  decode(data: Buffer, fromMs: number, toMs: number, first: FirstStates | undefined, each: (s: RecordedSample) => void): void {
    if (data.length % PACK_RECORD_BYTES !== 0) throw new Error(`a pack of ${data.length} bytes is not whole records of ${PACK_RECORD_BYTES}`);
    const s = this.sample;
    const n = (at: number) => {
      const v = data.readDoubleBE(at);
      return v !== v ? null : v;
    };
    const five = (xs: number[], at: number) => {
      for (let k = 0; k < 5; k++) {
        const v = data.readDoubleBE(at + 8 * k);
        xs[k] = v !== v ? 0 : v;
      }
    };
    for (let o = 0; o < data.length; o += PACK_RECORD_BYTES) {
      const at = data.readDoubleBE(o);
      if (at < fromMs || at > toMs) continue;
      if (at <= this.lastAt) throw new Error('packed samples are out of order');
      const states = this.lastAt === -Infinity ? (first ?? NO_STATES) : NO_STATES;
      this.lastAt = at;
      const hasStages = !Number.isNaN(data.readDoubleBE(o + 160));
      s.at = at;
      s.up = data.readDoubleBE(o + 8) !== 0;
      s.rtMs = n(o + 16);
      s.cpu = n(o + 24);
      s.p95Ms = n(o + 32);
      s.connections = n(o + 40);
      s.errorRate = n(o + 48);
      s.requests = n(o + 56);
      s.activeRequests = n(o + 64);
      s.maxConcurrency = n(o + 72);
      s.ingressTimeouts = n(o + 80);
      five(this.fill, o + 120);
      if (hasStages) {
        five(this.inputs, o + 160);
        five(this.outputs, o + 200);
        for (let k = 0; k < 5; k++) {
          const v = data.readDoubleBE(o + 240 + 8 * k);
          this.blocked[k] = (v !== v ? 0 : v) === 1;
        }
      }
      s.stageInputs = hasStages ? this.inputs : [];
      s.stageOutputs = hasStages ? this.outputs : [];
      s.stageBlocked = hasStages ? this.blocked : [];
      s.targetWeight = states.targetWeight;
      s.effectiveWeight = data.readDoubleBE(o + 88);
      s.degradation = states.degradation;
      s.breaker = states.breaker;
      s.stageState = states === NO_STATES ? [] : states.stageState;
      this.ages.cpu = n(o + 96);
      this.ages.p95 = n(o + 104);
      this.ages.connections = n(o + 112);
      this.ages.recompute = states.recomputeAgeMs;
      each(s);
    }
  }
}

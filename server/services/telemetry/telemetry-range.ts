// Which table a time range is read from, and how finely. Pure (no I/O), so it is unit-tested and
// the console and the API agree on it. Contract of the telemetry tables: docs/telemetry.md.
import { z } from 'zod';
import { epochMs } from '../../domain/inputs';

export type Resolution = 'raw' | 60 | 600;

const HOUR = 3600_000;

/** Raw samples for ranges up to 2 h, 60 s rollups up to 48 h, 600 s rollups beyond. */
export function pickResolution(fromMs: number, toMs: number): Resolution {
  const span = Math.max(0, toMs - fromMs);
  if (span <= 2 * HOUR) return 'raw';
  if (span <= 48 * HOUR) return 60;
  return 600;
}

/**
 * The resolution to actually read. Raw samples are pruned after a few hours, so a short range
 * far enough in the past has none: then the 60 s rollups cover it, if they reach back to its
 * start. A young platform (rollups no older than the range) keeps raw, which is all it has.
 */
export function effectiveResolution(picked: Resolution, fromMs: number, oldestRawMs: number | null, oldestRollupMs: number | null): Resolution {
  if (picked !== 'raw') return picked;
  const rawMissesStart = oldestRawMs === null || oldestRawMs > fromMs + 60_000;
  const rollupsReachStart = oldestRollupMs !== null && oldestRollupMs <= fromMs + 60_000;
  return rawMissesStart && rollupsReachStart ? 60 : 'raw';
}

/** Most points one series sends for a raw range; longer raw ranges are averaged into buckets. */
export const MAX_RAW_POINTS = 1200;

/**
 * Bucket width (s) for raw samples over a range: 0 = every sample as written (5 min at 1 s is
 * 300 rows); 1 h becomes 3 s buckets, 2 h 6 s, so a chart never gets more points than pixels.
 */
export function rawBucketS(fromMs: number, toMs: number): number {
  const spanS = Math.max(0, toMs - fromMs) / 1000;
  return spanS <= MAX_RAW_POINTS ? 0 : Math.ceil(spanS / MAX_RAW_POINTS);
}

/** The step between points a reader gets: bucket width for raw (1 s = the tick), else the rollup's. */
export function stepSeconds(resolution: Resolution, fromMs: number, toMs: number, tickS = 1): number {
  if (resolution !== 'raw') return resolution;
  return rawBucketS(fromMs, toMs) || tickS;
}

/** A range as the API takes it: the last N seconds up to now (live, 1 h, 24 h) or fixed bounds. */
export const rangeInput = z.union([
  z.object({ lastS: z.number().int().min(10).max(31 * 86400) }),
  z
    .object({ from: epochMs(), to: epochMs() })
    .refine((r) => r.to > r.from, { message: 'The range must end after it starts', path: ['to'] })
    .refine((r) => r.to - r.from <= 31 * 86400_000, { message: 'Pick a range of at most 31 days', path: ['from'] }),
]);
export type RangeInput = z.infer<typeof rangeInput>;

export interface TimeRange {
  fromMs: number;
  toMs: number;
}

/** Resolves a relative range against `nowMs` (the server's clock: one reference for every reader). */
export function resolveRange(r: RangeInput, nowMs: number): TimeRange {
  return 'lastS' in r ? { fromMs: nowMs - r.lastS * 1000, toMs: nowMs } : { fromMs: r.from, toMs: r.to };
}

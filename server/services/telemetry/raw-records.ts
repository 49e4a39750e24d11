// Raw TelemetrySample rows as a binary COPY sends their columns, turned into PACK_SQL's float8
// records in this process. PostgreSQL packing them itself cost ~10 µs of its CPU per row (35
// float8send calls, 34 bytea concatenations, the string_agg and the sort behind it: ~310 of a
// 1,000-instance preview's ~460 ms of reads, its newest raw half minute); sending the columns
// as they are saves it ~130-250 ms of that, and decoding them here costs ~45 ms. Every value is the one
// PACK_SQL gives, bit for bit: float8s are copied as their bytes, a NULL is PostgreSQL's NaN
// (0x7ff8…, as float8send(coalesce(x, 'NaN')) sends it), an array element follows the subscript's
// rules (NULL past the bounds or for any other number of dimensions), and the time is
// extract(epoch) * 1000, exact for timestamp(3).
import type { CopyRow } from '../../db/pg-binary';
import { PACK_FIELD_COUNT } from './pack-codec';

/** The columns after "instanceId" and the ordering time, in the order appendRecord reads them. */
export const RAW_COLUMNS_SQL = `s.up, s."rtMs", s.cpu, s."p95Ms", s.connections, s."errorRate", s.requests, s."activeRequests",
  s."maxConcurrency", s."ingressTimeouts", s."effectiveWeight", (s."inputAgeMs"->>'cpu')::float8, (s."inputAgeMs"->>'p95')::float8,
  (s."inputAgeMs"->>'connections')::float8, s."stageFill", s."stageInputs", s."stageOutputs", s."stageBlocked"`;

/** The same columns' NULLs, for the rows (packs) that have none. */
export const NO_RAW_COLUMNS_SQL = Array.from({ length: 18 }, () => 'NULL').join(', ');

const RECORD_BYTES = PACK_FIELD_COUNT * 8;
/** Float8 columns between `up` and the arrays: rtMs … ingressTimeouts, effectiveWeight, three input ages. */
const SCALARS = 13;
/** Microseconds from the Unix epoch to PostgreSQL's (2000-01-01). */
const PG_EPOCH_US = 946_684_800_000_000;
const MINUTE_US = 60_000_000;

/** A binary timestamp as microseconds since 2000-01-01 (exact: |value| < 2^53 for any sample time). */
export const timestampUs = (b: Buffer): number => b.readInt32BE(0) * 0x1_0000_0000 + b.readUInt32BE(4);

/** The minute (date_bin's, from 2000-01-01) of a time in microseconds since 2000-01-01. */
export const minuteOf = (us: number): number => Math.floor(us / MINUTE_US);

/** NaN (PostgreSQL's, 0x7ff8…) at `at`. */
function putNaN(out: Buffer, at: number): void {
  out.writeUInt32BE(0x7ff8_0000, at);
  out.writeUInt32BE(0, at + 4);
}

// Copied as two words, not as a double (a NaN's payload is kept) nor by Buffer.copy (a call
// into C++) of a view per value: those cost the process more than PostgreSQL saved (1.5 million
// of each per 1,000 instances).
function copy8(src: Buffer, p: number, out: Buffer, at: number): void {
  out.writeUInt32BE(src.readUInt32BE(p), at);
  out.writeUInt32BE(src.readUInt32BE(p + 4), at + 4);
}

/** The next float8 of `row` at `at`, NaN for NULL. */
function putFloat(row: CopyRow, out: Buffer, at: number): void {
  const n = row.open();
  if (n < 0) putNaN(out, at);
  else copy8(row.buffer, row.offset, out, at);
  row.advance(n);
}

/** Elements 1..5 of the next float8[] of `row` (`bool`: boolean[] as 1/0) as float8s at `at`, NaN where the subscript gives NULL. */
function putFive(row: CopyRow, out: Buffer, at: number, bool: boolean): void {
  for (let k = 0; k < 5; k++) putNaN(out, at + 8 * k);
  const n = row.open();
  const a = row.buffer;
  const start = row.offset;
  row.advance(n);
  if (n < 0 || a.readInt32BE(start) !== 1) return;
  const length = a.readInt32BE(start + 12);
  const lower = a.readInt32BE(start + 16);
  let p = start + 20;
  for (let i = 0; i < length; i++) {
    const m = a.readInt32BE(p);
    p += 4;
    const k = lower + i - 1;
    if (m >= 0 && k >= 0 && k < 5) {
      if (bool) out.writeDoubleBE(a[p]! !== 0 ? 1 : 0, at + 8 * k);
      else copy8(a, p, out, at + 8 * k);
    }
    if (m > 0) p += m;
  }
}

/** PACK_SQL's record of the rest of `row` (RAW_COLUMNS_SQL) sampled at `us`, written at `at` of `out` (RECORD_BYTES). */
export function appendRecord(row: CopyRow, us: number, out: Buffer, at: number): void {
  out.writeDoubleBE((us + PG_EPOCH_US) / 1000, at);
  const n = row.open();
  out.writeDoubleBE(n > 0 && row.buffer[row.offset] !== 0 ? 1 : 0, at + 8);
  row.advance(n);
  let o = at + 16;
  for (let k = 0; k < SCALARS; k++, o += 8) putFloat(row, out, o);
  putFive(row, out, o, false);
  putFive(row, out, o + 40, false);
  putFive(row, out, o + 80, false);
  putFive(row, out, o + 120, true);
}

/**
 * The raw rows of one (instance, minute) gathered into one raw pack (PACK_SQL's layout), in
 * arrival (time) order.
 */
export class RawPackBuilder {
  private buffer = Buffer.allocUnsafe(RECORD_BYTES * 64);
  private used = 0;
  id = '';
  minute = NaN;

  get empty(): boolean {
    return this.used === 0;
  }

  /** Starts a pack of instance `id`'s minute `minute` (the previous one must have been taken). */
  start(id: string, minute: number): void {
    this.id = id;
    this.minute = minute;
    this.used = 0;
  }

  append(row: CopyRow, us: number): void {
    if (this.used + RECORD_BYTES > this.buffer.length) {
      const bigger = Buffer.allocUnsafe(this.buffer.length * 2);
      this.buffer.copy(bigger, 0, 0, this.used);
      this.buffer = bigger;
    }
    appendRecord(row, us, this.buffer, this.used);
    this.used += RECORD_BYTES;
  }

  /** The pack so far, copied into `into(n)` (n bytes); the builder is empty after. */
  take(into: (n: number) => Buffer): Buffer {
    const out = into(this.used);
    this.buffer.copy(out, 0, 0, this.used);
    this.used = 0;
    return out;
  }
}

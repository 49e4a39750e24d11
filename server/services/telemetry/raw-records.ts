// Raw TelemetrySample rows as a binary COPY sends their columns, turned into PACK_SQL's float8
// records in this process. PostgreSQL packing them itself cost ~10 µs of its CPU per row (35
// float8send calls, 34 bytea concatenations, the string_agg and the sort behind it: ~310 of a
// 1,000-instance preview's ~460 ms of reads, its newest raw half minute); sending the columns
// as they are saves it ~130-250 ms of that, and decoding them here costs ~45 ms. Every value is the one
// PACK_SQL gives, bit for bit: float8s are copied as their bytes, a NULL is PostgreSQL's NaN
// (0x7ff8…, as float8send(coalesce(x, 'NaN')) sends it), an array element follows the subscript's
// rules (NULL past the bounds or for any other number of dimensions), and the time is
// extract(epoch) * 1000, exact for timestamp(3).
import { endianness } from 'node:os';
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
export const timestampUs = (b: Buffer, at = 0): number => b.readInt32BE(at) * 0x1_0000_0000 + b.readUInt32BE(at + 4);

/** The minute (date_bin's, from 2000-01-01) of a time in microseconds since 2000-01-01. */
export const minuteOf = (us: number): number => Math.floor(us / MINUTE_US);

// Records are written in this machine's byte order, as float8s of a Float64Array (and the same
// memory as uint32 pairs, for values copied as their bits): the what-if replay reads them there
// as they are, without a pass of big-endian writes and a byte swap (RawPackBuilder swaps only
// for readPacks' packs, which keep PACK_SQL's big-endian layout).
const LE = endianness() === 'LE';
const HI = LE ? 1 : 0;
const LO = LE ? 0 : 1;

/** Float8 `i` of `w` set to NaN (PostgreSQL's, 0x7ff8…). */
function putNaN(w: Uint32Array, i: number): void {
  w[2 * i + HI] = 0x7ff8_0000;
  w[2 * i + LO] = 0;
}

// Copied as two words, not as a double (a NaN's payload is kept) nor by Buffer.copy (a call
// into C++) of a view per value: those cost the process more than PostgreSQL saved (1.5 million
// of each per 1,000 instances). The words are read through the row's DataView (one per socket
// chunk): Buffer's readUInt32BE checks its argument and reads byte by byte.
function copy8(src: DataView, p: number, w: Uint32Array, i: number): void {
  w[2 * i + HI] = src.getUint32(p);
  w[2 * i + LO] = src.getUint32(p + 4);
}

/** The next float8 of `row` as float8 `i`, NaN for NULL. */
function putFloat(row: CopyRow, w: Uint32Array, i: number): void {
  const n = row.open();
  if (n < 0) putNaN(w, i);
  else copy8(row.view, row.viewOffset, w, i);
  row.advance(n);
}

/** Elements 1..5 of the next float8[] of `row` (`bool`: boolean[] as 1/0) as float8s `i`…`i + 4`, NaN where the subscript gives NULL. */
function putFive(row: CopyRow, v: Float64Array, w: Uint32Array, i: number, bool: boolean): void {
  for (let k = 0; k < 5; k++) putNaN(w, i + k);
  const n = row.open();
  const a = row.view;
  const start = row.viewOffset;
  row.advance(n);
  if (n < 0 || a.getInt32(start) !== 1) return;
  const length = a.getInt32(start + 12);
  const lower = a.getInt32(start + 16);
  let p = start + 20;
  for (let j = 0; j < length; j++) {
    const m = a.getInt32(p);
    p += 4;
    const k = lower + j - 1;
    if (m >= 0 && k >= 0 && k < 5) {
      if (bool) v[i + k] = a.getUint8(p) !== 0 ? 1 : 0;
      else copy8(a, p, w, i + k);
    }
    if (m > 0) p += m;
  }
}

/**
 * PACK_SQL's record of the rest of `row` (RAW_COLUMNS_SQL) sampled at `us`, as float8s `i`…
 * `i + PACK_FIELD_COUNT - 1` of `v` in this machine's order (`w`: the same memory as uint32s).
 */
export function appendRecord(row: CopyRow, us: number, v: Float64Array, w: Uint32Array, i: number): void {
  v[i] = (us + PG_EPOCH_US) / 1000;
  const n = row.open();
  v[i + 1] = n > 0 && row.buffer[row.offset] !== 0 ? 1 : 0;
  row.advance(n);
  let o = i + 2;
  for (let k = 0; k < SCALARS; k++, o++) putFloat(row, w, o);
  putFive(row, v, w, o, false);
  putFive(row, v, w, o + 5, false);
  putFive(row, v, w, o + 10, false);
  putFive(row, v, w, o + 15, true);
}

/**
 * The raw rows of one (instance, minute) gathered into one raw pack (PACK_SQL's layout), in
 * arrival (time) order.
 */
export class RawPackBuilder {
  private values = new Float64Array(PACK_FIELD_COUNT * 64);
  private words = new Uint32Array(this.values.buffer);
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
    if ((this.used + 1) * PACK_FIELD_COUNT > this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values.subarray(0, this.used * PACK_FIELD_COUNT));
      this.values = bigger;
      this.words = new Uint32Array(bigger.buffer);
    }
    appendRecord(row, us, this.values, this.words, this.used * PACK_FIELD_COUNT);
    this.used++;
  }

  /** The pack so far (PACK_SQL's big-endian records), in a buffer of its own; the builder is empty after. */
  take(): Buffer {
    const bytes = this.used * RECORD_BYTES;
    const out = Buffer.allocUnsafe(bytes);
    Buffer.from(this.values.buffer, 0, bytes).copy(out);
    if (LE && bytes > 0) out.swap64();
    this.used = 0;
    return out;
  }
}

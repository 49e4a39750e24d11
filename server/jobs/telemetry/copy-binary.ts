// PostgreSQL's binary COPY format, for the tick's samples (persist.ts). At 10,000 instances the
// server's text input functions (float8in, array_in, jsonb_in) were most of the sample write;
// in binary each field arrives in its stored form and is only checked, not parsed.
// Layout: https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);

/** Element type OIDs the array headers name; array_recv refuses any other than the column's. */
export const OID = { bool: 16, int4: 23, text: 25, float8: 701 } as const;

/**
 * A growing buffer of binary COPY tuples. Fields are appended in column order; `row(n)` starts a
 * tuple of n fields. Numbers are written big-endian as PostgreSQL's send functions do.
 */
export class BinaryCopyWriter {
  private buf: Buffer;
  private pos = 0;

  /** `header: false` for a later piece of one COPY's data (see `tuples()`), streamed after the first. */
  constructor(initialBytes = 1 << 16, header = true) {
    this.buf = Buffer.allocUnsafe(Math.max(64, initialBytes));
    if (!header) return;
    this.raw(SIGNATURE);
    this.int32(0); // flags: no OIDs
    this.int32(0); // header extension length
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
  private raw(b: Buffer): void {
    this.room(b.length);
    b.copy(this.buf, this.pos);
    this.pos += b.length;
  }
  private int16(v: number): void {
    this.room(2);
    this.buf.writeInt16BE(v, this.pos);
    this.pos += 2;
  }
  private int32(v: number): void {
    this.room(4);
    this.buf.writeInt32BE(v, this.pos);
    this.pos += 4;
  }

  row(fields: number): this {
    this.int16(fields);
    return this;
  }
  null(): this {
    this.int32(-1);
    return this;
  }
  /** A uuid in its canonical text form (8-4-4-4-12 hex digits), or its 32 digits alone. */
  uuid(v: string): this {
    // Parsed by hand: one replace() and one regex test per sample were a fifth of the tick's
    // allocation in the writer (10,000 rows a tick).
    const dashed = v.length === 36;
    if (!dashed && v.length !== 32) throw new Error(`not a uuid: ${JSON.stringify(v)}`);
    this.int32(16);
    this.room(16);
    let i = 0;
    for (let b = 0; b < 16; b++) {
      if (dashed && (i === 8 || i === 13 || i === 18 || i === 23)) {
        if (v.charCodeAt(i) !== 45) throw new Error(`not a uuid: ${JSON.stringify(v)}`);
        i++;
      }
      const hi = hexDigit(v.charCodeAt(i));
      const lo = hexDigit(v.charCodeAt(i + 1));
      if (hi < 0 || lo < 0) throw new Error(`not a uuid: ${JSON.stringify(v)}`);
      this.buf[this.pos + b] = (hi << 4) | lo;
      i += 2;
    }
    this.pos += 16;
    return this;
  }
  /** `timestamp` (without time zone) holding the UTC wall time of `ms`, as the text writer's ISO strings do. */
  timestamp(ms: number): this {
    // Microseconds since 2000 stay below 2^53 for any date a Date can hold, so plain numbers carry
    // them exactly, without the two BigInts a row that BigInt arithmetic cost.
    return this.int8(Math.round(ms - PG_EPOCH_MS) * 1000);
  }
  /** A bigint, or a number that is a safe integer (tick ids and microseconds are). */
  int8(v: bigint | number): this {
    const n = typeof v === 'bigint' ? Number(v) : v;
    if (!Number.isSafeInteger(n)) {
      if (typeof v === 'number') throw new Error(`not a safe integer: ${v}`);
      this.int32(8);
      this.room(8);
      this.buf.writeBigInt64BE(v, this.pos);
      this.pos += 8;
      return this;
    }
    // Two's complement in two halves: floor keeps the high word right for negative values.
    const hi = Math.floor(n / 0x1_0000_0000);
    this.int32(8);
    this.room(8);
    this.buf.writeInt32BE(hi, this.pos);
    this.buf.writeUInt32BE(n - hi * 0x1_0000_0000, this.pos + 4);
    this.pos += 8;
    return this;
  }
  int4(v: number): this {
    if (!Number.isInteger(v)) throw new Error(`not an integer: ${v}`);
    this.int32(4);
    this.int32(v);
    return this;
  }
  bool(v: boolean | null | undefined): this {
    if (v === null || v === undefined) return this.null();
    this.int32(1);
    this.room(1);
    this.buf[this.pos++] = v ? 1 : 0;
    return this;
  }
  float8(v: number | null | undefined): this {
    if (v === null || v === undefined) return this.null();
    this.int32(8);
    this.room(8);
    // -0 + 0 is +0: JavaScript prints -0 as "0", so the text path and node-pg parameters always
    // stored +0; binary keeps what those wrote (every other value, NaN and ±Infinity too, as is).
    this.buf.writeDoubleBE(v + 0, this.pos);
    this.pos += 8;
    return this;
  }
  text(v: string | null | undefined): this {
    if (v === null || v === undefined) return this.null();
    const n = Buffer.byteLength(v, 'utf8');
    this.int32(n);
    this.room(n);
    this.buf.write(v, this.pos, n, 'utf8');
    this.pos += n;
    return this;
  }
  /** jsonb's binary form: a version byte (1) and the JSON text, which the server still parses. */
  jsonb(v: unknown): this {
    return this.jsonbText(JSON.stringify(v));
  }
  /** jsonb from JSON text the caller built (what `jsonb` writes for a value whose JSON.stringify is `json`). */
  jsonbText(json: string): this {
    const n = Buffer.byteLength(json, 'utf8');
    this.int32(n + 1);
    this.room(n + 1);
    this.buf[this.pos++] = 1;
    this.buf.write(json, this.pos, n, 'utf8');
    this.pos += n;
    return this;
  }
  /** A one-dimensional array with no NULL elements (an empty one is written with no dimensions, as array_send does). */
  array<T>(oid: number, xs: readonly T[], element: (w: BinaryCopyWriter, x: T) => void): this {
    const lengthAt = this.pos;
    this.int32(0); // patched below, once the elements are written
    const start = this.pos;
    this.int32(xs.length === 0 ? 0 : 1); // dimensions
    this.int32(0); // has NULLs
    this.int32(oid);
    if (xs.length > 0) {
      this.int32(xs.length);
      this.int32(1); // lower bound
      // Indexed: for-of here built an iterator result per element (a third of the tick's writer allocation).
      for (let i = 0; i < xs.length; i++) element(this, xs[i]!);
    }
    this.buf.writeInt32BE(this.pos - start, lengthAt);
    return this;
  }

  /** The whole COPY data: tuples and the end marker. */
  finish(): Buffer {
    this.int16(-1);
    return this.buf.subarray(0, this.pos);
  }

  /** What was written so far, without the end marker: one piece of a COPY streamed in pieces. */
  tuples(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

/** A hex digit's value, or -1. */
function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** The end marker that closes binary COPY data streamed in pieces. */
export const BINARY_COPY_TRAILER = Buffer.from([0xff, 0xff]);

export const float8Element = (w: BinaryCopyWriter, x: number) => void w.float8(x);
export const textElement = (w: BinaryCopyWriter, x: string) => void w.text(x);
export const boolElement = (w: BinaryCopyWriter, x: boolean) => void w.bool(x);

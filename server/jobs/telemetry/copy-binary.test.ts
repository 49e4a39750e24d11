import { describe, expect, it } from 'vitest';
import { BinaryCopyWriter, boolElement, float8Element, OID, textElement } from './copy-binary';

// The byte layouts PostgreSQL's COPY BINARY reader expects (sql-copy.html, "Binary Format"), checked
// field by field; persist-copy.int.test.ts checks the server reads them back as the text path wrote.
const HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
const int32 = (v: number) => { const b = Buffer.alloc(4); b.writeInt32BE(v); return b; };
const int16 = (v: number) => { const b = Buffer.alloc(2); b.writeInt16BE(v); return b; };
const f8 = (v: number) => { const b = Buffer.alloc(8); b.writeDoubleBE(v); return b; };
const i8 = (v: bigint) => { const b = Buffer.alloc(8); b.writeBigInt64BE(v); return b; };
/** The bytes of one tuple's fields after the header and tuple field count. */
const body = (build: (w: BinaryCopyWriter) => void, fields = 1) => {
  const w = new BinaryCopyWriter(64);
  build(w.row(fields));
  const out = w.finish();
  expect(out.subarray(0, HEADER.length)).toEqual(HEADER);
  expect(out.subarray(HEADER.length, HEADER.length + 2)).toEqual(int16(fields));
  expect(out.subarray(out.length - 2)).toEqual(int16(-1));
  return out.subarray(HEADER.length + 2, out.length - 2);
};

describe('BinaryCopyWriter', () => {
  it('writes the signature, flags and extension header, and the end marker', () => {
    expect(new BinaryCopyWriter().finish()).toEqual(Buffer.concat([HEADER, int16(-1)]));
  });

  it('writes NULL as length -1 for every nullable kind', () => {
    expect(body((w) => w.null().float8(null).text(undefined).bool(null), 4)).toEqual(Buffer.concat([int32(-1), int32(-1), int32(-1), int32(-1)]));
  });

  it('writes numbers big-endian in their stored widths, NaN and infinities included', () => {
    expect(body((w) => w.float8(-123.456))).toEqual(Buffer.concat([int32(8), f8(-123.456)]));
    for (const v of [NaN, Infinity, -Infinity, 5e-324, 1.7976931348623157e308]) expect(body((w) => w.float8(v))).toEqual(Buffer.concat([int32(8), f8(v)]));
    // -0 as +0, as the text path (String(-0) is "0") always stored it.
    expect(body((w) => w.float8(-0))).toEqual(Buffer.concat([int32(8), f8(0)]));
    expect(body((w) => w.int4(-7))).toEqual(Buffer.concat([int32(4), int32(-7)]));
    expect(body((w) => w.int8(9007199254740993n))).toEqual(Buffer.concat([int32(8), i8(9007199254740993n)]));
    for (const v of [0n, 1n, -1n, 4294967295n, 4294967296n, -4294967297n, 9007199254740991n, -9007199254740991n, -(2n ** 63n), 2n ** 63n - 1n]) {
      expect(body((w) => w.int8(v))).toEqual(Buffer.concat([int32(8), i8(v)]));
    }
    expect(body((w) => w.int8(-5_000_000_000))).toEqual(Buffer.concat([int32(8), i8(-5_000_000_000n)]));
    expect(() => new BinaryCopyWriter().int8(2 ** 53)).toThrow(/not a safe integer/);
    expect(body((w) => w.bool(true).bool(false), 2)).toEqual(Buffer.from([0, 0, 0, 1, 1, 0, 0, 0, 1, 0]));
  });

  it('refuses values the column type cannot hold instead of writing something else', () => {
    expect(() => new BinaryCopyWriter().int4(1.5)).toThrow(/not an integer/);
    expect(() => new BinaryCopyWriter().uuid('not-a-uuid')).toThrow(/not a uuid/);
    expect(() => new BinaryCopyWriter().uuid('zzzzzzzz-0000-4000-8000-000000000000')).toThrow(/not a uuid/);
    expect(() => new BinaryCopyWriter().uuid('0123abcd-4567-89ab-cdef-0123456789a')).toThrow(/not a uuid/);
    expect(() => new BinaryCopyWriter().uuid('0123abcd04567-89ab-cdef-0123456789ab')).toThrow(/not a uuid/);
    expect(() => new BinaryCopyWriter().uuid('0123abcd-4567-89ab-cdef-0123456789ag')).toThrow(/not a uuid/);
  });

  it('writes a uuid as its 16 bytes', () => {
    const bytes = Buffer.from('0123abcd456789abcdef0123456789ab', 'hex');
    expect(body((w) => w.uuid('0123ABCD-4567-89ab-cdef-0123456789AB'))).toEqual(Buffer.concat([int32(16), bytes]));
    expect(body((w) => w.uuid('0123ABCD456789abcdef0123456789AB'))).toEqual(Buffer.concat([int32(16), bytes]));
    const all = 'ffffffff-ffff-ffff-ffff-ffffffffffff';
    expect(body((w) => w.uuid(all))).toEqual(Buffer.concat([int32(16), Buffer.alloc(16, 0xff)]));
  });

  it('writes a timestamp as microseconds since 2000-01-01 UTC, milliseconds kept', () => {
    expect(body((w) => w.timestamp(Date.UTC(2000, 0, 1)))).toEqual(Buffer.concat([int32(8), i8(0n)]));
    expect(body((w) => w.timestamp(Date.UTC(2026, 0, 1, 0, 0, 0, 123)))).toEqual(Buffer.concat([int32(8), i8(BigInt(Date.UTC(2026, 0, 1, 0, 0, 0, 123) - Date.UTC(2000, 0, 1)) * 1000n)]));
    expect(body((w) => w.timestamp(Date.UTC(1999, 11, 31, 23, 59, 59, 999)))).toEqual(Buffer.concat([int32(8), i8(-1000n)]));
    expect(body((w) => w.timestamp(Date.UTC(1900, 0, 1)))).toEqual(Buffer.concat([int32(8), i8(BigInt(Date.UTC(1900, 0, 1) - Date.UTC(2000, 0, 1)) * 1000n)]));
    expect(body((w) => w.timestamp(Date.UTC(2262, 0, 1)))).toEqual(Buffer.concat([int32(8), i8(BigInt(Date.UTC(2262, 0, 1) - Date.UTC(2000, 0, 1)) * 1000n)]));
  });

  it('writes text as UTF-8 bytes with their byte length, escapes untouched', () => {
    const s = 'tab\t"q" back\\slash\nnew −31 ✓ 🚀';
    const bytes = Buffer.from(s, 'utf8');
    expect(bytes.length).toBeGreaterThan(s.length);
    expect(body((w) => w.text(s))).toEqual(Buffer.concat([int32(bytes.length), bytes]));
    expect(body((w) => w.text(''))).toEqual(int32(0));
  });

  it('writes jsonb as version 1 and the JSON text', () => {
    const json = Buffer.from(JSON.stringify({ cpu: null, p95: 1.5, s: 'é' }), 'utf8');
    expect(body((w) => w.jsonb({ cpu: null, p95: 1.5, s: 'é' }))).toEqual(Buffer.concat([int32(json.length + 1), Buffer.from([1]), json]));
  });

  it('writes a 1-D array with its header, and an empty one with no dimensions (as array_send)', () => {
    const elems = Buffer.concat([int32(8), f8(0.1), int32(8), f8(-2)]);
    const header = Buffer.concat([int32(1), int32(0), int32(OID.float8), int32(2), int32(1)]);
    expect(body((w) => w.array(OID.float8, [0.1, -2], float8Element))).toEqual(Buffer.concat([int32(header.length + elems.length), header, elems]));
    expect(body((w) => w.array(OID.text, [], textElement))).toEqual(Buffer.concat([int32(12), int32(0), int32(0), int32(OID.text)]));
    const bools = body((w) => w.array(OID.bool, [true, false], boolElement));
    expect(bools.subarray(4 + 8, 4 + 12)).toEqual(int32(OID.bool));
    expect(bools.subarray(4 + 20)).toEqual(Buffer.from([0, 0, 0, 1, 1, 0, 0, 0, 1, 0]));
  });

  it('grows past its initial buffer without losing what it wrote, array lengths included', () => {
    const w = new BinaryCopyWriter(64);
    const xs = Array.from({ length: 1000 }, (_, i) => i / 3);
    w.row(2).text('x'.repeat(100)).array(OID.float8, xs, float8Element);
    const out = w.finish();
    const at = HEADER.length + 2 + 4 + 100;
    expect(out.readInt32BE(at)).toBe(20 + xs.length * 12);
    expect(out.readInt32BE(at + 16)).toBe(xs.length);
    expect(out.readDoubleBE(at + 4 + 20 + 999 * 12 + 4)).toBe(999 / 3);
    expect(out.length).toBe(at + 4 + 20 + xs.length * 12 + 2);
  });
});

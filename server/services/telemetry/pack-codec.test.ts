import { describe, expect, it } from 'vitest';
import type { RecordedSample } from '../../domain/replay';
import { decodeInto, encodePack, isRawPack, packRecords, rawPack } from './pack-codec';
import { packValues, RECORD } from './pack-values';
import { PACK_RECORD_BYTES, unpack } from './telemetry-pack';

// A deterministic generator (no Math.random: a failure must reproduce).
function lcg(seed: number) {
  let x = seed >>> 0;
  return () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** A raw pack (PACK_SQL's big-endian float8 records) whose field `k` of record `i` is `value(i, k)`. */
function rawOf(records: number, value: (i: number, k: number) => number): Buffer {
  const b = Buffer.alloc(records * PACK_RECORD_BYTES);
  for (let i = 0; i < records; i++) for (let k = 0; k < RECORD; k++) b.writeDoubleBE(value(i, k), i * PACK_RECORD_BYTES + k * 8);
  return b;
}

const T0 = Date.UTC(2026, 11, 3, 7, 0, 0);

/** Every form and its corners: constants (NaN, -0 too), bytes, shorts, steps, float4s, float8s with NULLs and -0. */
function minute(records: number, rnd: () => number): Buffer {
  return rawOf(records, (i, k) => {
    if (k === 0) return T0 + i * 1000 + (i % 7 === 3 ? 1 : 0);
    if (k === 1) return 1;
    if (k === 2) return NaN;
    if (k === 3) return -0;
    if (k === 4) return Math.floor(rnd() * 256);
    if (k === 5) return Math.floor(rnd() * 65536);
    if (k === 6) return Math.fround(rnd() * 1000);
    if (k === 7) return rnd() < 0.2 ? NaN : rnd() * 1000;
    // An integer column with one -0 keeps its sign: not a byte column.
    if (k === 8) return i === 3 ? -0 : Math.floor(rnd() * 10);
    // One value past a uint16: float4.
    if (k === 9) return i === 5 ? 70_000 : 12;
    // Steps that are not whole: not steps.
    if (k === 10) return 1000 + i * 0.5;
    if (k === 11) return rnd() < 0.5 ? 0 : 1000;
    return (rnd() - 0.3) * 500;
  });
}

describe('encodePack', () => {
  it('gives back every raw byte, for each form of field', () => {
    const rnd = lcg(7);
    for (const n of [1, 2, 37, 60]) {
      const raw = minute(n, rnd);
      const lean = encodePack(raw);
      expect(isRawPack(lean)).toBe(false);
      expect(packRecords(lean)).toBe(n);
      expect(rawPack(lean).equals(raw)).toBe(true);
    }
  });

  it('is smaller than the raw records for a minute of the bench fleet\'s kind of sample', () => {
    // Fields that stay put all minute, small integers, times a second apart and a few fractions.
    const raw = rawOf(60, (i, k) => (k === 0 ? T0 + i * 1000 : k < 6 ? 50 + ((i * 31) % 100) : k < 15 ? 70 : k < 20 ? ((i * 7) % 100) / 137 : 100));
    const lean = encodePack(raw);
    expect(lean.length).toBeLessThan(raw.length / 3);
    expect(rawPack(lean).equals(raw)).toBe(true);
  });

  it('leaves a lean pack as it is, and an empty raw pack decodes to no records', () => {
    const lean = encodePack(minute(5, lcg(1)));
    expect(encodePack(lean)).toBe(lean);
    expect(packRecords(Buffer.alloc(0))).toBe(0);
  });

  it('refuses a lean pack that is cut short or has an unknown form', () => {
    const lean = encodePack(minute(10, lcg(2)));
    const v = new Float64Array(10 * RECORD);
    expect(() => decodeInto(Buffer.concat([lean, Buffer.from([0])]), v, 0)).toThrow(/holds/);
    const bad = Buffer.from(lean);
    bad[3] = 9;
    expect(() => decodeInto(bad, v, 0)).toThrow(/unknown field form/);
    expect(() => decodeInto(lean, new Float64Array(5 * RECORD), 0)).toThrow(/longer than its space/);
  });
});

describe('packs of both layouts', () => {
  it('packValues gives the same values for lean packs, raw packs and a mix, at odd byte offsets', () => {
    const rnd = lcg(11);
    const raws = [minute(60, rnd), minute(60, rnd), minute(29, rnd)];
    const at3 = (p: Buffer) => {
      const host = Buffer.alloc(p.length + 3);
      p.copy(host, 3);
      return host.subarray(3);
    };
    const expected = packValues(raws.map(at3));
    const mixed = packValues([encodePack(raws[0]!), raws[1]!, encodePack(raws[2]!)].map(at3));
    const lean = packValues(raws.map((r) => at3(encodePack(r))));
    const bitsOf = (v: Float64Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    expect(bitsOf(mixed).equals(bitsOf(expected))).toBe(true);
    expect(bitsOf(lean).equals(bitsOf(expected))).toBe(true);
  });

  it('unpack reads a lean pack as the raw one it came from (the serial reference reads both)', () => {
    const raw = minute(60, lcg(5));
    const a: RecordedSample[] = [];
    const b: RecordedSample[] = [];
    unpack(raw, -Infinity, Infinity, undefined, a);
    unpack(encodePack(raw), -Infinity, Infinity, undefined, b);
    expect(b).toEqual(a);
    expect(b).toHaveLength(60);
  });
});

import { describe, expect, it } from 'vitest';
import { telemetryOf, type RecordedSample } from '../../domain/replay';
import { packValues, RECORD, recordAt, recordEffectiveWeight, RecordTelemetry, sampleAt } from './pack-values';
import { PACK_RECORD_BYTES, unpack, type FirstStates } from './telemetry-pack';

// A deterministic generator (no Math.random: a failure must reproduce).
function lcg(seed: number) {
  let x = seed >>> 0;
  return () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/**
 * `records` packed samples one second apart from `t0`, as the rollup's PACK_SQL writes them
 * (big-endian float8, NULL as NaN), with the corners the decoding must keep: NULL inputs, ages
 * that are 0, non-zero or NULL, records without stage inputs, -0, fractions.
 */
function pack(t0: number, records: number, rnd: () => number): Buffer {
  const b = Buffer.alloc(records * PACK_RECORD_BYTES);
  const value = (k: number) => {
    const r = rnd();
    if (r < 0.1) return NaN;
    if (r < 0.13) return -0;
    if (k >= 12 && k <= 14) return r < 0.55 ? 0 : r < 0.8 ? 1000 : 2000 * rnd();
    if (k >= 30) return r < 0.6 ? 0 : 1;
    return (rnd() - 0.2) * 500;
  };
  for (let i = 0; i < records; i++) {
    const o = i * PACK_RECORD_BYTES;
    b.writeDoubleBE(t0 + i * 1000, o);
    b.writeDoubleBE(rnd() < 0.2 ? 0 : 1, o + 8);
    for (let k = 2; k < RECORD; k++) b.writeDoubleBE(value(k), o + 8 * k);
    if (i % 17 === 5) b.writeDoubleBE(-0, o + 16);
    // A row from before the stage inputs were recorded: no inputs, outputs or blocked flags.
    if (rnd() < 0.15) for (let k = 20; k < RECORD; k++) b.writeDoubleBE(NaN, o + 8 * k);
  }
  return b;
}

const first: FirstStates = { targetWeight: 42, degradation: 2, breaker: 'half-open', stageState: ['active', 'blocked', 'idle', 'active', 'idle'], recomputeAgeMs: 7000 };

describe('packValues', () => {
  it('gives every record unpack gives, field for field (first sample with its states, the rest without)', () => {
    const rnd = lcg(14);
    const t0 = Date.UTC(2026, 11, 2, 12, 0, 0);
    // Packs of odd sizes, so the copies land at offsets that are not a multiple of the record.
    const packs = [pack(t0, 60, rnd), pack(t0 + 60_000, 37, rnd), pack(t0 + 97_000, 1, rnd)];
    // Views at odd byte offsets, as the COPY output hands them over.
    const views = packs.map((p) => {
      const host = Buffer.alloc(p.length + 3);
      p.copy(host, 3);
      return host.subarray(3);
    });
    const expected: RecordedSample[] = [];
    for (const p of packs) unpack(p, -Infinity, Infinity, first, expected);
    const v = packValues(views);
    expect(v.length / RECORD).toBe(98);
    const got = expected.map((_, i) => sampleAt(v, i, i === 0 ? first : undefined));
    expect(got).toEqual(expected);
    // toEqual takes -0 and 0 as different, NaN as equal to itself: check both appear.
    expect(expected.some((s) => Object.is(s.rtMs, -0))).toBe(true);
    expect(expected.some((s) => s.stageInputs.length === 0)).toBe(true);
    for (let i = 0; i < expected.length; i++) {
      expect(recordAt(v, i)).toBe(expected[i]!.at);
      expect(Object.is(recordEffectiveWeight(v, i), expected[i]!.effectiveWeight)).toBe(true);
    }
  });

  it('refuses a pack that is not whole records', () => {
    expect(() => packValues([Buffer.alloc(PACK_RECORD_BYTES + 8)])).toThrow(/not whole records/);
  });

  it('gives nothing for no packs', () => {
    expect(packValues([]).length).toBe(0);
  });
});

describe('RecordTelemetry', () => {
  it('reads each record as telemetryOf reads the unpacked sample, reusing one object', () => {
    const rnd = lcg(7);
    const p = pack(Date.UTC(2026, 11, 2, 12, 0, 0), 400, rnd);
    const samples: RecordedSample[] = [];
    unpack(p, -Infinity, Infinity, undefined, samples);
    const v = packValues([p]);
    const reader = new RecordTelemetry();
    const seen = new Set<object>();
    let withStages = 0;
    let measured = 0;
    for (let i = 0; i < samples.length; i++) {
      const t = reader.read('instance-a', v, i);
      seen.add(t);
      const expected = telemetryOf('instance-a', samples[i]!);
      // The reused object names every field (absent ones as undefined); the values are what count.
      const defined = Object.fromEntries(Object.entries({ ...t, stages: t.stages?.map((s) => ({ ...s })) }).filter(([, x]) => x !== undefined));
      expect(defined).toEqual(expected);
      for (const k of Object.keys(expected) as Array<keyof typeof expected>) if (typeof expected[k] === 'number') expect(Object.is(t[k], expected[k])).toBe(true);
      if (expected.stages) withStages++;
      if (expected.cpuPct !== undefined) measured++;
    }
    expect(seen.size).toBe(1);
    expect(withStages).toBeGreaterThan(0);
    expect(withStages).toBeLessThan(samples.length);
    expect(measured).toBeGreaterThan(0);
  });
});

describe('packValues into an array', () => {
  it('writes into the start of an array long enough and gives a new one otherwise', () => {
    const rnd = lcg(3);
    const p = pack(Date.UTC(2026, 11, 2, 12, 0, 0), 10, rnd);
    const fresh = packValues([p]);
    const big = new Float64Array(fresh.length * 2).fill(123);
    const into = packValues([p], big);
    expect(into.buffer).toBe(big.buffer);
    expect([...into]).toEqual([...fresh]);
    expect(big[fresh.length]).toBe(123);
    const small = new Float64Array(fresh.length - 1);
    const grown = packValues([p], small);
    expect(grown.buffer).not.toBe(small.buffer);
    expect([...grown]).toEqual([...fresh]);
  });
});

import { describe, expect, it } from 'vitest';
import { encodePack } from './pack-codec';
import { packValues, RECORD } from './pack-values';
import { RecordArena } from './record-arena';
import { PACK_RECORD_BYTES } from './telemetry-pack';

function lcg(seed: number) {
  let x = seed >>> 0;
  return () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** `n` raw records (big-endian float8s) with NULLs (NaN), -0 and fractions. */
function raw(n: number, rnd: () => number): Buffer {
  const b = Buffer.alloc(n * PACK_RECORD_BYTES);
  for (let i = 0; i < n * RECORD; i++) {
    const r = rnd();
    b.writeDoubleBE(i % RECORD === 0 ? 1.7e12 + i : r < 0.1 ? NaN : r < 0.15 ? -0 : r < 0.5 ? Math.round(r * 100) : r * 1000, i * 8);
  }
  return b;
}

const bitsOf = (v: Float64Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);

describe('RecordArena', () => {
  it('gives each instance the values packValues gives for its packs, lean or raw, across a growth of its array', () => {
    const rnd = lcg(3);
    const packs = { a: [raw(60, rnd), raw(7, rnd)], b: [raw(60, rnd)], c: [raw(1, rnd), raw(60, rnd), raw(30, rnd)] };
    // Room for 10 records at first: it grows several times on the way.
    const arena = new RecordArena(10);
    for (const round of [0, 1]) {
      arena.reset();
      for (const [id, ps] of Object.entries(packs)) {
        arena.startInstance(id);
        ps.forEach((p, k) => arena.addPack(k % 2 === round ? encodePack(p) : p));
      }
      expect(arena.ids).toEqual(['a', 'b', 'c']);
      for (const [k, ps] of Object.values(packs).entries()) expect(bitsOf(arena.values(k)).equals(bitsOf(packValues(ps)))).toBe(true);
    }
  });

  it('starts over at a reset: no instance is left', () => {
    const arena = new RecordArena(4);
    arena.startInstance('a');
    arena.addPack(raw(3, lcg(1)));
    arena.reset();
    expect(arena.instances).toBe(0);
    arena.startInstance('b');
    expect(arena.values(0).length).toBe(0);
  });
});

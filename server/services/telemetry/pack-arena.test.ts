import { describe, expect, it } from 'vitest';
import { PackArena } from './pack-arena';

const filled = (n: number, byte: number) => Buffer.alloc(n, byte);

describe('PackArena', () => {
  it('hands out buffers that do not overlap, and keeps those taken before it grew', () => {
    const arena = new PackArena(16);
    const taken: Array<[Buffer, number]> = [];
    // 6 + 6 fit in 16 bytes; the third makes it grow; the fourth is larger than the doubled size.
    for (const [n, byte] of [[6, 1], [6, 2], [6, 3], [40, 4], [3, 5]] as const) {
      const b = arena.take(n);
      expect(b.length).toBe(n);
      filled(n, byte).copy(b);
      taken.push([b, byte]);
    }
    for (const [b, byte] of taken) expect(b.equals(filled(b.length, byte))).toBe(true);
  });

  it('starts over at a reset: the next buffer reuses the same memory', () => {
    const arena = new PackArena(16);
    const first = arena.take(8);
    first.fill(7);
    arena.reset();
    const again = arena.take(8);
    again.fill(9);
    expect(again.buffer).toBe(first.buffer);
    expect(again.byteOffset).toBe(first.byteOffset);
    expect([...first]).toEqual(Array(8).fill(9));
  });
});

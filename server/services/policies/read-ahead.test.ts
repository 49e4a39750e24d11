import { describe, expect, it } from 'vitest';
import { chunkFor, readAhead } from './read-ahead';

/** Reads that end when the test says so, with a log of what started and ended. */
function manualReads() {
  const log: string[] = [];
  const pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  let inFlight = 0;
  let maxInFlight = 0;
  const read = (c: number, arena: string) => {
    log.push(`start ${c} ${arena}`);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    return new Promise<void>((resolve, reject) => {
      pending.set(c, {
        resolve: () => { inFlight--; log.push(`end ${c}`); resolve(); },
        reject: (e) => { inFlight--; reject(e); },
      });
    });
  };
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return { log, pending, read, settle, max: () => maxInFlight };
}

describe('readAhead', () => {
  it('runs two reads at once, in order, and reuses an arena only once its chunk is released', async () => {
    const m = manualReads();
    const ra = readAhead(7, ['a', 'b', 'c', 'd'], 2, m.read);
    await m.settle();
    expect(m.log).toEqual(['start 0 a', 'start 1 b']);
    m.pending.get(1)!.resolve();
    await m.settle();
    // Chunk 2 waits for chunk 0's read; chunk 3, whose turn has come, starts after chunk 2.
    expect(m.log).toEqual(['start 0 a', 'start 1 b', 'end 1']);
    m.pending.get(0)!.resolve();
    await m.settle();
    expect(await ra.chunk(0)).toBe('a');
    expect(m.log.slice(3)).toEqual(['end 0', 'start 2 c', 'start 3 d']);
    m.pending.get(2)!.resolve();
    m.pending.get(3)!.resolve();
    await m.settle();
    // Chunk 4 goes into arena a: not before chunk 0 is released.
    expect(m.log).not.toContain('start 4 a');
    ra.release(0);
    await m.settle();
    expect(m.log.at(-1)).toBe('start 4 a');
    // Chunk 5 (arena b) waits for chunk 1's release though its turn to start has come.
    expect(m.log).not.toContain('start 5 b');
    ra.release(1);
    await m.settle();
    expect(m.log.at(-1)).toBe('start 5 b');
    expect(m.max()).toBe(2);
  });

  it('after cancel, no read starts: the reads waiting for an arena fail', async () => {
    const m = manualReads();
    const ra = readAhead(4, ['a', 'b'], 2, m.read);
    await m.settle();
    m.pending.get(0)!.resolve();
    m.pending.get(1)!.resolve();
    await m.settle();
    ra.cancel();
    ra.release(0);
    ra.release(1);
    await expect(ra.chunk(2)).rejects.toThrow('the preview ended');
    await expect(ra.chunk(3)).rejects.toThrow('the preview ended');
    expect(m.log.filter((l) => l.startsWith('start'))).toEqual(['start 0 a', 'start 1 b']);
  });

  it('a failed read fails the reads after it and starts none of them', async () => {
    const m = manualReads();
    const ra = readAhead(5, ['a', 'b', 'c'], 2, m.read);
    await m.settle();
    m.pending.get(0)!.reject(new Error('not an instance id'));
    m.pending.get(1)!.resolve();
    await expect(ra.chunk(0)).rejects.toThrow('not an instance id');
    await expect(ra.chunk(2)).rejects.toThrow('not an instance id');
    await expect(ra.chunk(4)).rejects.toThrow('not an instance id');
    await expect(ra.chunk(1)).resolves.toBe('b');
    expect(m.log.filter((l) => l.startsWith('start'))).toEqual(['start 0 a', 'start 1 b']);
  });
});

describe('chunkFor', () => {
  it('keeps a chunk near 480 instance-minutes, 4 to 64 instances', () => {
    expect([1, 5, 10, 15, 60, 120].map(chunkFor)).toEqual([64, 64, 48, 32, 8, 4]);
  });
});

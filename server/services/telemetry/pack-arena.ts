// Where the what-if preview keeps the packs it reads until it replays them.
/**
 * A reusable buffer that packs are copied into as they arrive (PackArena.take), instead of being
 * kept as views into the COPY output. A view keeps the whole socket read it sits in (~45 KB)
 * alive until the pack is replayed: ~70 MB of them per preview of 1,000 instances outlived the
 * young generation, and the collector then ran full collections of the process's heap for the
 * external memory (about two per preview). Copied, each read dies young.
 */
export class PackArena {
  private buffer: Buffer;
  private used = 0;

  /** `bytes`: the first buffer's size (it doubles when full; a chunk of 15 minutes is ~1 MB). */
  constructor(bytes = 1 << 20) {
    this.buffer = Buffer.allocUnsafe(bytes);
  }

  /** Starts over: every buffer taken before is given back (its owner must be done with it). */
  reset(): void {
    this.used = 0;
  }

  /** `n` bytes of the arena, valid until the next reset (a bigger arena replaces a full one; views of the old stay valid). */
  take(n: number): Buffer {
    if (this.used + n > this.buffer.length) {
      this.buffer = Buffer.allocUnsafe(Math.max(2 * this.buffer.length, n));
      this.used = 0;
    }
    const out = this.buffer.subarray(this.used, this.used + n);
    this.used += n;
    return out;
  }
}

// The what-if preview's reads ahead of its replay: chunk c is read into arena c % arenas, at most
// `atOnce` reads at a time (each its own COPY on its own connection), and never into an arena
// whose last chunk is still in use (being replayed, or counted by the replay thread).

export interface ReadAhead<A> {
  /** Chunk c's arena once it is read (a failed read fails every read after it). */
  chunk(c: number): Promise<A>;
  /** Chunk c's arena may be written again. */
  release(c: number): void;
}

export function readAhead<A>(chunks: number, arenas: readonly A[], atOnce: number, read: (c: number, arena: A) => Promise<void>): ReadAhead<A> {
  const release: Array<() => void> = [];
  const released = Array.from({ length: chunks }, (_, c) => new Promise<void>((resolve) => (release[c] = resolve)));
  const reads: Array<Promise<A>> = [];
  // Chunk c's read starts once chunk c - 1's has started (reads start in order), chunk
  // c - atOnce's has ended (atOnce at once) and the chunk its arena held before is released.
  const starts: Array<Promise<unknown>> = [];
  for (let c = 0; c < chunks; c++) {
    const arena = arenas[c % arenas.length]!;
    const start = Promise.all([starts[c - 1], reads[c - atOnce], released[c - arenas.length]]);
    start.catch(() => undefined);
    starts.push(start);
    const p = start.then(() => read(c, arena)).then(() => arena);
    // Awaited only in turn, and the replay yields meanwhile: a failure until then would be an
    // unhandled rejection (it is thrown where it is awaited).
    p.catch(() => undefined);
    reads.push(p);
  }
  return { chunk: (c) => reads[c]!, release: (c) => release[c]!() };
}

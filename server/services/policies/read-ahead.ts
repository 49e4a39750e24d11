// The what-if preview's reads ahead of its replay: chunk c is read into arena c % arenas, at most
// `atOnce` reads at a time (each its own COPY on its own connection), and never into an arena
// whose last chunk is still in use (being replayed, or counted by the replay thread).

/**
 * Instance-minutes per fetch (32 instances at 15 minutes): the next chunks' COPYs run in
 * PostgreSQL while this process replays the current one. About 2 MB of packs and 8.6 MB of
 * decoded records: one statement stays well inside the statement timeout on a busy machine (64
 * instances' 16 MB of raw packs did not, at 5 s), and the arenas hold about that whatever the
 * window. 32 instances, not 16: each statement is planned and its unpacked minutes found anew;
 * at 10,000 instances over 15 minutes, 16 per chunk took a median 7.1 s in wall and 32 took 6.0 s
 * (6 interleaved runs on a noisy 2-core machine).
 */
const CHUNK_INSTANCE_MINUTES = 480;
/** Instances per fetch over `minutes`: CHUNK_INSTANCE_MINUTES' worth, 4 to 64 (the ids are in the statement). */
export const chunkFor = (minutes: number): number => Math.min(64, Math.max(4, Math.floor(CHUNK_INSTANCE_MINUTES / minutes)));

export interface ReadAhead<A> {
  /** Chunk c's arena once it is read (a failed read fails every read not started yet). */
  chunk(c: number): Promise<A>;
  /** Chunk c's arena may be written again. */
  release(c: number): void;
  /** No read starts any more (the preview failed or ended): those not started fail. */
  cancel(): void;
}

export function readAhead<A>(chunks: number, arenas: readonly A[], atOnce: number, read: (c: number, arena: A) => Promise<void>): ReadAhead<A> {
  const release: Array<() => void> = [];
  const released = Array.from({ length: chunks }, (_, c) => new Promise<void>((resolve) => (release[c] = resolve)));
  const reads: Array<Promise<A>> = [];
  // Chunk c's read starts once chunk c - 1's has started (reads start in order), chunk
  // c - atOnce's has ended (atOnce at once) and the chunk its arena held before is released.
  const starts: Array<Promise<unknown>> = [];
  let cancelled = false;
  const open = () => {
    if (cancelled) throw new Error('the preview ended before this chunk was read');
  };
  for (let c = 0; c < chunks; c++) {
    const arena = arenas[c % arenas.length]!;
    const start = Promise.all([starts[c - 1], reads[c - atOnce], released[c - arenas.length]]).then(open);
    start.catch(() => undefined);
    starts.push(start);
    const p = start.then(() => read(c, arena)).then(() => arena);
    // Awaited only in turn, and the replay yields meanwhile: a failure until then would be an
    // unhandled rejection (it is thrown where it is awaited).
    p.catch(() => undefined);
    reads.push(p);
  }
  return {
    chunk: (c) => reads[c]!,
    release: (c) => release[c]!(),
    cancel: () => {
      cancelled = true;
    },
  };
}

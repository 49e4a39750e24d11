// The embedded PostgreSQL's server settings, sized for a long-running server on this machine.
import { totalmem } from 'node:os';

/**
 * shared_buffers for this machine: an eighth of its memory, at least 512 MB, at most 2 GB (only
 * the pages PostgreSQL touches are ever resident). A what-if preview of 15 minutes at 10,000
 * instances reads ~800 MB of packs: with 512 MB every read missed and copied its page in again
 * from the OS cache (PostgreSQL CPU for the packs 4.5-5.7 s, the whole read 8.5-9.0 s, 3 runs);
 * with 2 GB they stay (1.7-3.6 s and 4.5-6.9 s, 3 runs, same data, load 7-13 on 2 cores).
 */
export function sharedBuffersFor(memoryBytes: number): string {
  const mb = Math.floor(memoryBytes / 8 / 2 ** 20);
  return `${Math.min(2048, Math.max(512, mb))}MB`;
}

/**
 * Server settings for a long-running embedded PostgreSQL (`npm start`, and the benchmarks, so they
 * measure what runs). At 10,000 instances the telemetry tick writes ~12 MB of WAL a second: the
 * default max_wal_size (1 GB) forced a checkpoint every few minutes. A larger budget and a longer
 * timeout space checkpoints out (one every ~3 minutes at 10k: a checkpoint starts once WAL since
 * the last reaches max_wal_size / (1 + checkpoint_completion_target), ~2.1 GB).
 */
export const SERVER_SETTINGS: Readonly<Record<string, string>> = {
  // The tick's insert working set at 10k (the newest key page of each instance, the heap's tail)
  // must stay in shared buffers, and so should the packs a what-if preview reads (above).
  shared_buffers: sharedBuffersFor(totalmem()),
  // Room for the ~100 MB of WAL of the tick after a checkpoint starts (below, uncompressed), so
  // the WAL writer, not the tick's own backend, writes it out (the default is 1/32 of
  // shared_buffers, 16 MB; an ordinary tick writes ~12 MB).
  wal_buffers: '128MB',
  max_wal_size: '4GB',
  checkpoint_timeout: '15min',
  checkpoint_completion_target: '0.9',
  // Off: after a checkpoint starts, the next tick's first touch of every instance's newest key
  // page (TelemetrySample's primary key and StateTransition's ("instanceId", at) index are both by
  // instance, then time) writes a full-page image, ~11,000 in one tick at 10k. pglz compressed
  // them on the tick's own backend, inside its COPY: that tick took 0.7-1.6 s more than its
  // neighbours (3 runs), 0.3-1.2 s more uncompressed (2 runs; machine at load 4-11 on 2 cores,
  // so a weak signal). Uncompressed it writes ~96 MB of WAL instead of ~40, ~3 % more WAL over
  // the ~2 GB between two checkpoints.
  wal_compression: 'off',
};

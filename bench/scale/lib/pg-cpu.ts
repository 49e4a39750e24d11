// PostgreSQL's own CPU time, for benchmarks whose database runs on this machine (embedded): on 2
// cores the what-if preview at 10,000 instances spends about as much CPU in PostgreSQL (reading
// the packs and packing the newest minute) as in the replay, so the process's own cpuUsage tells
// only half of it. Linux only (/proc); null elsewhere or when /proc is not readable.
import { readdirSync, readFileSync } from 'node:fs';
import type pg from 'pg';

const TICK_MS = 10; // USER_HZ is 100 on every Linux this runs on

/** utime, stime, cutime, cstime (clock ticks) and the parent of `pid`, from /proc/<pid>/stat. */
function stat(pid: number): { self: number; reaped: number; ppid: number } | null {
  try {
    // The command name (field 2) may hold spaces: the fields after it start past the last ')'.
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), self: Number(f[11]) + Number(f[12]), reaped: Number(f[13]) + Number(f[14]) };
  } catch {
    return null;
  }
}

/**
 * A reader of the server's CPU time so far (ms): the postmaster's reaped children (ended
 * backends, parallel workers) and its live ones (this pool's backends, io workers, the
 * checkpointer…). Differences of two readings are what the server spent in between.
 */
export async function pgCpuReader(pool: pg.Pool): Promise<(() => number) | null> {
  if (process.platform !== 'linux') return null;
  const { rows } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const postmaster = stat(rows[0]!.pid)?.ppid;
  if (postmaster === undefined) return null;
  return () => {
    let ticks = stat(postmaster)?.reaped ?? 0;
    for (const entry of readdirSync('/proc')) {
      const pid = Number(entry);
      if (!Number.isInteger(pid)) continue;
      const s = stat(pid);
      if (s?.ppid === postmaster) ticks += s.self;
    }
    return ticks * TICK_MS;
  };
}

// The processes of an embedded PostgreSQL cluster: is its owner alive, which processes run on a
// data dir, and how to clear an instance that a SIGKILLed parent left running.
import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Owner {
  pid: number;
  start: string | null;
}

/** Kernel start time of a process (Linux /proc); with the pid it identifies a process despite pid reuse. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** Whether a process exists (EPERM: it exists but belongs to another user). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export const isSameProcess = (o: Owner) => alive(o.pid) && (o.start === null || processStartTime(o.pid) === o.start);

/**
 * Every process whose working directory is the data dir: the postmaster chdirs there and all its
 * children inherit it, so this finds an orphaned server and its backends without trusting
 * postmaster.pid (whose pid may have been reused by an unrelated process after a reboot).
 */
function processesIn(dataDir: string): number[] {
  if (!existsSync('/proc/self/cwd')) {
    // Not Linux: fall back to the pid file.
    const pid = readPostmasterPid(dataDir);
    return pid !== null && alive(pid) ? [pid] : [];
  }
  const real = realpathSync(dataDir);
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (readlinkSync(`/proc/${pid}/cwd`) === real) found.push(pid);
    } catch {
      // gone meanwhile, or not ours to inspect
    }
  }
  return found;
}

function readPostmasterPid(dataDir: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0] ?? '', 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

async function waitGone(pids: number[], ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!pids.some(alive)) return true;
    await sleep(50);
  }
  return !pids.some(alive);
}

/**
 * Before starting on an existing data dir: stop a server a SIGKILLed parent left running, or
 * remove the postmaster.pid of one that died with it. Returns what it did (null: nothing to do);
 * throws only when a live process still owns the cluster (we never kill someone else's server).
 */
export async function recoverStaleInstance(dataDir: string, ownerFile: string): Promise<string | null> {
  const pidFile = join(dataDir, 'postmaster.pid');
  const recorded = readPostmasterPid(dataDir);
  const leftovers = processesIn(dataDir);
  if (leftovers.length === 0) {
    if (!existsSync(pidFile)) return null;
    rmSync(pidFile, { force: true });
    return `recovered: removed a stale postmaster.pid (pid ${recorded ?? '?'} no longer runs this cluster)`;
  }
  const ownerPath = join(dataDir, ownerFile);
  const owner = existsSync(ownerPath) ? (JSON.parse(readFileSync(ownerPath, 'utf8')) as Owner) : null;
  if (owner && owner.pid !== process.pid && isSameProcess(owner)) {
    throw new Error(`the PostgreSQL in ${dataDir} is in use by the running process ${owner.pid}; stop it first or use another data directory.`);
  }
  const postmaster = recorded !== null && leftovers.includes(recorded) ? recorded : leftovers[0]!;
  process.kill(postmaster, 'SIGINT'); // fast shutdown: aborts sessions, writes a clean checkpoint
  if (!(await waitGone(leftovers, 15_000))) {
    for (const pid of leftovers.filter(alive)) process.kill(pid, 'SIGQUIT'); // immediate shutdown
    if (!(await waitGone(leftovers, 5_000))) for (const pid of leftovers.filter(alive)) process.kill(pid, 'SIGKILL');
    await waitGone(leftovers, 5_000);
  }
  rmSync(pidFile, { force: true });
  return `recovered: stopped the PostgreSQL (pid ${postmaster}) a previous run left behind`;
}

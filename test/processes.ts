// Child processes for the kill tests: real workers (`server/jobs/main.ts`) and a stand-in run
// controller that only renews leases. Each is stopped by its own PID, never by name.
import { spawn, type ChildProcess } from 'node:child_process';

export interface Child {
  child: ChildProcess;
  exited: Promise<void>;
  output: () => string;
}

function track(child: ChildProcess): Child {
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return { child, exited, output: () => out };
}

/** A real worker process (graphile-worker, the task registry and, unless turned off, the telemetry loop). */
export function spawnWorker(url: string, env: Record<string, string> = {}): Child {
  return track(
    spawn(process.execPath, ['--import', 'tsx', 'server/jobs/main.ts'], {
      env: { ...process.env, DATABASE_URL: url, SWITCHBACK_WORKER_CONCURRENCY: '1', SWITCHBACK_TICK_MS: '250', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
}

/**
 * A process that renews the leases of the given Injection rows every `everyMs` by `leaseMs`, as a
 * run controller does, printing "renewed <rows>" after each renewal. It takes a moment to start:
 * give the rows a longer first lease and wait for `renewedOnce`. Its session is in UTC, as the app's
 * are (poolConfig in server/db/client.ts): the lease is a timestamp column, and in a session that
 * took the server's TimeZone (initdb takes the host's; America/Los_Angeles) clock_timestamp() was
 * stored 8 h early, so the leader took every renewed lease for lapsed and removed the fault at once.
 */
export function spawnLeaseHolder(url: string, ids: string[], leaseMs: number, everyMs: number): Child {
  const script = `
    const pg = require('pg');
    const c = new pg.Client({ connectionString: process.env.SB_URL, options: '-c TimeZone=UTC' });
    const ids = JSON.parse(process.env.SB_IDS);
    c.connect().then(() => setInterval(() => {
      c.query('UPDATE "Injection" SET "leaseExpiresAt" = clock_timestamp() + $2 * interval \\'1 millisecond\\' WHERE id = ANY($1::uuid[]) AND desired AND "removedAt" IS NULL', [ids, ${Number(leaseMs)}])
        .then((r) => console.log('renewed ' + r.rowCount), (e) => console.error(e.message));
    }, ${Number(everyMs)}));`;
  return track(spawn(process.execPath, ['-e', script], { env: { ...process.env, SB_URL: url, SB_IDS: JSON.stringify(ids) }, stdio: ['ignore', 'pipe', 'pipe'] }));
}

export async function sigkill(c: Child): Promise<void> {
  if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
  await c.exited;
}

/** Whether the holder has renewed at least one row (its own first lease applies from then on). */
export const renewedOnce = (c: Child) => /renewed [1-9]/.test(c.output());

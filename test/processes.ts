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
 * run controller does, printing "renewed" after each renewal.
 */
export function spawnLeaseHolder(url: string, ids: string[], leaseMs: number, everyMs: number): Child {
  const script = `
    const pg = require('pg');
    const c = new pg.Client({ connectionString: process.env.SB_URL });
    const ids = JSON.parse(process.env.SB_IDS);
    c.connect().then(() => setInterval(() => {
      c.query('UPDATE "Injection" SET "leaseExpiresAt" = clock_timestamp() + $2 * interval \\'1 millisecond\\' WHERE id = ANY($1::uuid[]) AND desired AND "removedAt" IS NULL', [ids, ${Number(leaseMs)}])
        .then(() => console.log('renewed'), (e) => console.error(e.message));
    }, ${Number(everyMs)}));`;
  return track(spawn(process.execPath, ['-e', script], { env: { ...process.env, SB_URL: url, SB_IDS: JSON.stringify(ids) }, stdio: ['ignore', 'pipe', 'pipe'] }));
}

export async function sigkill(c: Child): Promise<void> {
  if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
  await c.exited;
}

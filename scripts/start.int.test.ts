// `npm start` as a user runs it: in a terminal (a process group of its own), stopped with Ctrl-C
// (SIGINT to that whole group) or lost to a SIGKILL. Uses the production build; when the build is
// not current the supervisor builds it first (minutes, once — the e2e suite then reuses it).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupervisorLock } from './lib/database';
import { freePort } from '../test/free-port';

const isRoot = process.getuid?.() === 0;
let dataDir: string;
const started: ChildProcess[] = [];
const pids = new Set<number>();


const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Every process whose working directory is the PostgreSQL data dir (the postmaster and its children). */
function processesIn(dir: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      if (readlinkSync(`/proc/${pid}/cwd`) === dir) found.push(pid);
    } catch {
      // gone, or not ours to see
    }
  }
  return found;
}

let ports: { web: number; pg: number };
const lockFile = () => join(dataDir, 'supervisor.json');
const readLock = () => JSON.parse(readFileSync(lockFile(), 'utf8')) as SupervisorLock;

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Every line it wrote has been read: 'exit' can come before the last output is (CI lost the stop's last lines). */
  closed: Promise<void>;
}

function npmStart(): Run {
  // NODE_ENV: not vitest's "test"; a terminal has none, which means production.
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', SWITCHBACK_DATA_DIR: dataDir, PORT: String(ports.web), SWITCHBACK_PG_PORT: String(ports.pg), DATABASE_URL: '' };
  // detached: a process group of its own, as a terminal gives the job it runs.
  const child = spawn('npm', ['start'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
  started.push(child);
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  const closed = new Promise<void>((r) => child.once('close', () => r()));
  return { child, output: () => out, exited, closed };
}

async function ready(run: Run) {
  await expect.poll(() => /switchback │ stop\s+Ctrl-C/.test(run.output()) || run.child.exitCode !== null, { timeout: 900_000, interval: 250 }).toBe(true);
  if (run.child.exitCode !== null) throw new Error(`npm start exited early:\n${run.output().slice(-3000)}`);
  const lock = readLock();
  for (const p of [lock.pid, ...Object.values(lock.processes)]) pids.add(p);
  return lock;
}

const health = async () => {
  try {
    return (await fetch(`http://127.0.0.1:${ports.web}/api/health`, { signal: AbortSignal.timeout(3000) })).status;
  } catch {
    return 0;
  }
};

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'switchback-start-'));
  ports = { web: await freePort(), pg: await freePort() };
});
afterAll(() => {
  for (const c of started) {
    try {
      process.kill(-c.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const p of pids) if (alive(p)) process.kill(p, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('keeps its secrets private, restarts a crashed worker, and on Ctrl-C stops web, worker, PostgreSQL in order within the stated bound, leaving nothing behind', { timeout: 1_200_000 }, async () => {
    // An install from before the fix: a world-readable data folder and a lock file holding the URL.
    chmodSync(dataDir, 0o755);
    writeFileSync(lockFile(), JSON.stringify({ pid: 999_999_999, url: 'postgresql://postgres:old-secret@127.0.0.1:1/switchback' }), { mode: 0o644 });

    const run = npmStart();
    const lock = await ready(run);

    // Security: no password in the lock; the folder and the files that hold secrets are private.
    const password = readFileSync(join(dataDir, 'pg', 'switchback-superuser.password'), 'utf8').trim();
    const lockText = readFileSync(lockFile(), 'utf8');
    expect(lockText).not.toContain(password);
    expect(lockText).not.toMatch(/postgres(ql)?:\/\/|secret/);
    expect(lock).toMatchObject({ port: ports.web, pgPort: ports.pg });
    expect(Object.keys(lock.processes).sort()).toEqual(['postgres', 'web', 'worker']);
    const mode = (p: string) => statSync(p).mode & 0o777;
    // As root, PostgreSQL runs as the postgres user, which needs to pass through (x only).
    expect(mode(dataDir)).toBe(isRoot ? 0o701 : 0o700);
    expect(mode(lockFile())).toBe(0o600);
    expect(mode(join(dataDir, 'pg'))).toBe(0o700);
    expect(mode(join(dataDir, 'pg', 'switchback-superuser.password'))).toBe(0o600);

    // A worker crash: restarted after a short wait, the web server stays up.
    await expect.poll(health, { timeout: 60_000, interval: 500 }).toBe(200);
    process.kill(lock.processes.worker!, 'SIGKILL');
    await expect.poll(() => readLock().processes.worker ?? lock.processes.worker, { timeout: 30_000, interval: 200 }).not.toBe(lock.processes.worker);
    expect(run.output()).toMatch(/the worker exited \(SIGKILL\); restarting it in 1 s \(1 exit in the last 10 min\)/);
    expect(await health()).not.toBe(0);
    pids.add(readLock().processes.worker!);
    // Busy again (worker and web hold connections) before the stop.
    await expect.poll(health, { timeout: 60_000, interval: 500 }).toBe(200);
    const running = [lock.pid, lock.processes.web!, readLock().processes.worker!, lock.processes.postgres!];
    for (const p of running) expect(alive(p)).toBe(true);

    // Ctrl-C: SIGINT to the terminal's whole process group.
    const t0 = Date.now();
    process.kill(-run.child.pid!, 'SIGINT');
    const exit = await run.exited;
    const stopMs = Date.now() - t0;
    await run.closed;
    const out = run.output();
    const bound = Number(/stopping the web server, then the worker, then PostgreSQL \(at most (\d+) s\)/.exec(out)?.[1]);
    console.log(`[start.int] Ctrl-C → npm exited in ${stopMs} ms (stated bound ${bound} s):\n${out.slice(out.indexOf('Ctrl-C: stopping'))}`);
    // npm re-raises the SIGINT its script ended on, as a shell expects of a Ctrl-C'd job.
    expect(exit.code === 0 || exit.signal === 'SIGINT', JSON.stringify(exit)).toBe(true);
    expect(out).toMatch(/switchback │ stopped in [\d.]+ s\./);
    expect(bound).toBeGreaterThan(0);
    expect(bound).toBeLessThanOrEqual(25);
    expect(stopMs).toBeLessThan(bound * 1000);
    // In order, and PostgreSQL after its clients: none of them saw it go away under them.
    expect(out.indexOf('web server stopped')).toBeGreaterThan(-1);
    expect(out.indexOf('web server stopped')).toBeLessThan(out.indexOf('worker stopped'));
    expect(out.indexOf('worker stopped')).toBeLessThan(out.indexOf('stopping PostgreSQL'));
    expect(out).not.toMatch(/terminating connection due to administrator command/i);
    expect(out).not.toMatch(/database connection lost|Connection terminated/i);
    for (const p of running) expect(alive(p), `pid ${p} is still running`).toBe(false);
    expect(processesIn(join(dataDir, 'pg'))).toEqual([]);
  });

  it('when the supervisor itself is SIGKILLed, web, worker and PostgreSQL notice and stop by themselves', { timeout: 300_000 }, async () => {
    const run = npmStart();
    const lock = await ready(run);
    // A tool finds the running database without a password in the lock (it reads the 0600 file).
    const user = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/user.ts', 'list'], {
      env: { ...process.env, NODE_ENV: 'production', SWITCHBACK_DATA_DIR: dataDir, SWITCHBACK_PG_PORT: String(ports.pg), DATABASE_URL: '' },
      encoding: 'utf8',
    });
    expect(user.stdout).toMatch(/^admin\s+admin\s+active$/m);
    const children = [lock.processes.web!, lock.processes.worker!, lock.processes.postgres!];
    process.kill(lock.pid, 'SIGKILL');
    await expect.poll(() => children.filter(alive), { timeout: 20_000, interval: 100 }).toEqual([]);
    expect(processesIn(join(dataDir, 'pg'))).toEqual([]);
    await run.exited;
  });
});

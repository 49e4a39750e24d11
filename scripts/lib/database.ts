import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { installJobSchema } from '../../server/db/job-schema';
import { applyMigrations } from '../../server/db/migrate';
import { alive, createDatabaseIfMissing, embeddedUrl, processStartTime, startEmbeddedPostgres } from './embedded-pg';
import { SERVER_SETTINGS } from './pg-settings';
import type { Env } from '../../server/env';

export interface ResolvedDatabase {
  url: string;
  embedded: boolean;
  describe: string;
  /** The postmaster of the embedded server this process started (null: not ours). */
  pid: number | null;
  stop(): Promise<void>;
}

const DB_NAME = 'switchback';

export const dataDirOf = (env: Env) => resolve(env.SWITCHBACK_DATA_DIR);
export const lockFileOf = (env: Env) => join(dataDirOf(env), 'supervisor.json');
const pgDirOf = (env: Env) => join(dataDirOf(env), 'pg');

/**
 * What a running `npm start` writes for other tools (and the next start) to find it. No secret:
 * the database password stays in the PostgreSQL data dir (0600); a tool on this machine that
 * needs the URL reads it from there with the same rights.
 */
export interface SupervisorLock {
  pid: number;
  /** Kernel start time of `pid`: tells it apart from a later process that got the same pid. */
  start: string | null;
  startedAt: string;
  port: number;
  pgPort: number;
  /** The processes it runs now (absent: not running, e.g. a worker waiting to be restarted). */
  processes: { web?: number; worker?: number; postgres?: number };
}

/** The running `npm start` of this data folder, if any (its PostgreSQL is then in use). */
export function runningSupervisor(env: Env): SupervisorLock | null {
  const f = lockFileOf(env);
  if (!existsSync(f)) return null;
  try {
    const lock = JSON.parse(readFileSync(f, 'utf8')) as SupervisorLock;
    if (lock.pid === process.pid || !alive(lock.pid)) return null;
    return lock.start && processStartTime(lock.pid) !== lock.start ? null : lock;
  } catch {
    return null;
  }
}

/**
 * The data folder holds the database and its password: only its owner may enter it (0700; as
 * root the postgres user gets the traverse bit on it later, see embedded-pg.ts) and every file
 * directly in it is 0600. Applied on every start, so installs made before this fix are fixed too.
 */
export function secureDataDir(env: Env): void {
  const dir = dataDirOf(env);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  for (const name of readdirSync(dir)) {
    const f = join(dir, name);
    if (statSync(f).isFile()) chmodSync(f, 0o600);
  }
}

/** Writes the lock (0600, no secret); returns an updater for the process list and a remover. */
export function writeSupervisorLock(env: Env, lock: Omit<SupervisorLock, 'pid' | 'start' | 'startedAt'>) {
  const f = lockFileOf(env);
  const state: SupervisorLock = { pid: process.pid, start: processStartTime(process.pid), startedAt: new Date().toISOString(), ...lock };
  const write = () => {
    writeFileSync(f, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
    chmodSync(f, 0o600); // mode applies only when the file is created
  };
  write();
  return {
    processes(p: SupervisorLock['processes']) {
      state.processes = { ...state.processes, ...p };
      for (const k of Object.keys(state.processes) as Array<keyof SupervisorLock['processes']>) if (state.processes[k] === undefined) delete state.processes[k];
      write();
    },
    release: () => rmSync(f, { force: true }),
  };
}

/**
 * DATABASE_URL when set; otherwise the embedded PostgreSQL in the data folder (started here, or
 * the one a running `npm start` already owns). Migrations are applied either way.
 */
export async function resolveDatabase(env: Env, log: (line: string) => void, opts: { ownProcessGroup?: boolean } = {}): Promise<ResolvedDatabase> {
  let db: ResolvedDatabase;
  const other = env.DATABASE_URL ? null : runningSupervisor(env);
  if (env.DATABASE_URL) {
    db = { url: env.DATABASE_URL, embedded: false, describe: `PostgreSQL at ${redact(env.DATABASE_URL)}`, pid: null, stop: async () => {} };
  } else if (other) {
    const url = embeddedUrl(pgDirOf(env), other.pgPort ?? env.SWITCHBACK_PG_PORT, DB_NAME);
    db = { url, embedded: true, describe: `embedded PostgreSQL of the running Switchback (pid ${other.pid})`, pid: null, stop: async () => {} };
  } else {
    secureDataDir(env);
    const dataDir = pgDirOf(env);
    const started = performance.now();
    const pg = await startEmbeddedPostgres({ dataDir, port: env.SWITCHBACK_PG_PORT, log, ownProcessGroup: opts.ownProcessGroup, settings: SERVER_SETTINGS });
    await createDatabaseIfMissing(pg.urlFor('postgres'), DB_NAME);
    db = {
      url: pg.urlFor(DB_NAME),
      embedded: true,
      describe: `embedded PostgreSQL (${dataDir}, port ${pg.port}, ready in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
      pid: pg.pid,
      stop: () => pg.stop(),
    };
  }
  try {
    const { applied } = await applyMigrations(db.url, { log });
    await installJobSchema(db.url);
    if (applied.length) log(`applied ${applied.length} migration(s): ${applied.join(', ')}`);
  } catch (err) {
    await db.stop().catch(() => undefined);
    throw err;
  }
  return db;
}

export const redact = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');

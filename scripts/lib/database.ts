import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { installJobSchema } from '../../server/db/job-schema';
import { applyMigrations } from '../../server/db/migrate';
import { alive, createDatabaseIfMissing, startEmbeddedPostgres } from './embedded-pg';
import type { Env } from '../../server/env';

export interface ResolvedDatabase {
  url: string;
  embedded: boolean;
  describe: string;
  stop(): Promise<void>;
}

const DB_NAME = 'switchback';

export const dataDirOf = (env: Env) => resolve(env.SWITCHBACK_DATA_DIR);
const lockFile = (env: Env) => join(dataDirOf(env), 'supervisor.json');

interface SupervisorLock {
  pid: number;
  url: string;
}


/** The running `npm start` of this data folder, if any (its PostgreSQL is then in use). */
export function runningSupervisor(env: Env): SupervisorLock | null {
  const f = lockFile(env);
  if (!existsSync(f)) return null;
  try {
    const lock = JSON.parse(readFileSync(f, 'utf8')) as SupervisorLock;
    return lock.pid !== process.pid && alive(lock.pid) ? lock : null;
  } catch {
    return null;
  }
}

export function writeSupervisorLock(env: Env, url: string): () => void {
  mkdirSync(dataDirOf(env), { recursive: true });
  writeFileSync(lockFile(env), JSON.stringify({ pid: process.pid, url } satisfies SupervisorLock));
  return () => rmSync(lockFile(env), { force: true });
}

/**
 * DATABASE_URL when set; otherwise the embedded PostgreSQL in the data folder (started here, or
 * the one a running `npm start` already owns). Migrations are applied either way.
 */
export async function resolveDatabase(env: Env, log: (line: string) => void): Promise<ResolvedDatabase> {
  let db: ResolvedDatabase;
  if (env.DATABASE_URL) {
    db = { url: env.DATABASE_URL, embedded: false, describe: `PostgreSQL at ${redact(env.DATABASE_URL)}`, stop: async () => {} };
  } else if (runningSupervisor(env)) {
    const lock = runningSupervisor(env)!;
    db = { url: lock.url, embedded: true, describe: `embedded PostgreSQL of the running Switchback (pid ${lock.pid})`, stop: async () => {} };
  } else {
    const dataDir = join(dataDirOf(env), 'pg');
    const started = performance.now();
    const pg = await startEmbeddedPostgres({ dataDir, port: env.SWITCHBACK_PG_PORT, log });
    await createDatabaseIfMissing(pg.urlFor('postgres'), DB_NAME);
    db = {
      url: pg.urlFor(DB_NAME),
      embedded: true,
      describe: `embedded PostgreSQL (${dataDir}, port ${pg.port}, ready in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
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

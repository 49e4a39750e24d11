// Applies prisma/migrations/*/migration.sql with `pg`, because Prisma's own `migrate deploy`
// needs a native schema engine that cannot be downloaded offline (STACK-NOTES). It keeps
// Prisma's `_prisma_migrations` table exactly, so `prisma migrate status/deploy` with a native
// engine (e.g. in CI with network) sees the same history and agrees with us.
import pg from 'pg';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ApplyMigrationsOptions {
  migrationsDir?: string;
  log?: (s: string) => void;
}

interface LocalMigration {
  name: string;
  sql: string;
  checksum: string;
}

export const defaultMigrationsDir = () => fileURLToPath(new URL('../../prisma/migrations/', import.meta.url));

// Prisma migrate's own advisory lock key: our runner and a native `prisma migrate deploy` can
// never interleave, and two of our processes starting at once serialise on it.
const PRISMA_MIGRATE_LOCK = 72707369;

// Prisma's DDL for its bookkeeping table, verbatim in shape (names, types, defaults).
const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

/** The migrations on disk, in name order (Prisma's order: the timestamp prefix sorts them). */
export function readMigrations(dir: string = defaultMigrationsDir()): LocalMigration[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'migration.sql')))
    .map((e) => e.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => {
      const bytes = readFileSync(join(dir, name, 'migration.sql'));
      return { name, sql: bytes.toString('utf8'), checksum: sha256(bytes) };
    });
}

/**
 * Brings the database up to date with the migrations folder. Refuses to start (throws before
 * applying anything) when history and folder disagree: an applied migration edited or deleted,
 * or one that failed half-way under Prisma. Each migration runs in its own transaction, so a
 * failing one leaves neither its changes nor a bookkeeping row behind.
 */
export async function applyMigrations(databaseUrl: string, opts: ApplyMigrationsOptions = {}): Promise<{ applied: string[] }> {
  const dir = opts.migrationsDir ?? defaultMigrationsDir();
  const log = opts.log ?? (() => undefined);
  const local = readMigrations(dir);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK]);
    await client.query(CREATE_TABLE);
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL ORDER BY started_at',
    );
    const byName = new Map(local.map((m) => [m.name, m]));
    for (const row of rows) {
      const m = byName.get(row.migration_name);
      if (row.finished_at === null) {
        throw new Error(`Migration ${row.migration_name} is recorded as started but not finished (a failed run of Prisma migrate). Inspect the database, then mark it with \`prisma migrate resolve\` or delete its row from "_prisma_migrations".`);
      }
      if (!m) {
        throw new Error(`Migration ${row.migration_name} is applied to the database but missing from ${dir}. Restore it from version control; never delete an applied migration.`);
      }
      if (m.checksum !== row.checksum) {
        throw new Error(`Migration ${row.migration_name} was modified after it was applied (checksum ${row.checksum.slice(0, 12)}… in the database, ${m.checksum.slice(0, 12)}… on disk). Restore the applied file and put the change in a new migration.`);
      }
    }
    const done = new Set(rows.map((r) => r.migration_name));
    const applied: string[] = [];
    for (const m of local.filter((x) => !done.has(x.name))) {
      const started = performance.now();
      await client.query('BEGIN');
      try {
        const id = randomUUID();
        await client.query('INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())', [id, m.checksum, m.name]);
        await client.query(m.sql); // no parameters: the simple protocol runs the whole multi-statement script
        await client.query('UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1', [id]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw new Error(`Migration ${m.name} failed and was rolled back: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
      applied.push(m.name);
      log(`migration ${m.name} applied in ${Math.round(performance.now() - started)} ms`);
    }
    return { applied };
  } finally {
    // Closing the session releases the advisory lock even if the unlock is never reached.
    await client.end().catch(() => undefined);
  }
}

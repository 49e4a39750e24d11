// Vitest global setup for the `integration` project: ONE PostgreSQL for the whole run (embedded,
// in a temp dir, unless TEST_DATABASE_URL names a server), a template database migrated once, and
// its coordinates `provide`d to the test files, which clone it per file (test/db.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedPg } from '../scripts/lib/embedded-pg';
import { applyMigrations } from '../server/db/migrate';
import { installJobSchema } from '../server/db/job-schema';
import { freePort } from './free-port';
import { databaseUrl } from './database-url';

export const TEMPLATE_DB = 'switchback_template';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the test server (any database name in it is irrelevant). */
    adminUrl: string;
    templateDb: string;
    /** Prefix of every database this run creates, so leftovers can be found and dropped. */
    testRunId: string;
  }
}


async function admin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: databaseUrl(adminUrl, 'postgres') });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export default async function setup(project: TestProject) {
  const runId = `r${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  let server: EmbeddedPg | null = null;
  let dir: string | null = null;
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    dir = mkdtempSync(join(tmpdir(), 'switchback-test-'));
    server = await startEmbeddedPostgres({
      dataDir: join(dir, 'pg'),
      port: await freePort(),
      // Throwaway cluster: durability buys nothing, and fsync dominates CREATE DATABASE here.
      settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '200' },
      log: (line) => console.log(`[global-setup] ${line}`),
    });
    adminUrl = server.urlFor('postgres');
  }
  const url = adminUrl;
  const templateUrl = databaseUrl(url, TEMPLATE_DB);
  try {
    await admin(url, async (c) => {
      // Rebuilt every run, so it always reflects the migrations on disk (matters with TEST_DATABASE_URL).
      await c.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
      await c.query(`CREATE DATABASE ${TEMPLATE_DB}`);
    });
    const { applied } = await applyMigrations(templateUrl);
    // Commands enqueue jobs with graphile_worker.add_job in SQL, so its schema belongs in the template.
    await installJobSchema(templateUrl);
    console.log(`[global-setup] template ${TEMPLATE_DB}: ${applied.length} migration(s) + job schema`);
  } catch (err) {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  project.provide('adminUrl', url);
  project.provide('templateDb', TEMPLATE_DB);
  project.provide('testRunId', runId);

  return async () => {
    if (server) {
      await server.stop();
      rmSync(dir!, { recursive: true, force: true });
      return;
    }
    // Shared server: drop what this run created and a file failed to drop (crash, timeout).
    await admin(url, async (c) => {
      const { rows } = await c.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${runId}\\_%`]);
      for (const r of rows) await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(r.datname)} WITH (FORCE)`);
    });
  };
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres, createDatabaseIfMissing } from '../scripts/lib/embedded-pg';
import { SERVER_SETTINGS } from '../scripts/lib/pg-settings';
import { applyMigrations } from '../server/db/migrate';
import { installJobSchema } from '../server/db/job-schema';
import { freePort } from '../scripts/lib/free-port';

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return Math.round(s[i]! * 100) / 100;
}

export const summary = (values: number[]) => ({ n: values.length, p50: percentile(values, 50), p95: percentile(values, 95), p99: percentile(values, 99) });

// The process's one port picker (it never hands out a port twice).
export { freePort };

/** A throwaway embedded PostgreSQL with the schema applied, for one benchmark run (the settings `npm start` runs with). */
export async function benchDatabase(): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'switchback-bench-'));
  // On a shared machine each engineer has their own port: BENCH_PG_PORT (else any free one).
  const port = Number(process.env.BENCH_PG_PORT) || (await freePort());
  const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port, settings: SERVER_SETTINGS });
  await createDatabaseIfMissing(pg.urlFor('postgres'), 'bench');
  const url = pg.urlFor('bench');
  await applyMigrations(url);
  await installJobSchema(url);
  return {
    url,
    async stop() {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

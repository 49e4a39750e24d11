import { runMigrations } from 'graphile-worker';

/**
 * Installs graphile-worker's schema up front, so a command can `add_job` in SQL (inside its own
 * transaction) before any worker has started.
 */
export async function installJobSchema(connectionString: string): Promise<void> {
  await runMigrations({ connectionString });
}

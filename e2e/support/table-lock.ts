import { join } from 'node:path';
import pg from 'pg';
import { embeddedUrl } from '../../scripts/lib/embedded-pg';
import { e2eState } from './state';

/**
 * Runs `fn` while a transaction on the app's own database holds `table` exclusively, so the app's
 * reads of it hit the real statement timeout; `release` commits (the reads succeed again). The
 * connection is closed in any case, which ends the transaction and its lock if `fn` failed first.
 */
export async function withTableLocked(table: string, fn: (release: () => Promise<void>) => Promise<void>): Promise<void> {
  const db = new pg.Client({ connectionString: embeddedUrl(join(e2eState().dataDir, 'pg'), Number(process.env.E2E_PG_PORT ?? '54391'), 'switchback') });
  await db.connect();
  try {
    await db.query('BEGIN');
    await db.query(`LOCK TABLE "${table}" IN ACCESS EXCLUSIVE MODE`);
    await fn(async () => void (await db.query('COMMIT')));
  } finally {
    await db.end();
  }
}

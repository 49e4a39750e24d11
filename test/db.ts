// One database per integration test file, cloned from the migrated template that
// test/global-setup.ts built: cloning takes milliseconds, migrating would take seconds.
import pg from 'pg';
import { inject } from 'vitest';
// Not from ./global-setup (its ProvidedContext types apply anyway): see ./database-url.
import { databaseUrl } from './database-url';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

let counter = 0;

async function onAdmin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: databaseUrl(inject('adminUrl'), 'postgres') });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/**
 * A fresh, uniquely named database: a copy of the migrated template (for `beforeAll`), or with
 * `{ empty: true }` a blank one (template0) for tests that migrate by themselves.
 */
export async function createTestDatabase(opts: { empty?: boolean } = {}): Promise<TestDatabase> {
  const name = `${inject('testRunId')}_${process.pid}_${++counter}`;
  const template = opts.empty ? 'template0' : inject('templateDb');
  for (let attempt = 1; ; attempt++) {
    try {
      await onAdmin(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
      break;
    } catch (err) {
      // 55006: the template is briefly "being accessed by other users" (another clone starting).
      if ((err as { code?: string }).code !== '55006' || attempt >= 20) throw err;
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }
  return {
    url: databaseUrl(inject('adminUrl'), name),
    drop: () => onAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

// Offline schema diffing with Prisma's WASM schema engine (@prisma/schema-engine-wasm): the
// native engine that `prisma migrate` needs cannot be downloaded here (STACK-NOTES). Used by
// `npm run db:migration` to write migration SQL and by tests to prove there is no drift.
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum, type SqlDriverAdapter, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { defaultMigrationsDir, readMigrations } from '../../server/db/migrate';

export const schemaPath = () => fileURLToPath(new URL('../../prisma/schema.prisma', import.meta.url));
export const SNAPSHOT = 'schema.prisma';

type Engine = {
  diff(p: unknown): Promise<{ exitCode: number; stdout: string | null }>;
};

let engine: Promise<Engine> | null = null;
let lastPanic = '';

/**
 * The package's entry imports the .wasm file as an ES module, which Node 20 cannot do without a
 * flag; so we instantiate the binary ourselves against its wasm-bindgen glue.
 */
async function loadEngine(): Promise<Engine> {
  const gluePath = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const glue = (await import(pathToFileURL(gluePath).href)) as {
    __wbg_set_wasm(exports: WebAssembly.Exports): void;
    SchemaEngine: { new: (options: unknown, log: (line: string) => void, adapter: unknown) => Promise<Engine> };
  };
  // The engine reports Rust panics through this global; without it a panic is "unreachable".
  (globalThis as Record<string, unknown>).PRISMA_WASM_PANIC_REGISTRY = { set_message: (m: string) => (lastPanic = m) };
  const { instance } = await WebAssembly.instantiate(readFileSync(join(dirname(gluePath), 'schema_engine_bg.wasm')), {
    './schema_engine_bg.js': glue as unknown as WebAssembly.ModuleImports,
  });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as (() => void) | undefined)?.();
  return glue.SchemaEngine.new({ datamodels: undefined }, () => undefined, bindMigrationAwareSqlAdapterFactory(offlinePostgres));
}

/**
 * A driver adapter with no database behind it. The engine only asks, at construction, which
 * PostgreSQL it talks to (to choose between the PostgreSQL and CockroachDB dialects); a diff
 * between two datamodels never touches a database. We answer 15.0, the oldest server
 * Switchback supports, so the SQL it writes runs on every supported version. Anything else it
 * asks fails loudly instead of pretending.
 */
const offlineConnection: SqlDriverAdapter = {
  provider: 'postgres',
  adapterName: 'switchback-offline',
  getConnectionInfo: () => ({ supportsRelationJoins: true }),
  queryRaw(q: { sql: string }) {
    if (!q.sql.includes('server_version_num')) return Promise.reject(new Error(`offline schema engine: no database for ${q.sql}`));
    const { Boolean, Text, Int32 } = ColumnTypeEnum;
    return Promise.resolve({ columnNames: ['exists', 'version', 'numeric_version'], columnTypes: [Boolean, Text, Int32], rows: [[true, 'PostgreSQL 15.0', 150000]] });
  },
  executeRaw: () => Promise.reject(new Error('offline schema engine: no database')),
  executeScript: () => Promise.reject(new Error('offline schema engine: no database')),
  startTransaction: () => Promise.reject(new Error('offline schema engine: no database')),
  dispose: () => Promise.resolve(),
};
const offlinePostgres: SqlMigrationAwareDriverAdapterFactory = {
  provider: 'postgres',
  adapterName: 'switchback-offline',
  connect: () => Promise.resolve(offlineConnection),
  connectToShadowDb: () => Promise.resolve(offlineConnection),
};

/**
 * SQL that turns a database matching datamodel `from` (null: an empty database) into one
 * matching `to`; '' when they describe the same schema.
 */
export async function diffDatamodels(from: string | null, to: string): Promise<string> {
  const target = (content: string) => ({ tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content }] });
  const e = await (engine ??= loadEngine());
  let result;
  try {
    result = await e.diff({
      from: from === null ? { tag: 'empty' } : target(from),
      to: target(to),
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
  } catch (err) {
    engine = null; // no method is safe after a panic: start a fresh engine next time
    throw new Error(`schema engine diff failed: ${lastPanic || (err instanceof Error ? err.message : String(err))}`);
  }
  const sql = result.stdout ?? '';
  // An empty diff is a comment only ("-- This is an empty migration.").
  const statements = sql.split('\n').filter((l) => l.trim() && !l.trim().startsWith('--'));
  return statements.length ? sql : '';
}

/** The datamodel snapshot stored with the newest migration; null when there is no migration. */
export function latestSnapshot(migrationsDir = defaultMigrationsDir()): { migration: string; datamodel: string } | null {
  const last = readMigrations(migrationsDir).at(-1);
  if (!last) return null;
  const file = join(migrationsDir, last.name, SNAPSHOT);
  if (!existsSync(file)) throw new Error(`${file} is missing: every migration keeps the datamodel it was generated from, to diff the next one against.`);
  return { migration: last.name, datamodel: readFileSync(file, 'utf8') };
}

/** SQL from the last migration's snapshot to prisma/schema.prisma; '' when they agree. */
export async function diffSnapshotToSchema(): Promise<string> {
  return diffDatamodels(latestSnapshot()?.datamodel ?? null, readFileSync(schemaPath(), 'utf8'));
}

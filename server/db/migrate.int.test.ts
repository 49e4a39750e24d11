// The migration runner against real PostgreSQL: the migrations produce exactly the schema that
// prisma/schema.prisma describes, and the runner's refusals and locking hold.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { diffDatamodels, diffSnapshotToSchema, schemaPath } from '../../scripts/db/schema-drift';
import { createTestDatabase, type TestDatabase } from '../../test/db';
import { applyMigrations, defaultMigrationsDir, readMigrations, sha256 } from './migrate';

const dbs: TestDatabase[] = [];
const tmpDirs: string[] = [];
afterAll(async () => {
  await Promise.all(dbs.map((d) => d.drop()));
  for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
});

async function emptyDb(): Promise<string> {
  const d = await createTestDatabase({ empty: true });
  dbs.push(d);
  return d.url;
}

async function sql<T extends pg.QueryResultRow = Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(text, params)).rows;
  } finally {
    await c.end();
  }
}

/** A copy of the migrations folder that a test may add to without touching the real one. */
function migrationsCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchback-migrations-'));
  tmpDirs.push(dir);
  cpSync(defaultMigrationsDir(), dir, { recursive: true });
  return dir;
}

// Written by hand in the migrations (schema.prisma cannot say them); see the rollout section of
// prisma/schema.prisma.
const SQL_ONLY_CONSTRAINTS = [
  'Rollout_pause_reason_iff_paused',
  'Rollout_abort_reason_iff_aborted',
  'Rollout_positive_counters',
  'Rollout_versions_differ',
  'Rollout_one_active_per_service',
  'ApprovalRequest_quorum',
  'ApprovalRequest_on_expiry',
  'ApprovalRequest_closed_iff_not_open',
  'ApprovalDecision_reason_given',
  'RolloutStepRun_override_has_reason',
  'RolloutStepRun_freeze_override_has_reason',
  'ExperimentRun_abort_reason_states',
  'ExperimentRun_skip_reason_iff_skipped',
  'ExperimentRun_positive_counters',
  'ExperimentRun_guard_override_has_reason',
  'ExperimentRun_freeze_override_has_reason',
  'ExperimentRun_ended_iff_terminal',
  'ExperimentSchedule_history_limit',
  'Injection_expiry_after_creation',
  'Injection_removed_has_reason',
  'Injection_removed_not_desired',
  'Halt_one_engaged',
  'Halt_reasons_given',
  'FreezeWindow_shape',
  'FreezeWindow_applies_to_something',
  'ServiceCall_not_self',
  'ApiToken_name_live',
  'ApiToken_expiry_after_creation',
  'ApiToken_revoked_by_named',
  'WebhookSubscription_name_live',
  'WebhookSubscription_has_events',
  'WebhookDelivery_delivered_iff_state',
];

const NOT_BOOKKEEPING = `<> '_prisma_migrations'`;
// Normalised catalogue of schema "public", one sorted list of lines per kind. Column order is
// left out on purpose: ALTER TABLE ADD COLUMN appends, while a from-scratch CREATE TABLE follows
// the model, and neither Prisma nor the app depends on physical column order.
const CATALOGUE: Record<string, string> = {
  tables: `SELECT c.relname || ' ' || c.relkind::text AS line FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relkind IN ('r','p','v','m','f') AND c.relname ${NOT_BOOKKEEPING}`,
  columns: `SELECT c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
             || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
             || coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '')
             || CASE WHEN a.attidentity::text <> '' THEN ' IDENTITY ' || a.attidentity::text ELSE '' END
             || CASE WHEN a.attgenerated::text <> '' THEN ' GENERATED ' || a.attgenerated::text ELSE '' END AS line
           FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
           LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
           WHERE n.nspname = 'public' AND c.relkind IN ('r','p') AND a.attnum > 0 AND NOT a.attisdropped AND c.relname ${NOT_BOOKKEEPING}`,
  indexes: `SELECT indexdef AS line FROM pg_indexes WHERE schemaname = 'public' AND tablename ${NOT_BOOKKEEPING}`,
  constraints: `SELECT cl.relname || '.' || co.conname || ' ' || co.contype::text || ' ' || pg_get_constraintdef(co.oid) AS line
           FROM pg_constraint co JOIN pg_class cl ON cl.oid = co.conrelid JOIN pg_namespace n ON n.oid = co.connamespace
           WHERE n.nspname = 'public' AND cl.relname ${NOT_BOOKKEEPING}`,
  enums: `SELECT t.typname || ' ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS line
           FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
           WHERE n.nspname = 'public' GROUP BY t.typname`,
  sequences: `SELECT concat_ws(' ', sequencename, data_type, start_value, increment_by, min_value, max_value, cycle) AS line
           FROM pg_sequences WHERE schemaname = 'public'`,
  functions: `SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS line
           FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'`,
  triggers: `SELECT c.relname || '.' || t.tgname AS line FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND NOT t.tgisinternal`,
};

async function catalogue(url: string): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const [kind, q] of Object.entries(CATALOGUE)) out[kind] = (await sql<{ line: string }>(url, q)).map((r) => r.line).sort();
  return out;
}

describe('applyMigrations', () => {
  it('migrating an empty database yields exactly the schema that schema.prisma describes', async () => {
    const schema = readFileSync(schemaPath(), 'utf8');
    const [viaMigrations, fromSchema] = [await emptyDb(), await emptyDb()];
    await applyMigrations(viaMigrations);
    const direct = await diffDatamodels(null, schema);
    expect(direct).toContain('CREATE TABLE');
    await sql(fromSchema, direct);

    const a = await catalogue(viaMigrations);
    const b = await catalogue(fromSchema);
    // Constraints Prisma cannot express live in the migrations only: each must exist, once.
    const names = (x: string) => (l: string) => l.includes(`"${x}"`) || l.includes(`.${x} `);
    for (const extra of SQL_ONLY_CONSTRAINTS) expect([...a.indexes!, ...a.constraints!].filter(names(extra)), extra).toHaveLength(1);
    for (const kind of ['indexes', 'constraints']) a[kind] = a[kind]!.filter((l) => !SQL_ONLY_CONSTRAINTS.some((x) => names(x)(l)));
    // Guard against a vacuous pass (two empty dumps are equal too).
    expect(a.tables).toHaveLength([...schema.matchAll(/^model \w+/gm)].length);
    expect(a.enums).toHaveLength([...schema.matchAll(/^enum \w+/gm)].length);
    expect(a.columns!.length).toBeGreaterThan(a.tables!.length * 2);
    expect(a).toEqual(b);

    // The snapshot chain is current: schema.prisma has no change without a migration.
    expect(await diffSnapshotToSchema()).toBe('');
  });

  it('records Prisma bookkeeping, and a second run is a no-op', async () => {
    const url = await emptyDb();
    const local = readMigrations();
    expect((await applyMigrations(url)).applied).toEqual(local.map((m) => m.name));
    expect((await applyMigrations(url)).applied).toEqual([]);
    const rows = await sql<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
      url,
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows.map((r) => [r.migration_name, r.checksum, r.finished_at !== null, r.applied_steps_count])).toEqual(
      local.map((m) => [m.name, sha256(readFileSync(join(defaultMigrationsDir(), m.name, 'migration.sql'))), true, 1]),
    );
  });

  it('refuses to start when an applied migration was modified, naming it', async () => {
    const url = await emptyDb();
    await applyMigrations(url);
    const first = readMigrations()[0]!.name;
    await sql(url, `UPDATE "_prisma_migrations" SET checksum = repeat('0', 64) WHERE migration_name = $1`, [first]);
    await expect(applyMigrations(url)).rejects.toThrow(new RegExp(`Migration ${first} was modified after it was applied`));
  });

  it('refuses to start when an applied migration is missing from disk, and applies nothing', async () => {
    const dir = migrationsCopy();
    const url = await emptyDb();
    mkdirSync(join(dir, '99990101000000_extra'));
    writeFileSync(join(dir, '99990101000000_extra', 'migration.sql'), 'CREATE TABLE "Extra" (id int);\n');
    expect((await applyMigrations(url, { migrationsDir: dir })).applied).toContain('99990101000000_extra');
    rmSync(join(dir, '99990101000000_extra'), { recursive: true });
    mkdirSync(join(dir, '99990102000000_later'));
    writeFileSync(join(dir, '99990102000000_later', 'migration.sql'), 'CREATE TABLE "Later" (id int);\n');
    await expect(applyMigrations(url, { migrationsDir: dir })).rejects.toThrow(/Migration 99990101000000_extra is applied to the database but missing/);
    expect(await sql(url, `SELECT 1 FROM pg_class WHERE relname = 'Later'`)).toHaveLength(0);
  });

  it('rolls a failing migration back entirely and names it', async () => {
    const dir = migrationsCopy();
    const url = await emptyDb();
    mkdirSync(join(dir, '99990101000000_broken'));
    writeFileSync(join(dir, '99990101000000_broken', 'migration.sql'), 'CREATE TABLE "HalfDone" (id int);\nSELECT 1 / 0;\n');
    await expect(applyMigrations(url, { migrationsDir: dir })).rejects.toThrow(/Migration 99990101000000_broken failed and was rolled back: division by zero/);
    expect(await sql(url, `SELECT 1 FROM pg_class WHERE relname = 'HalfDone'`)).toHaveLength(0);
    expect(await sql(url, `SELECT 1 FROM "_prisma_migrations" WHERE migration_name = '99990101000000_broken'`)).toHaveLength(0);
    // The migrations before it stay applied.
    expect(await sql(url, 'SELECT migration_name FROM "_prisma_migrations"')).toHaveLength(readMigrations().length);
  });

  it('two processes starting at once both succeed and apply each migration once', async () => {
    const url = await emptyDb();
    const local = readMigrations().map((m) => m.name);
    const [a, b] = await Promise.all([applyMigrations(url), applyMigrations(url)]);
    expect([...a.applied, ...b.applied].sort()).toEqual(local);
    expect([a.applied.length, b.applied.length].sort()).toEqual([0, local.length]);
    const rows = await sql<{ n: string }>(url, 'SELECT count(*) AS n FROM "_prisma_migrations"');
    expect(Number(rows[0]!.n)).toBe(local.length);
  });
});

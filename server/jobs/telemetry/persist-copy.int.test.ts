import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { makeFleet } from '../../db/factories';
import { defaultPolicies } from '../../domain/policy-defaults';
import { activeAdapterConfig, createAdapter, feedSimControls } from '../../services/platform/active-adapter';
import { TelemetryLoop } from './loop';
import { iso, persistTick, SAMPLE_COLUMNS, type SampleRow, type TransitionRow } from './persist';
import { copySamplesText, persistRowsUnnest } from './persist-reference';

// The tick's samples go through binary COPY, its transitions through text COPY (issue 14). What a
// reader gets back must be exactly what text COPY and the unnest INSERTs wrote before (baselines,
// written in this run from the same rows), and a tick whose COPY fails must leave nothing behind.
let t: TestDb;
let pool: pg.Pool;
let ids: string[] = [];

beforeAll(async () => {
  t = await openTestDb();
  pool = new pg.Pool({ connectionString: t.url, max: 6 });
  pool.on('error', () => undefined);
  for (const [kind, document] of Object.entries(defaultPolicies)) {
    await t.db.policy.create({ data: { kind: kind as keyof typeof defaultPolicies, scope: 'global', document } });
  }
  await t.db.adapterConfig.create({ data: { name: 'simulator', kind: 'sim', active: true, config: { seed: 3, hotZone: 'z1' } } });
  await makeFleet(t.db, {
    regions: [{ name: 'r1', zones: [{ name: 'z1', clusters: ['c1'] }, { name: 'z2', clusters: ['c2'] }] }],
    services: [{ name: 'api', placement: [{ cluster: 'c1', versions: { v1: 4 } }, { cluster: 'c2', versions: { v1: 3, v2: 1 } }], routing: { versionWeights: { v1: 100 }, headerRules: [] } }],
  });
  ids = (await t.db.instance.findMany({ select: { id: true }, orderBy: { name: 'asc' } })).map((i) => i.id);
});
afterAll(async () => {
  await pool.end();
  await t.close();
});

/** Rows with every awkward value the encoder must carry: NULLs, empty arrays, extreme floats, escapes. */
function awkwardRows(): { samples: SampleRow[]; transitions: TransitionRow[] } {
  const floats = [0, -0, 0.1 + 0.2, 1e-7, 1.7976931348623157e308, 5e-324, -123.456, 1e21, NaN, Infinity, -Infinity];
  const samples = ids.map((instanceId, i): SampleRow => ({
    instanceId,
    up: i % 3 !== 0,
    rtMs: i % 4 === 0 ? null : floats[i % floats.length]!,
    cpu: floats[(i + 1) % floats.length]!,
    memory: null,
    p50Ms: 12.5,
    p95Ms: i % 2 ? null : 1240.000001,
    p99Ms: floats[(i + 2) % floats.length]!,
    connections: 4500,
    rps: 0.3333333333333333,
    errorRate: i % 5 === 0 ? null : 1 / 7,
    inputAgeMs: i % 2 ? { cpu: 5000, p95: null, connections: 0 } : { cpu: null, p95: 1, connections: 2, recompute: 30_000 },
    targetWeight: 70 + i,
    effectiveWeight: 69.5,
    degradation: i % 4,
    breaker: ['closed', 'open', 'half-open', 'tab\there "quoted" back\\slash\nnewline', "unicode −31 ✓ 🚀 'single' \\N", ''][i % 6]!,
    stageFill: i % 3 ? [0.1, 0.2, 0.30000000000000004, 1, 0, -0, NaN, Infinity, -Infinity, -1e308] : [],
    stageState: i % 3 ? ['idle', 'active', 'blocked', 'we"ird', 'back\\slash', 'tab\there', '{brace,comma}', 'NULL', '', 'ü ✓ 🚀'] : [],
    requests: i % 2 ? null : 100,
    activeRequests: 3,
    maxConcurrency: 128,
    ingressTimeouts: 0,
    stageInputs: [100, 99.5, 0, -1, 1e-9],
    stageOutputs: [],
    stageBlocked: i % 2 ? [true, false, false, true, false] : [],
  }));
  const transitions: TransitionRow[] = ids.slice(0, 5).map((instanceId, i) => ({
    instanceId,
    machine: (['stage', 'degradation', 'breaker', 'weight', 'weight'] as const)[i]!,
    stage: i === 0 ? 'execution' : undefined,
    from: String(70 + i),
    to: 'to\tstate',
    cause: `P95 1240 ms crossed 1200 ms — "quoted", back\\slash, tab\t, newline\n, unicode −31 ✓ ${i}`,
    at: Date.UTC(2026, 0, 1, 0, 0, 0, 123 + i),
    values: { target: 61.5, 'value.p95': 1240, 'penalty.p95': -31.25, tiny: 1e-7 },
    trigger: i >= 3 ? { kind: 'threshold', input: 'p95', direction: 'up', value: 1240, threshold: 1200 } : undefined,
  }));
  return { samples, transitions };
}

// Every column but the tick's own (at, tickId); float8 compared by its exact text (NaN = NaN, -0 ≠ 0 there).
const COMPARED = SAMPLE_COLUMNS.replace(/\s+/g, ' ').split(', ').filter((c) => c !== 'at' && c !== '"tickId"')
  .map((c) => `${c}::text`).join(', ');
const SAMPLE_READ = `SELECT to_jsonb(s) - 'at' - 'tickId' AS row FROM "TelemetrySample" s WHERE at = $1::timestamp ORDER BY "instanceId"`;
const TRANSITION_READ = `SELECT to_jsonb(x) - 'id' - 'tickId' AS row, x.at FROM "StateTransition" x WHERE "tickId" = $1 ORDER BY x.at, "instanceId"`;

describe('tick persistence through COPY', () => {
  it('writes exactly what text COPY and the unnest INSERTs wrote for the same rows', async () => {
    const { samples, transitions } = awkwardRows();
    // Fractional seconds: the milliseconds must survive both encodings.
    const copyAt = new Date(Date.UTC(2026, 0, 1, 0, 0, 1, 987));
    const baseAt = new Date(Date.UTC(2026, 0, 1, 0, 0, 2, 987));
    const textAt = new Date(Date.UTC(2026, 0, 1, 0, 0, 3, 987));
    const client = await pool.connect();
    let copyTick: bigint;
    let baseTick: bigint;
    try {
      await client.query('BEGIN');
      copyTick = await persistTick(client, { at: copyAt, startedAt: copyAt, instances: samples.length, skippedSoFar: 0, leader: 'copy' }, samples, transitions);
      await client.query('COMMIT');
      // The baseline: a Tick row and the same rows through the statements COPY replaced.
      await client.query('BEGIN');
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO "Tick" ("startedAt", "finishedAt", "durationMs", instances, leader) VALUES ($1::timestamp, $1::timestamp, 0, $2, 'unnest') RETURNING id::text`,
        [iso(baseAt), samples.length],
      );
      baseTick = BigInt(rows[0]!.id);
      await persistRowsUnnest(client, baseTick, baseAt, samples, transitions);
      await client.query('COMMIT');
      // The text COPY the binary one replaced.
      await client.query('BEGIN');
      const text = await client.query<{ id: string }>(
        `INSERT INTO "Tick" ("startedAt", "finishedAt", "durationMs", instances, leader) VALUES ($1::timestamp, $1::timestamp, 0, $2, 'text') RETURNING id::text`,
        [iso(textAt), samples.length],
      );
      await copySamplesText(client, BigInt(text.rows[0]!.id), textAt, samples);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    const viaCopy = await pool.query<{ row: Record<string, unknown> }>(SAMPLE_READ, [iso(copyAt)]);
    const viaUnnest = await pool.query<{ row: Record<string, unknown> }>(SAMPLE_READ, [iso(baseAt)]);
    const viaText = await pool.query<{ row: Record<string, unknown> }>(SAMPLE_READ, [iso(textAt)]);
    expect(viaCopy.rows).toHaveLength(ids.length);
    expect(viaCopy.rows.map((r) => r.row)).toEqual(viaText.rows.map((r) => r.row));
    expect(viaCopy.rows.map((r) => r.row)).toEqual(viaUnnest.rows.map((r) => r.row));
    // Compared by the server too, column by column in the stored types (to_jsonb could hide a
    // difference JSON cannot express): no row of one write is missing from the other.
    const differing = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (
         (SELECT ${COMPARED} FROM "TelemetrySample" WHERE at = $1::timestamp EXCEPT SELECT ${COMPARED} FROM "TelemetrySample" WHERE at = $2::timestamp)
         UNION ALL
         (SELECT ${COMPARED} FROM "TelemetrySample" WHERE at = $2::timestamp EXCEPT SELECT ${COMPARED} FROM "TelemetrySample" WHERE at = $1::timestamp)) d`,
      [iso(copyAt), iso(textAt)],
    );
    expect(differing.rows[0]!.n).toBe(0);
    const stored = await pool.query<{ at: string; ms: string }>(`SELECT DISTINCT at::text AS at, "tickId"::text AS ms FROM "TelemetrySample" WHERE at = $1::timestamp`, [iso(copyAt)]);
    expect(stored.rows).toEqual([{ at: '2026-01-01 00:00:01.987', ms: copyTick.toString() }]);
    // The awkward values arrived as values, not as their escapes.
    const weird = viaCopy.rows.map((r) => r.row).find((r) => String(r.breaker).startsWith('tab'));
    expect(weird?.breaker).toBe('tab\there "quoted" back\\slash\nnewline');

    const trCopy = await pool.query<{ row: Record<string, unknown> }>(TRANSITION_READ, [copyTick.toString()]);
    const trUnnest = await pool.query<{ row: Record<string, unknown> }>(TRANSITION_READ, [baseTick.toString()]);
    expect(trCopy.rows).toHaveLength(transitions.length);
    expect(trCopy.rows.map((r) => r.row)).toEqual(trUnnest.rows.map((r) => r.row));
    expect(trCopy.rows.map((r) => r.row.cause)).toEqual(transitions.map((x) => x.cause));
    expect(trCopy.rows[4]!.row.trigger).toEqual(transitions[4]!.trigger);
    expect(trCopy.rows[0]!.row.trigger).toBeNull();
  });

  it('a COPY that fails leaves no Tick row and no sample, and the connection takes the next tick', async () => {
    const { samples } = awkwardRows();
    const at = new Date(Date.UTC(2026, 0, 1, 0, 0, 10));
    // The last row repeats the first instance: the primary key refuses it after the others went in.
    const broken = [...samples, { ...samples[0]! }];
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await expect(persistTick(client, { at, startedAt: at, instances: broken.length, skippedSoFar: 0, leader: 'broken' }, broken, [])).rejects.toThrow(/duplicate key/);
      await client.query('ROLLBACK');
      expect(await t.db.tick.count({ where: { leader: 'broken' } })).toBe(0);
      expect((await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "TelemetrySample" WHERE at = $1::timestamp`, [iso(at)])).rows[0]!.n).toBe(0);
      await client.query('BEGIN');
      await persistTick(client, { at, startedAt: at, instances: samples.length, skippedSoFar: 0, leader: 'retry' }, samples, []);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    expect((await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "TelemetrySample" WHERE at = $1::timestamp`, [iso(at)])).rows[0]!.n).toBe(samples.length);
  });

  it('the loop: while the last sample of each tick is refused, no tick is committed at all; then ticks resume whole', async () => {
    const last = ids[ids.length - 1]!;
    // A test-only trigger that fails the COPY at its last row while the switch holds a row.
    // (nextval outlives the rollback: it counts the refused ticks.)
    await pool.query(`CREATE TABLE fail_switch (on_ boolean)`);
    await pool.query(`CREATE SEQUENCE fail_hits`);
    await pool.query(`CREATE FUNCTION fail_sample() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF EXISTS (SELECT 1 FROM fail_switch) THEN PERFORM nextval('fail_hits'); RAISE EXCEPTION 'injected sample failure'; END IF; RETURN NEW; END $$`);
    await pool.query(`CREATE TRIGGER fail_last BEFORE INSERT ON "TelemetrySample" FOR EACH ROW WHEN (NEW."instanceId" = '${last}'::uuid) EXECUTE FUNCTION fail_sample()`);
    await pool.query(`INSERT INTO fail_switch VALUES (true)`);
    const before = await t.db.tick.count();
    const loop = new TelemetryLoop({
      url: t.url, pool, db: t.db, tickMs: 200, workerId: 'copy-loop', electionPollMs: 200, log: () => undefined,
      openAdapter: async () => createAdapter(await activeAdapterConfig(pool)), beforeTick: feedSimControls,
    });
    const waitFor = async (what: string, ok: () => Promise<boolean> | boolean) => {
      const deadline = Date.now() + 30_000;
      while (!(await ok())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const halfTicks = async () =>
      (
        await pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "Tick" k WHERE k.leader = 'copy-loop' AND k.instances <> (SELECT count(*) FROM "TelemetrySample" s WHERE s."tickId" = k.id)`,
        )
      ).rows[0]!.n;
    loop.start();
    try {
      await waitFor('a failed tick', () => (loop.stats.lastError ?? '').includes('injected sample failure'));
      // Several failed ticks: none of them left a Tick row (nor, so, a half tick to read).
      await waitFor('three failed ticks', async () => {
        expect(await t.db.tick.count()).toBe(before);
        return Number((await pool.query<{ n: string }>(`SELECT last_value::text AS n FROM fail_hits`)).rows[0]!.n) >= 3;
      });
      expect(await pool.query(`SELECT 1 FROM "TelemetrySample" WHERE "tickId" NOT IN (SELECT id FROM "Tick")`).then((r) => r.rowCount)).toBe(0);
      await pool.query(`DELETE FROM fail_switch`);
      await waitFor('ticks again', async () => (await t.db.tick.count({ where: { leader: 'copy-loop' } })) >= 3);
    } finally {
      await loop.stop();
    }
    expect(await halfTicks()).toBe(0);
    const whole = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "TelemetrySample" WHERE "tickId" IN (SELECT id FROM "Tick" WHERE leader = 'copy-loop')`);
    expect(whole.rows[0]!.n).toBe((await t.db.tick.count({ where: { leader: 'copy-loop' } })) * ids.length);
  });
});

// The cost of TelemetrySample's indexes on the tick's write (issue 14): 10,000 samples per tick by
// COPY into copies of the table that differ only in their indexes, the variants alternating tick by
// tick in the same run so a busy machine weighs on all alike. SCALE_INDEX_TICKS ticks each (default 30).
import pg from 'pg';
import { arrayLiteral, copyField, copyLines } from '../../server/jobs/telemetry/copy-text';
import { SAMPLE_COLUMNS } from '../../server/jobs/telemetry/persist';
import { benchDatabase, summary } from '../lib';
import type { Figures } from '../scale.bench';

const TICKS = Number(process.env.SCALE_INDEX_TICKS ?? 30);

// Index DDL per variant; `%t` is the variant's table.
const VARIANTS: Record<string, string[]> = {
  btree: ['ALTER TABLE %t ADD PRIMARY KEY ("instanceId", at)', 'CREATE INDEX ON %t (at)'],
  brin: ['ALTER TABLE %t ADD PRIMARY KEY ("instanceId", at)', 'CREATE INDEX ON %t USING brin (at)'],
  brin32: ['ALTER TABLE %t ADD PRIMARY KEY ("instanceId", at)', 'CREATE INDEX ON %t USING brin (at) WITH (pages_per_range = 32)'],
  pkOnly: ['ALTER TABLE %t ADD PRIMARY KEY ("instanceId", at)'],
  pkAtFirst: ['ALTER TABLE %t ADD PRIMARY KEY (at, "instanceId")'],
  // No index at all: the floor the indexes add to.
  none: [],
};

function line(instanceId: string, at: string, tick: number, i: number): string {
  return [
    instanceId, at, tick, true, 20 + (i % 7), i % 100, 41.5, 10, 200 + (i % 300), 400, 900, 80, 0.001,
    JSON.stringify({ cpu: 1000, p95: 0, connections: 2000 }), 70, 69.5, 0, 'closed',
    arrayLiteral([0.1, 0.2, 0.3, 0.2, 0.1]), arrayLiteral(['active', 'active', 'active', 'idle', 'idle']), 100, 20, 128, 0,
    arrayLiteral([100, 100, 100, 0, 0]), arrayLiteral([100, 100, 100, 0, 0]), arrayLiteral([false, false, false, false, false]),
  ].map((v) => copyField(v)).join('\t') + '\n';
}

export async function measure(instances: number): Promise<Figures> {
  if (!Number.isInteger(TICKS) || TICKS < 1) throw new Error(`SCALE_INDEX_TICKS: expected a whole number (got ${process.env.SCALE_INDEX_TICKS})`);
  const database = await benchDatabase();
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const ids = Array.from({ length: instances }, (_, i) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`);
    const names = Object.keys(VARIANTS);
    for (const name of names) {
      await client.query(`CREATE TABLE "s_${name}" (LIKE "TelemetrySample" INCLUDING DEFAULTS)`);
      for (const ddl of VARIANTS[name]!) await client.query(ddl.replaceAll('%t', `"s_${name}"`));
    }
    const ms: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
    const base = Date.UTC(2020, 0, 1);
    for (let t = 0; t < TICKS; t++) {
      const at = new Date(base + t * 1000).toISOString();
      const lines = ids.map((id, i) => line(id, at, t + 1, i));
      // Rotate the order each tick so no variant always goes first (after a checkpoint, say).
      for (let k = 0; k < names.length; k++) {
        const name = names[(t + k) % names.length]!;
        const t0 = performance.now();
        await client.query('BEGIN');
        await copyLines(client, `COPY "s_${name}" (${SAMPLE_COLUMNS}) FROM STDIN`, lines);
        await client.query('COMMIT');
        ms[name]!.push(performance.now() - t0);
      }
    }
    const out: Figures = { ticksEach: TICKS };
    for (const name of names) {
      const s = summary(ms[name]!);
      out[`${name}P50Ms`] = s.p50;
      out[`${name}P95Ms`] = s.p95;
    }
    const ratio = (a: string, b: string) => Math.round((summary(ms[a]!).p50 / summary(ms[b]!).p50) * 100) / 100;
    out.btreeToBrinP50Ratio = ratio('btree', 'brin');
    out.btreeToPkOnlyP50Ratio = ratio('btree', 'pkOnly');
    out.btreeToPkAtFirstP50Ratio = ratio('btree', 'pkAtFirst');
    out.btreeToNoIndexP50Ratio = ratio('btree', 'none');
    return out;
  } finally {
    await client.end();
    await database.stop();
  }
}

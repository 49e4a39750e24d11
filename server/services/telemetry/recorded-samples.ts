// The stored samples of some instances over a window, as the replay reads them (RecordedSample).
// Complete minutes come from TelemetryPack (bytes PostgreSQL copies out as they are); minutes not
// packed yet (the newest, or any the rollup has not reached) are read as raw samples and packed
// here into PACK_SQL's records (raw-records.ts). One binary COPY carries both, in (instance, time) order.
// Only the first sample's machine states are kept — the replay resumes from them.
import { pgPool, type Db } from '../../db/client';
import { copyRows, uuidText } from '../../db/pg-binary';
import { pgUtc } from '../../db/timestamp';
import type { RecordedSample } from '../../domain/replay';
import type { RecordArena } from './record-arena';
import { minuteOf, NO_RAW_COLUMNS_SQL, RAW_COLUMNS_SQL, RawPackBuilder, timestampUs } from './raw-records';
import { unpack, type FirstStates } from './telemetry-pack';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// COPY takes no bind parameters, so the values are written into the statement: ids are checked
// to be uuids and the times are ISO strings of Dates, so nothing else can reach the SQL.
export function copySelect(instanceIds: readonly string[], from: Date, to: Date): string {
  for (const id of instanceIds) if (!UUID.test(id)) throw new Error(`not an instance id: ${JSON.stringify(id)}`);
  const idArray = `'{${instanceIds.join(',')}}'::uuid[]`;
  const ids = `ANY(${idArray})`;
  const [f, t] = [`'${pgUtc(from)}'::timestamp`, `'${pgUtc(to)}'::timestamp`];
  const first = `date_bin('60 seconds', ${f}, TIMESTAMP '2000-01-01')`;
  const packed = `p."instanceId" = ${ids} AND p.minute >= ${first} AND p.minute <= ${t}`;
  // The raw rows are read minute by minute: each (instance, minute) of the window without a pack
  // is one index range of its raw rows, so a minute comes from one source only (its pack, else
  // its raw rows) and no raw row is read only to be dropped. A live system keeps hours of raw rows
  // beside the packs: reading a window's ~900 per instance to drop them cost PostgreSQL ~26 s of
  // CPU per preview of 1,000 instances (bench SCALE_WHATIF_RAW=all). The form before (the raw
  // rows from the chunk's first unpacked minute on, each checked for a pack by an anti-join that
  // the planner merged on the instance only, comparing each row with every pack of its instance)
  // cost PostgreSQL a median 1.13 s of CPU per preview's reads of 3,000 instances, this one 0.98 s
  // (8 interleaved pairs, quiet machine).
  const unpacked = `SELECT i.id, m FROM unnest(${idArray}) i(id) CROSS JOIN generate_series(${first}, ${t}, interval '1 minute') m
      WHERE NOT EXISTS (SELECT 1 FROM "TelemetryPack" p WHERE ${packed} AND p."instanceId" = i.id AND p.minute = m)`;
  // The unpacked minutes are found first (MATERIALIZED) and each is one index range (OFFSET 0
  // keeps the subquery whole): flattened, the planner read every raw row of the window for each
  // instance and then matched them with the minutes.
  return `WITH u AS MATERIALIZED (${unpacked})
    SELECT p."instanceId", p.minute, p.data, ${NO_RAW_COLUMNS_SQL} FROM "TelemetryPack" p WHERE ${packed}
    UNION ALL
      SELECT s."instanceId", s.at, NULL, ${RAW_COLUMNS_SQL} FROM u
      CROSS JOIN LATERAL (SELECT * FROM "TelemetrySample" s WHERE s."instanceId" = u.id
        AND s.at >= greatest(u.m, ${f}) AND s.at < u.m + interval '1 minute' AND s.at <= ${t} OFFSET 0) s
    ORDER BY 1, 2`;
}

/** The first sample's machine states: one index probe per instance. */
const FIRST = `SELECT i.id::text AS id, s.tw, s.deg, s.br, s.ss, s.rc FROM unnest($1::uuid[]) AS i(id)
  CROSS JOIN LATERAL (SELECT "targetWeight" AS tw, degradation AS deg, breaker AS br, "stageState" AS ss,
      ("inputAgeMs"->>'recompute')::float8 AS rc FROM "TelemetrySample"
    WHERE "instanceId" = i.id AND at >= $2 AND at <= $3 ORDER BY at LIMIT 1) s`;

type First = { id: string; tw: number; deg: number; br: string; ss: string[]; rc: number | null };

/** The first sample's machine states of each of `instanceIds` in [from, to] (none for an instance without a sample). */
export async function readFirstStates(db: Db, instanceIds: readonly string[], from: Date, to: Date): Promise<Map<string, FirstStates>> {
  const first = await pgPool(db).query<First>(FIRST, [instanceIds, pgUtc(from), pgUtc(to)]);
  return new Map<string, FirstStates>(first.rows.map((f) => [f.id, { targetWeight: f.tw, degradation: f.deg, breaker: f.br, stageState: f.ss, recomputeAgeMs: f.rc }]));
}

/**
 * The packs of `instanceIds` over [from, to], in (instance, minute) order: `visit` is called once
 * per pack with the instance's first-sample states. `data` is a view into the COPY output (kept
 * alive by it, never overwritten). `firstStates`: readFirstStates of (at least) these instances
 * over the same window, read once for many calls (else each call reads its own, one more query each).
 */
export async function readPacks(
  db: Db,
  instanceIds: readonly string[],
  from: Date,
  to: Date,
  visit: (id: string, data: Buffer, first: FirstStates | undefined) => void,
  opts: { firstStates?: Promise<Map<string, FirstStates>> } = {},
): Promise<void> {
  if (instanceIds.length === 0) return;
  const pool = pgPool(db);
  // Rows arrive while the first states are still being read: they are kept and visited once
  // both are in.
  const ids: string[] = [];
  const packs: Buffer[] = [];
  let lastId: Buffer | null = null;
  let id = '';
  const raw = new RawPackBuilder();
  const flushRaw = () => {
    if (raw.empty) return;
    packs.push(raw.take());
    ids.push(raw.id);
  };
  const copy = copyRows(pool, copySelect(instanceIds, from, to), (r) => {
    const idBytes = r.uuidBytes()!;
    if (lastId === null || !idBytes.equals(lastId)) {
      lastId = Buffer.from(idBytes);
      id = uuidText(idBytes);
    }
    const us = timestampUs(r.bytes()!);
    const data = r.bytes();
    if (data === null) {
      const minute = minuteOf(us);
      if (raw.empty || raw.id !== id || raw.minute !== minute) {
        flushRaw();
        raw.start(id, minute);
      }
      raw.append(r, us);
      return;
    }
    flushRaw();
    packs.push(data);
    ids.push(id);
  }).then(flushRaw);
  const [, firstOf] = await Promise.all([copy, opts.firstStates ?? readFirstStates(db, instanceIds, from, to)]);
  for (let k = 0; k < packs.length; k++) visit(ids[k]!, packs[k]!, firstOf.get(ids[k]!));
}

/**
 * readPacks for the what-if preview: the same samples, decoded into `arena` (reset first) as
 * each row arrives, one run of records per instance in (instance, time) order, with each
 * instance's first-sample states.
 */
export async function readRecords(
  db: Db,
  instanceIds: readonly string[],
  from: Date,
  to: Date,
  arena: RecordArena,
  firstStates?: Promise<Map<string, FirstStates>>,
): Promise<void> {
  arena.reset();
  if (instanceIds.length === 0) return;
  // The id and the time are read where they are: a view of each, per row, was garbage.
  const lastId = Buffer.alloc(16);
  let started = false;
  const copy = copyRows(pgPool(db), copySelect(instanceIds, from, to), (r) => {
    r.open();
    const b = r.buffer;
    const at = r.offset;
    r.advance(16);
    let same = started;
    for (let k = 0; same && k < 16; k++) same = b[at + k] === lastId[k];
    if (!same) {
      b.copy(lastId, 0, at, at + 16);
      started = true;
      arena.startInstance(uuidText(lastId));
    }
    r.open();
    const view = r.view;
    const t = r.viewOffset;
    const us = view.getInt32(t) * 0x1_0000_0000 + view.getUint32(t + 4);
    r.advance(8);
    const n = r.open();
    if (n < 0) arena.addRow(r, us);
    else {
      arena.addPackAt(b, r.offset, n, view, r.viewOffset);
      r.advance(n);
    }
  });
  const [, firstOf] = await Promise.all([copy, firstStates ?? readFirstStates(db, instanceIds, from, to)]);
  arena.firsts = arena.ids.map((id) => firstOf.get(id));
}

export async function loadRecorded(db: Db, instanceIds: readonly string[], from: Date, to: Date): Promise<Map<string, RecordedSample[]>> {
  const out = new Map<string, RecordedSample[]>();
  let lastId = '';
  let samples: RecordedSample[] = [];
  await readPacks(db, instanceIds, from, to, (id, data, first) => {
    if (id !== lastId) {
      lastId = id;
      samples = [];
    }
    unpack(data, from.getTime(), to.getTime(), first, samples);
    if (samples.length > 0 && !out.has(id)) out.set(id, samples);
  });
  return out;
}

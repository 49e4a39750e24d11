import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { pgPool } from '../../db/client';
import { makeFleet } from '../../db/factories';
import { copyRows, uuidText } from '../../db/pg-binary';
import { pgUtc } from '../../db/timestamp';
import { persistTick, type SampleRow } from '../../jobs/telemetry/persist';
import { isRawPack, rawPack } from './pack-codec';
import { readFirstStates, readPacks } from './recorded-samples';
import { MINUTE_SQL, PACK_SQL, packTelemetry } from './telemetry-pack';

// The minutes not packed yet are packed on the fly (raw-records.ts: as PACK_SQL would), one raw pack per minute; a
// minute comes from its pack alone once it has one, and the raw rows are read only from the
// chunk's first minute without a pack (the same packs as reading them all).
let t: TestDb;
const t0 = Date.UTC(2026, 10, 23, 8, 0, 0);
const MIN = 60_000;
let ids: string[] = [];
// Samples at these offsets: minutes 0, 1 and 2, a few each (k picks the values).
const OFFSETS = [0, 1000, 2500, 59_000, MIN + 1000, MIN + 2000, 2 * MIN, 2 * MIN + 30_000];
const row = (instanceId: string, k: number, i: number): SampleRow => ({
  instanceId, up: k % 3 !== 2, rtMs: k === 1 ? null : 12.5 + k + i / 3, cpu: 40.25 + k, memory: null, p50Ms: null, p95Ms: k === 4 ? null : 800 + k * 0.1, p99Ms: null, connections: k === 3 ? null : 1000 + i,
  rps: 50, errorRate: k === 5 ? null : 0.0125 * k, inputAgeMs: { cpu: k === 0 ? null : 0, p95: 1000 * k, connections: k % 2 === 0 ? 0 : 500, recompute: 2500 + k },
  targetWeight: 60 + k, effectiveWeight: 55.5 + k + i, degradation: 0, breaker: 'closed', stageFill: [0.1, 0.2, 0.3, 0.4, 0.97 - k / 100], stageState: ['idle', 'idle', 'idle', 'idle', 'idle'],
  requests: 100 + k, activeRequests: k === 6 ? null : 7, maxConcurrency: 128, ingressTimeouts: k === 0 ? null : 1,
  stageInputs: k === 2 && i === 1 ? [] : [1, 2, 3, 4, 5 + k], stageOutputs: k === 2 && i === 1 ? [] : [1, 2, 3, 4, 4], stageBlocked: k === 2 && i === 1 ? [] : [false, k === 6, false, true, k % 2 === 1],
});

async function persist(at: number, rows: SampleRow[]): Promise<void> {
  const client = new pg.Client({ connectionString: t.url });
  await client.connect();
  try {
    await persistTick(client, { at: new Date(at), startedAt: new Date(at), instances: rows.length, skippedSoFar: 0, leader: 'test' }, rows, []);
  } finally {
    await client.end();
  }
}

/** PACK_SQL's pack of every (instance, minute) of the raw rows, as "id minute" → hex. */
async function packSql(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  await copyRows(pgPool(t.db), `SELECT s."instanceId", extract(epoch FROM ${MINUTE_SQL})::float8 * 1000, ${PACK_SQL} FROM "TelemetrySample" s GROUP BY 1, 2`, (r) => {
    const id = uuidText(r.uuidBytes()!);
    out.set(`${id} ${r.bytes()!.readDoubleBE(0)}`, r.bytes()!.toString('hex'));
  });
  return out;
}

/** readPacks' packs in order as [id, minute, raw?, hex of the raw records]. */
async function read(chunk: string[]): Promise<Array<[string, number, boolean, string]>> {
  const out: Array<[string, number, boolean, string]> = [];
  await readPacks(t.db, chunk, new Date(t0), new Date(t0 + 3 * MIN - 1), (id, data) => {
    const records = rawPack(data);
    out.push([id, Math.floor(records.readDoubleBE(0) / MIN) * MIN - t0, isRawPack(data), records.toString('hex')]);
  });
  return out;
}

beforeAll(async () => {
  t = await openTestDb();
  await makeFleet(t.db, { regions: [{ name: 'r', zones: [{ name: 'z', clusters: ['c'] }] }], services: [{ name: 'api', placement: [{ cluster: 'c', versions: { v1: 2 } }] }] });
  ids = (await t.db.instance.findMany({ orderBy: { id: 'asc' } })).map((i) => i.id);
  for (const [k, o] of OFFSETS.entries()) await persist(t0 + o, ids.map((id, i) => row(id, k, i)));
});
afterAll(() => t.close());

describe('readPacks: minutes not packed yet', () => {
  it('packs the raw minutes as the rollup does, one raw pack per minute', async () => {
    const expected = await packSql();
    const got = await read(ids);
    expect(got.map(([id, m, raw]) => [id, m, raw])).toEqual(ids.flatMap((id) => [0, MIN, 2 * MIN].map((m) => [id, m, true])));
    for (const [id, m, , hex] of got) expect(hex).toBe(expected.get(`${id} ${t0 + m}`));
  });

  it('takes a minute from its pack alone, raw minutes between packed ones in order', async () => {
    const expected = await packSql();
    await packTelemetry(t.db, new Date(t0), new Date(t0 + 2 * MIN));
    // Instance 1's first minute is not packed (the rollup has not reached it) …
    await pgPool(t.db).query(`DELETE FROM "TelemetryPack" WHERE "instanceId" = $1 AND minute = '${pgUtc(new Date(t0))}'::timestamp`, [ids[1]]);
    // … and a late sample of instance 0's packed first minute stays out of it: the pack is the minute.
    await persist(t0 + 30_000, [row(ids[0]!, 7, 0)]);
    const got = await read(ids);
    expect(got.map(([id, m, raw]) => [id, m, raw])).toEqual([
      [ids[0], 0, false], [ids[0], MIN, false], [ids[0], 2 * MIN, true],
      [ids[1], 0, true], [ids[1], MIN, false], [ids[1], 2 * MIN, true],
    ]);
    for (const [id, m, , hex] of got) expect(hex).toBe(expected.get(`${id} ${t0 + m}`));
    // Alone, instance 0's raw rows start at its first minute without a pack: the same packs.
    expect(await read([ids[0]!])).toEqual(got.slice(0, 3));
  });

  it('reads the same packs and first states with the first states read once for every chunk', async () => {
    const window = [new Date(t0), new Date(t0 + 3 * MIN - 1)] as const;
    type Seen = [string, string, string];
    const readAll = async (opts?: Parameters<typeof readPacks>[5]) => {
      const out: Seen[] = [];
      // Each instance alone, as the preview reads its chunks (the arena reused for both).
      for (const id of ids) await readPacks(t.db, [id], ...window, (i, data, first) => out.push([i, data.toString('hex'), JSON.stringify(first)]), opts);
      return out;
    };
    const plain = await readAll();
    expect(plain.length).toBeGreaterThan(ids.length);
    expect(plain.every(([, , first]) => (JSON.parse(first) as { stageState: string[] } | undefined)?.stageState.length === 5)).toBe(true);
    expect(await readAll({ firstStates: readFirstStates(t.db, ids, ...window) })).toEqual(plain);
  });
});

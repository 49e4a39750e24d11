import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { pgPool } from '../../db/client';
import { makeFleet } from '../../db/factories';
import { copyRows, uuidText } from '../../db/pg-binary';
import { pgUtc } from '../../db/timestamp';
import { rawPack } from './pack-codec';
import { readPacks } from './recorded-samples';
import { MINUTE_SQL, PACK_SQL } from './telemetry-pack';

// readPacks packs the raw rows of the minutes not packed yet itself (raw-records.ts): whatever a
// row holds, its record is the one PACK_SQL makes, bit for bit — the odd rows persist never
// writes included (NULL elements, short, long, two-dimensional or shifted arrays, inputAgeMs
// without a key, with a JSON null or a string, negative zeros).
let t: TestDb;
let id = '';
const t0 = Date.UTC(2026, 10, 23, 8, 0, 0);

const ROWS: Array<Record<string, string>> = [
  {},
  { up: 'false', rtMs: 'NULL', cpu: "'-0'", "inputAgeMs": `'{}'`, stageFill: `'{}'`, stageInputs: `'{}'`, stageOutputs: `'{}'`, stageBlocked: `'{}'` },
  { "inputAgeMs": `'{"cpu": null, "p95": "12.5", "connections": 1e-7}'`, stageFill: `'{0.1,NULL,0.3}'`, stageInputs: `'{1,2,3,4,5,6,7}'`, stageBlocked: `'{true,NULL,false}'` },
  { stageFill: `'[0:4]={9,1,2,3,4}'`, stageInputs: `'{{1,2},{3,4}}'`, stageOutputs: `'[3:4]={7,8}'`, stageBlocked: `'[2:2]={true}'` },
  { "effectiveWeight": '0.1', "errorRate": '1e-300', requests: "'Infinity'", "activeRequests": "'-Infinity'", "inputAgeMs": `'{"cpu": 123456789.123456789, "p95": -0, "connections": 0.30000000000000004}'` },
];
const DEFAULTS: Record<string, string> = {
  up: 'true', rtMs: '12.5', cpu: '40.25', p95Ms: '800.1', connections: '1000', errorRate: '0.0125', requests: '100', activeRequests: '7',
  maxConcurrency: '128', ingressTimeouts: '1', effectiveWeight: '55.5', inputAgeMs: `'{"cpu": 0, "p95": 1000, "connections": 500}'`,
  stageState: `'{}'`, stageFill: `'{0.1,0.2,0.3,0.4,0.97}'`, stageInputs: `'{1,2,3,4,5}'`, stageOutputs: `'{1,2,3,4,4}'`, stageBlocked: `'{false,true,false,true,false}'`,
};

beforeAll(async () => {
  t = await openTestDb();
  await makeFleet(t.db, { regions: [{ name: 'r', zones: [{ name: 'z', clusters: ['c'] }] }], services: [{ name: 'api', placement: [{ cluster: 'c', versions: { v1: 1 } }] }] });
  id = (await t.db.instance.findFirstOrThrow()).id;
  for (const [k, row] of ROWS.entries()) {
    const values = { ...DEFAULTS, ...row };
    const columns = Object.keys(values);
    await pgPool(t.db).query(
      `INSERT INTO "TelemetrySample" ("instanceId", at, "tickId", "targetWeight", ${columns.map((c) => `"${c}"`).join(', ')})
        VALUES ($1, '${pgUtc(new Date(t0 + k * 1001))}'::timestamp, 1, 60, ${columns.map((c) => `${values[c]}`).join(', ')})`,
      [id],
    );
  }
});
afterAll(() => t.close());

describe('readPacks: raw rows packed in this process', () => {
  it('gives the records PACK_SQL gives, bit for bit', async () => {
    let expected = '';
    await copyRows(pgPool(t.db), `SELECT s."instanceId", ${PACK_SQL} FROM "TelemetrySample" s GROUP BY 1, ${MINUTE_SQL}`, (r) => {
      expect(uuidText(r.uuidBytes()!)).toBe(id);
      expected = r.bytes()!.toString('hex');
    });
    const got: string[] = [];
    await readPacks(t.db, [id], new Date(t0), new Date(t0 + 59_000), (_id, data) => got.push(rawPack(data).toString('hex')));
    expect(got).toHaveLength(1);
    expect(expected.length).toBe(ROWS.length * 35 * 16);
    expect(got[0]).toBe(expected);
  });
});

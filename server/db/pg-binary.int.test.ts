import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../test/context';
import { copyRows } from './pg-binary';

// Against a real server: values of every size cut across the socket's chunks come back exactly,
// and a statement that fails mid-output rejects without leaving the pool a broken connection.
let t: TestDb;
let pool: pg.Pool;
beforeAll(async () => {
  t = await openTestDb();
  pool = new pg.Pool({ connectionString: t.url, max: 1 });
});
afterAll(async () => {
  await pool.end();
  await t.close();
});

const valueSql = `CASE WHEN n % 7 = 0 THEN NULL ELSE decode(repeat(lpad(to_hex(n % 256), 2, '0'), (n * 977) % 40000), 'hex') END`;
const expected = (n: number) => (n % 7 === 0 ? null : Buffer.alloc((n * 977) % 40000, n % 256));

describe('copyRows', () => {
  it('reads every row exactly, values from none to tens of kilobytes', async () => {
    const got: Array<[number, Buffer | null]> = [];
    await copyRows(pool, `SELECT n, ${valueSql} FROM generate_series(1, 300) n`, (r) => {
      const n = r.bytes()!.readInt32BE(0);
      got.push([n, r.bytes()]);
    });
    expect(got.length).toBe(300);
    expect(got.map(([n]) => n)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    const wrong = got.filter(([n, v]) => (v === null ? expected(n) !== null : !expected(n)?.equals(v))).map(([n]) => n);
    expect(wrong).toEqual([]);
  });

  it('rejects with the server error of a statement that fails mid-output, and the pool still works', async () => {
    let rows = 0;
    const failing = copyRows(pool, `SELECT n, ${valueSql}, 1 / (200 - n) FROM generate_series(1, 300) n`, () => rows++);
    await expect(failing).rejects.toThrow(/division by zero/);
    expect(rows).toBeLessThan(200);
    const after = await pool.query<{ one: number }>('SELECT 1 AS one');
    expect(after.rows[0]!.one).toBe(1);
    let again = 0;
    await copyRows(pool, 'SELECT n FROM generate_series(1, 10) n', () => again++);
    expect(again).toBe(10);
  });
});

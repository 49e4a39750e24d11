// The weight recompute's trigger is stored as data: written by persistTick from the domain's
// transition, and given back to rows written before the column by the migration's backfill.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { makeFleet } from '../../db/factories';
import type { RecomputeTrigger } from '../../domain/model';
import { persistTick } from './persist';

let t: TestDb;
let instanceId: string;
beforeAll(async () => {
  t = await openTestDb();
  await makeFleet(t.db, { regions: [{ name: 'r', zones: [{ name: 'z', clusters: ['c'] }] }], services: [{ name: 'api', placement: [{ cluster: 'c', versions: { v1: 1 } }] }] });
  instanceId = (await t.db.instance.findFirstOrThrow()).id;
});
afterAll(() => t.close());

describe('weight recompute trigger', () => {
  it('persistTick stores the trigger of a weight transition, and none for the other machines', async () => {
    const trigger: RecomputeTrigger = { kind: 'threshold', input: 'cpu', direction: 'up', value: 91.25, threshold: 85 };
    const at = Date.UTC(2026, 10, 23, 9, 0, 0);
    const client = new pg.Client({ connectionString: t.url });
    await client.connect();
    try {
      await persistTick(client, { at: new Date(at), startedAt: new Date(at), instances: 1, skippedSoFar: 0, leader: 'test' }, [], [
        { instanceId, machine: 'weight', from: '80', to: '60', cause: 'CPU 91 % crossed 85 %', at, values: { target: 60 }, trigger },
        { instanceId, machine: 'breaker', from: 'closed', to: 'open', cause: 'errors', at, values: {} },
      ]);
    } finally {
      await client.end();
    }
    const rows = await t.db.stateTransition.findMany({ where: { instanceId }, orderBy: { machine: 'asc' } });
    expect(rows.map((r) => [r.machine, r.trigger])).toEqual([
      ['breaker', null],
      ['weight', trigger],
    ]);
  });

  it('the migration gives rows written before the column their trigger back from the sentence', async () => {
    const sql = readFileSync(backfillMigrationFile(), 'utf8');
    const backfill = sql.slice(sql.indexOf('UPDATE "StateTransition"'));
    const tick = await t.db.tick.create({ data: { startedAt: new Date(), finishedAt: new Date(), durationMs: 1, instances: 1, leader: 'old' } });
    const causes = [
      'P95 1240 ms crossed 1200 ms',
      'CPU 80 % fell back below 85 %',
      '4700 connections crossed 4500',
      'periodic recompute (every 30 s)',
      'first computation',
      'instance drained by an operator',
      'instance unreachable',
      'policy changed',
      'something else',
    ];
    await t.db.stateTransition.createMany({ data: causes.map((cause) => ({ at: new Date(), tickId: tick.id, instanceId, machine: 'weight' as const, fromState: '1', toState: '2', cause })) });
    await t.db.$executeRawUnsafe(backfill);
    const rows = await t.db.stateTransition.findMany({ where: { tickId: tick.id } });
    const byCause = Object.fromEntries(rows.map((r) => [r.cause, r.trigger]));
    expect(causes.map((c) => byCause[c])).toEqual([
      { kind: 'threshold', input: 'p95', direction: 'up', value: 1240, threshold: 1200 },
      { kind: 'threshold', input: 'cpu', direction: 'down', value: 80, threshold: 85 },
      { kind: 'threshold', input: 'connections', direction: 'up', value: 4700, threshold: 4500 },
      { kind: 'periodic', everyS: 30 },
      { kind: 'initial' },
      { kind: 'admin', state: 'drain' },
      { kind: 'down' },
      { kind: 'policy' },
      null,
    ]);
  });
});

function backfillMigrationFile(): string {
  const root = path.resolve(import.meta.dirname, '../../../prisma/migrations');
  return path.join(root, '20261201190058_weight_trigger', 'migration.sql');
}

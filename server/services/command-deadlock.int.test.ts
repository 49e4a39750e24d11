// A command chosen by PostgreSQL as a deadlock victim is run again, whole: a person's command
// (halt-all while a reconciler holds the same rows) must not fail with "something went wrong".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../test/context';
import { runCommand } from './command';
import { isTransientTxError } from './db-errors';

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
afterAll(() => t.close());

describe('runCommand and deadlocks', () => {
  it('two commands taking two locks in opposite orders both commit: the victim runs again', async () => {
    const attempts = { a: 0, b: 0 };
    const base = 7_000_000 + Math.floor(Math.random() * 1000) * 2;
    // Each command holds its first lock until the other one holds its own, then asks for the other's.
    let aHolds = false;
    let bHolds = false;
    const until = async (cond: () => boolean) => {
      const deadline = Date.now() + 30_000;
      while (!cond()) {
        if (Date.now() > deadline) throw new Error('the other command never took its first lock');
        await new Promise((r) => setImmediate(r));
      }
    };
    const command = (me: 'a' | 'b', first: number, second: number) =>
      runCommand(t.db, { id: null, name: 'test' }, async (ctx) => {
        attempts[me]++;
        await ctx.tx.$executeRaw`SELECT pg_advisory_xact_lock(${first}::bigint)`;
        if (attempts[me] === 1) {
          if (me === 'a') aHolds = true;
          else bHolds = true;
          await until(() => aHolds && bHolds);
        }
        await ctx.tx.$executeRaw`SELECT pg_advisory_xact_lock(${second}::bigint)`;
        await ctx.audit({ action: 'test.deadlock', targetType: 'test', targetId: `${me}-${base}` });
        return me;
      }, { timeoutMs: 60_000 });
    const results = await Promise.all([command('a', base, base + 1), command('b', base + 1, base)]);
    expect(results).toEqual(['a', 'b']);
    // Exactly one was the victim and ran twice; both audits committed once.
    expect(attempts.a + attempts.b).toBe(3);
    expect(await t.db.auditEvent.count({ where: { action: 'test.deadlock', targetId: { in: [`a-${base}`, `b-${base}`] } } })).toBe(2);
  });

  it('recognises PostgreSQL deadlock and serialization failures, and nothing else', () => {
    expect(isTransientTxError({ code: 'P2034' })).toBe(true);
    expect(isTransientTxError({ code: '40P01' })).toBe(true);
    expect(isTransientTxError({ code: 'P2010', meta: { driverAdapterError: { cause: { originalCode: '40001' } } } })).toBe(true);
    expect(isTransientTxError({ code: 'P2002' })).toBe(false);
    expect(isTransientTxError(new Error('boom'))).toBe(false);
  });
});

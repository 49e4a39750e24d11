import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../test/context';
import { oneWinner, raceBehindLock } from '../../test/race';
import { makeDefaultPolicies, makeFleet } from '../db/factories';
import { defaultPolicies } from '../domain/policy-defaults';
import { runCommand } from './command';
import { asConflict } from './db-errors';
import { saveAdapterConfig } from './platform/platform-configs';
import { publishPolicy } from './policies/policies';
import { createUser } from './users/users';

// Two people create the same thing at once. Both pass the "is the name free?" check (neither has
// committed); the database's unique index decides. The loser gets a conflict in words, not a 500
// with the constraint's name. A third session holds an uncommitted row with the same key until
// both are waiting on it, then rolls back, so the race happens every run.

let t: TestDb;
const alice = { id: null, name: 'alice' };
const bob = { id: null, name: 'bob' };
const actors = [alice, bob];

beforeAll(async () => {
  t = await openTestDb();
  await makeDefaultPolicies(t.db);
  await makeFleet(t.db, { regions: [{ name: 'r1', zones: [{ name: 'z1', clusters: ['c1'] }] }], services: [{ name: 'api', placement: [{ cluster: 'c1', versions: { v1: 1 } }] }] });
});
afterAll(() => t.close());

describe('create races are conflicts in words', () => {
  it('users.create twice with one name: one user, and "A user named … already exists" on the name field', async () => {
    const results = await raceBehindLock(
      t.url,
      `INSERT INTO "User"(id, name, "passwordHash", role, "updatedAt") VALUES (gen_random_uuid(), 'racer', 'x', 'viewer', now())`,
      actors.map((actor) => () => createUser(t.db, actor, { name: 'racer', role: 'viewer' })),
      { end: 'ROLLBACK' },
    );
    const { error } = oneWinner(results);
    expect(error).toMatchObject({ code: 'CONFLICT', fieldErrors: { name: ['This name is taken'] } });
    expect(error.message).toMatch(/^A user named "racer" already exists\./);
    expect(await t.db.user.count({ where: { name: 'racer' } })).toBe(1);
  });

  it('a new adapter name created twice: one adapter, the other "An adapter named … already exists"', async () => {
    const results = await raceBehindLock(
      t.url,
      `INSERT INTO "AdapterConfig"(id, name, kind, config, "updatedAt") VALUES (gen_random_uuid(), 'edge-lb', 'sim', '{}', now())`,
      actors.map((actor, i) => () => saveAdapterConfig(t.db, actor, { name: 'edge-lb', kind: 'sim', config: { seed: i + 1 } })),
      { end: 'ROLLBACK' },
    );
    const { error } = oneWinner(results);
    expect(error).toMatchObject({ code: 'CONFLICT', fieldErrors: { name: ['This name is taken'] } });
    expect(error.message).toMatch(/^An adapter named "edge-lb" already exists\./);
  });

  it('a service override created twice: one version 1, the other a conflict naming its author (not Policy_kind_scope_key)', async () => {
    const svc = await t.db.service.findUniqueOrThrow({ where: { name: 'api' } });
    const scope = `service:${svc.id}`;
    const results = await raceBehindLock(
      t.url,
      `INSERT INTO "Policy"(id, kind, scope, "serviceId", document, version, "updatedAt") VALUES (gen_random_uuid(), 'weight', '${scope}', '${svc.id}', '{}', 0, now())`,
      actors.map((actor, i) => () => publishPolicy(t.db, actor, { kind: 'weight', scope, expectedVersion: 0, document: { ...defaultPolicies.weight, base: 300 + i }, message: `override by ${actor.name}` })),
      { end: 'ROLLBACK' },
    );
    const { winnerIndex, error } = oneWinner(results);
    const winner = actors[winnerIndex]!.name;
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toContain(`was changed by ${winner} at `);
    expect(error.message).toContain('it is now version 1; your edit was based on version 0');
    expect(error.message).not.toContain('Policy_kind_scope_key');
    expect(await t.db.policyVersion.count({ where: { policy: { scope } } })).toBe(1);
  });

  it('a unique violation from raw SQL inside a command is a conflict too', async () => {
    await t.db.user.create({ data: { name: 'taken-raw', passwordHash: 'x', role: 'viewer' } });
    const err = await runCommand(t.db, alice, (ctx) => ctx.tx.$executeRaw`INSERT INTO "User"(id, name, "passwordHash", role, "updatedAt") VALUES (gen_random_uuid(), 'taken-raw', 'x', 'viewer', now())`, { input: { name: 'taken-raw' } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/^A user named "taken-raw" already exists\./) as unknown });
  });

  it('node-postgres 23505 (a pool query outside Prisma) maps the same way', async () => {
    const client = new pg.Client({ connectionString: t.url });
    await client.connect();
    try {
      const err = await client.query(`INSERT INTO "AdapterConfig"(id, name, kind, config, "updatedAt") VALUES (gen_random_uuid(), 'edge-lb', 'sim', '{}', now())`).catch((e: unknown) => e);
      expect(asConflict(err)).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/^An adapter with that name already exists\./) as unknown });
      expect(asConflict(err, { name: 'edge-lb' })).toMatchObject({ message: expect.stringMatching(/^An adapter named "edge-lb" already exists\./) as unknown });
    } finally {
      await client.end();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../test/context';
import { oneWinner, raceBehindLock } from '../../test/race';
import { makeDefaultPolicies, makeFleet } from '../db/factories';
import { defaultPolicies } from '../domain/policy-defaults';
import { saveAdapterConfig } from './platform/platform-configs';
import { getPolicy, publishPolicy, rollbackPolicy } from './policies/policies';
import { updateService } from './topology/topology';

// Two people save the same row at once: exactly one wins, and the other is told the version that
// is really current and who made it — not the number its own transaction read before the race.

let t: TestDb;
const alice = { id: null, name: 'alice' };
const bob = { id: null, name: 'bob' };
const actors = [alice, bob];
const weight = defaultPolicies.weight;

beforeAll(async () => {
  t = await openTestDb();
  await makeDefaultPolicies(t.db);
  await makeFleet(t.db, { regions: [{ name: 'r1', zones: [{ name: 'z1', clusters: ['c1'] }] }], services: [{ name: 'api', placement: [{ cluster: 'c1', versions: { v1: 1 } }] }] });
});
afterAll(() => t.close());

describe('compare-and-set: the loser of a race names the winner', () => {
  it('two concurrent publishes of a policy: one wins, the other names the real current version and its author', async () => {
    const p = await t.db.policy.findUniqueOrThrow({ where: { kind_scope: { kind: 'weight', scope: 'global' } } });
    const results = await raceBehindLock(
      t.url,
      `SELECT 1 FROM "Policy" WHERE id = '${p.id}' FOR UPDATE`,
      actors.map((actor, i) => () => publishPolicy(t.db, actor, { kind: 'weight', scope: 'global', expectedVersion: p.version, document: { ...weight, base: 200 + i }, message: `by ${actor.name}` })),
    );
    const { winnerIndex, error } = oneWinner(results);
    const winner = actors[winnerIndex]!.name;
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toMatch(new RegExp(`changed by ${winner} at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC — it is now version ${p.version + 1}; your edit was based on version ${p.version}\\.`));
    expect(error.details).toMatchObject({ currentVersion: p.version + 1, expectedVersion: p.version, changedBy: winner, current: { document: { base: 200 + winnerIndex } } });
    expect((await getPolicy(t.db, { kind: 'weight', scope: 'global' })).versions[0]).toMatchObject({ version: p.version + 1, authorName: winner });
  });

  it('two concurrent updateService calls: the loser names the winner and sees the current values', async () => {
    const s = await t.db.service.findUniqueOrThrow({ where: { name: 'api' } });
    const results = await raceBehindLock(
      t.url,
      `SELECT 1 FROM "Service" WHERE id = '${s.id}' FOR UPDATE`,
      actors.map((actor) => () => updateService(t.db, actor, { id: s.id, version: s.version, description: `described by ${actor.name}` })),
    );
    const { winnerIndex, error } = oneWinner(results);
    const winner = actors[winnerIndex]!.name;
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toContain(`Service "api" was changed by ${winner} at `);
    expect(error.message).toContain(`it is now version ${s.version + 1}; your edit was based on version ${s.version}`);
    expect(error.details).toMatchObject({ currentVersion: s.version + 1, changedBy: winner, current: { name: 'api', description: `described by ${winner}` } });
  });

  it('two concurrent platform.save calls: the loser names the winner', async () => {
    const created = await saveAdapterConfig(t.db, alice, { name: 'sim-a', kind: 'sim', config: { seed: 1 } });
    const results = await raceBehindLock(
      t.url,
      `SELECT 1 FROM "AdapterConfig" WHERE id = '${created.id}' FOR UPDATE`,
      actors.map((actor, i) => () => saveAdapterConfig(t.db, actor, { id: created.id, version: created.version, name: 'sim-a', kind: 'sim', config: { seed: 10 + i } })),
    );
    const { winnerIndex, error } = oneWinner(results);
    const winner = actors[winnerIndex]!.name;
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toContain(`Adapter "sim-a" was changed by ${winner} at `);
    expect(error.message).toContain(`it is now version ${created.version + 1}; your edit was based on version ${created.version}`);
    expect(error.details).toMatchObject({ currentVersion: created.version + 1, changedBy: winner, current: { config: { seed: 10 + winnerIndex } } });
  });
});

describe('a draft publishes against the version it was based on', () => {
  it('a stale tab publishing against its base version is refused, with who changed what since (before → after)', async () => {
    const base = await getPolicy(t.db, { kind: 'weight', scope: 'global' });
    // Tab A changes the CPU coefficient; tab B, opened on the same version, changed the CPU alert threshold.
    await publishPolicy(t.db, alice, { kind: 'weight', scope: 'global', expectedVersion: base.version, document: { ...base.document, coefficients: { ...weight.coefficients, cpu: 0.5 } }, message: 'cpu matters more' });
    const tabB = { ...base.document, thresholds: { ...weight.thresholds, cpuPct: 70 } };
    const err = (await publishPolicy(t.db, bob, { kind: 'weight', scope: 'global', expectedVersion: base.version, document: tabB, message: 'alert earlier' }).catch((e: unknown) => e)) as { code: string; message: string; details: Record<string, unknown> };
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toContain(`changed by alice at `);
    expect(err.message).toContain(`it is now version ${base.version + 1}; your edit was based on version ${base.version}`);
    expect(err.details).toMatchObject({
      currentVersion: base.version + 1,
      baseVersion: base.version,
      baseDocument: base.document,
      theirChanges: [{ path: 'coefficients.cpu', before: base.document.coefficients && (base.document.coefficients as { cpu: number }).cpu, after: 0.5 }],
      versionsSince: [{ version: base.version + 1, authorName: 'alice', message: 'cpu matters more', rollbackOf: null }],
    });
    // Nothing of B's landed: A's change stands.
    const now = await getPolicy(t.db, { kind: 'weight', scope: 'global' });
    expect([now.version, (now.document.coefficients as { cpu: number }).cpu, (now.document.thresholds as { cpuPct: number }).cpuPct]).toEqual([base.version + 1, 0.5, weight.thresholds.cpuPct]);
  });
});

describe('rollback is one command', () => {
  it('is audited as a rollback with rollbackOf, in the same transaction as the new version', async () => {
    const before = await getPolicy(t.db, { kind: 'breaker', scope: 'global' });
    const v2 = await publishPolicy(t.db, alice, { kind: 'breaker', scope: 'global', expectedVersion: before.version, document: { ...defaultPolicies.breaker, coolDownS: 99 }, message: 'slower cool-down' });
    const res = await rollbackPolicy(t.db, bob, { kind: 'breaker', scope: 'global', toVersion: before.version, expectedVersion: v2.version });
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { targetId: res.id }, orderBy: { id: 'desc' } });
    expect(audit).toMatchObject({ action: 'policy.rollback', actorName: 'bob', after: { version: v2.version + 1, rollbackOf: before.version } });
    const row = await t.db.policyVersion.findUniqueOrThrow({ where: { policyId_version: { policyId: res.id, version: res.version } } });
    expect(row.rollbackOf).toBe(before.version);
    expect((row.document as { coolDownS: number }).coolDownS).toBe(defaultPolicies.breaker.coolDownS);
  });

  it('a publish racing a rollback is never silently overwritten: one wins, the other is a conflict naming it', async () => {
    const p = await t.db.policy.findUniqueOrThrow({ where: { kind_scope: { kind: 'breaker', scope: 'global' } } });
    const results = await raceBehindLock<{ version: number }>(t.url, `SELECT 1 FROM "Policy" WHERE id = '${p.id}' FOR UPDATE`, [
      () => rollbackPolicy(t.db, alice, { kind: 'breaker', scope: 'global', toVersion: 2, expectedVersion: p.version }),
      () => publishPolicy(t.db, bob, { kind: 'breaker', scope: 'global', expectedVersion: p.version, document: { ...defaultPolicies.breaker, coolDownS: 7 }, message: 'fast' }),
    ]);
    const { winnerIndex, error } = oneWinner(results);
    const winner = actors[winnerIndex]!.name;
    expect(error).toMatchObject({ code: 'CONFLICT', details: { currentVersion: p.version + 1, changedBy: winner } });
    const versions = await t.db.policyVersion.findMany({ where: { policyId: p.id, version: { gt: p.version } } });
    expect(versions.map((v) => [v.version, v.authorName, v.rollbackOf])).toEqual([[p.version + 1, winner, winner === 'alice' ? 2 : null]]);
    const audits = await t.db.auditEvent.findMany({ where: { targetId: p.id, action: { in: ['policy.publish', 'policy.rollback'] }, after: { path: ['version'], equals: p.version + 1 } } });
    expect(audits.map((a) => a.action)).toEqual([winner === 'alice' ? 'policy.rollback' : 'policy.publish']);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFleet, makeUser } from '../db/factories';
import { type AppError } from '../errors';
import { openTestDb, type TestDb } from '../../test/context';
import { convergeService, updateService } from './topology/topology';
import { runCommand } from './command';
import { RECONCILE_TX_TIMEOUT_MS } from './rollouts/reconcile';

let t: TestDb;
let serviceId: string;
beforeAll(async () => {
  t = await openTestDb();
  const fleet = await makeFleet(t.db, {
    regions: [{ name: 'r1', zones: [{ name: 'z1', clusters: ['c1', 'c2'] }] }],
    services: [
      { name: 'svc-a', placement: [{ cluster: 'c1', versions: { v1: 2, v2: 1 } }, { cluster: 'c2', versions: { v1: 2 } }] },
      { name: 'svc-b', placement: [{ cluster: 'c2', versions: { v1: 1 } }] },
    ],
  });
  serviceId = fleet.services[0]!.id;
});
afterAll(() => t.close());

const jobsFor = (id: string) =>
  t.db.$queryRaw<Array<{ task_identifier: string; payload: { serviceId: string; version: number } }>>`
    SELECT t.identifier AS task_identifier, j.payload FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id WHERE j.payload->>'serviceId' = ${id}`;

describe('commands: row + audit + live event + job in one transaction', () => {
  it('a rename writes the row, the audit entry, a live event and one converge job', async () => {
    const { user: admin } = await makeUser(t.db, { role: 'admin' });
    const s = await t.db.service.findUniqueOrThrow({ where: { id: serviceId } });
    const maxEvent = (await t.db.liveEvent.aggregate({ _max: { id: true } }))._max.id ?? 0n;
    const after = await updateService(t.db, { id: admin.id, name: admin.name }, { id: s.id, version: s.version, name: 'svc-renamed' });
    expect(after).toMatchObject({ name: 'svc-renamed', version: s.version + 1 });
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { targetId: s.id, action: 'service.update' }, orderBy: { id: 'desc' } });
    expect(audit.before).toMatchObject({ name: 'svc-a' });
    expect(audit.after).toMatchObject({ name: 'svc-renamed' });
    const events = await t.db.liveEvent.findMany({ where: { id: { gt: maxEvent } } });
    expect(events.map((e) => e.topic)).toEqual(['service.changed']);
    const jobs = await jobsFor(s.id);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ task_identifier: 'registry_converge', payload: { serviceId: s.id, version: s.version + 1 } });
  });

  it('a stale write is refused as a conflict and leaves no audit, event or job behind', async () => {
    const s = await t.db.service.findUniqueOrThrow({ where: { id: serviceId } });
    const counts = async () => [await t.db.auditEvent.count(), await t.db.liveEvent.count(), (await jobsFor(s.id)).length];
    const before = await counts();
    const err = (await updateService(t.db, { id: null, name: 'x' }, { id: s.id, version: s.version - 1, description: 'stale' }).catch((e: unknown) => e)) as AppError;
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toContain(`it is now version ${s.version}; your edit was based on version ${s.version - 1}`);
    expect(err.details).toMatchObject({ currentVersion: s.version });
    expect(await counts()).toEqual(before);
  });

  it('a command that fails after writing rolls everything back, the job included', async () => {
    const before = [await t.db.auditEvent.count(), await t.db.liveEvent.count()];
    const jobsBefore = await t.db.$queryRaw<Array<{ n: bigint }>>`SELECT count(*) AS n FROM graphile_worker.jobs`;
    await expect(
      runCommand(t.db, { id: null, name: 'test' }, async (ctx) => {
        await ctx.audit({ action: 'test.fail', targetType: 'test', targetId: '1' });
        await ctx.emit('topology.changed', { source: 'test', services: 0, instances: 0, updated: 0 });
        await ctx.enqueue('sessions_cleanup', {});
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect([await t.db.auditEvent.count(), await t.db.liveEvent.count()]).toEqual(before);
    const jobsAfter = await t.db.$queryRaw<Array<{ n: bigint }>>`SELECT count(*) AS n FROM graphile_worker.jobs`;
    expect(jobsAfter[0]!.n).toBe(jobsBefore[0]!.n);
  });

  it('a name already used by another service is a field error', async () => {
    const s = await t.db.service.findUniqueOrThrow({ where: { id: serviceId } });
    const err = (await updateService(t.db, { id: null, name: 'x' }, { id: s.id, version: s.version, name: 'svc-b' }).catch((e: unknown) => e)) as AppError;
    expect(err.code).toBe('CONFLICT');
    expect(err.fieldErrors).toEqual({ name: ['This name is taken'] });
  });

  it('converging is idempotent and never moves backwards', async () => {
    const s = await t.db.service.findUniqueOrThrow({ where: { id: serviceId } });
    expect(await convergeService(t.db, { serviceId: s.id, version: s.version })).toEqual({ applied: true });
    expect(await convergeService(t.db, { serviceId: s.id, version: s.version })).toEqual({ applied: false });
    expect(await convergeService(t.db, { serviceId: s.id, version: s.version - 1 })).toEqual({ applied: false });
    // A job for a version the registry has not reached yet is not recorded as applied.
    expect(await convergeService(t.db, { serviceId: s.id, version: s.version + 5 })).toEqual({ applied: false });
    expect((await t.db.service.findUniqueOrThrow({ where: { id: s.id } })).appliedVersion).toBe(s.version);
  });

  it('the overview counts what the registry holds', async () => {
    const { getOverview } = await import('./topology/topology');
    const o = await getOverview(t.db);
    expect(o.counts).toEqual({ regions: 1, zones: 1, clusters: 2, services: 2, instances: 6 });
    const a = o.services.find((s) => s.id === serviceId)!;
    expect(a.byAppVersion).toEqual({ v1: 4, v2: 1 });
    expect(a.zones).toBe(1);
    expect(o.regions[0]!.zones[0]).toMatchObject({ name: 'z1', clusters: 2, instances: 6 });
  });

  it('a command given a longer timeout (the reconciler: RECONCILE_TX_TIMEOUT_MS) may run past Prisma\'s default 5 s; a short one rolls back', async () => {
    const sleep = (seconds: number, timeoutMs: number) =>
      runCommand(t.db, { id: null, name: 'worker' }, async (ctx) => {
        await ctx.tx.$executeRawUnsafe(`SELECT pg_sleep(${seconds})`);
        await ctx.audit({ action: 'test.sleep', targetType: 'test', targetId: `${seconds}` });
      }, { timeoutMs });
    await sleep(5.5, RECONCILE_TX_TIMEOUT_MS);
    expect(await t.db.auditEvent.count({ where: { action: 'test.sleep', targetId: '5.5' } })).toBe(1);
    await expect(sleep(0.5, 100)).rejects.toThrow();
    expect(await t.db.auditEvent.count({ where: { action: 'test.sleep', targetId: '0.5' } })).toBe(0);
  }, 30_000);
});

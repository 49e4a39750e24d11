import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { makeFleet } from '../../db/factories';
import { AppError } from '../../errors';
import { clearSimControls, getSimStatus, setDemand, stressInstance } from './sim-control';

let t: TestDb;
const actor = { id: null, name: 'tester' };
beforeAll(async () => {
  t = await openTestDb();
  await makeFleet(t.db, { regions: [{ name: 'r', zones: [{ name: 'z', clusters: ['c'] }] }], services: [{ name: 'svc', placement: [{ cluster: 'c', versions: { v1: 2 } }] }] });
  await t.db.adapterConfig.create({ data: { name: 'simulator', kind: 'sim', active: true, config: {} } });
});
afterAll(() => t.close());

describe('simulator control API', () => {
  it('stores controls with an expiry, by instance id or name, audited; expired ones disappear', async () => {
    const [a, b] = await t.db.instance.findMany({ orderBy: { name: 'asc' } });
    const service = await t.db.service.findFirstOrThrow();
    await stressInstance(t.db, actor, { instanceName: a!.name, cpuPct: 90, durationS: 60 });
    await stressInstance(t.db, actor, { instanceId: b!.id, cpuPct: 40, durationS: 5 });
    await setDemand(t.db, actor, { serviceId: service.id, factor: 2, durationS: 60 });
    // Stressing the same instance again replaces its entry.
    await stressInstance(t.db, actor, { instanceId: a!.id, cpuPct: 95, durationS: 60 });
    const now = await getSimStatus(t.db);
    expect(now.available).toBe(true);
    expect(now.controls.stress.map((s) => [s.instanceId, s.cpuPct])).toEqual([
      [b!.id, 40],
      [a!.id, 95],
    ]);
    expect(now.controls.demand).toHaveLength(1);
    const later = await getSimStatus(t.db, new Date(Date.now() + 10_000));
    expect(later.controls.stress.map((s) => s.instanceId)).toEqual([a!.id]);
    expect(await t.db.auditEvent.count({ where: { action: 'sim.stress', actorName: 'tester' } })).toBe(3);
    await clearSimControls(t.db, actor);
    expect((await getSimStatus(t.db)).controls).toEqual({ demand: [], stress: [] });
  });

  it('refuses an unknown instance, and every control while another adapter is active, leaving nothing behind', async () => {
    await expect(stressInstance(t.db, actor, { instanceName: 'nope', cpuPct: 50, durationS: 60 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await t.db.adapterConfig.updateMany({ data: { active: false } });
    await t.db.adapterConfig.create({ data: { name: 'lab', kind: 'haproxy', active: true, config: {} } });
    const i = await t.db.instance.findFirstOrThrow();
    const audits = await t.db.auditEvent.count();
    const err = await stressInstance(t.db, actor, { instanceId: i.id, cpuPct: 50, durationS: 60 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('PRECONDITION_FAILED');
    expect(await t.db.auditEvent.count()).toBe(audits);
    expect((await getSimStatus(t.db)).available).toBe(false);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { makeFleet } from '../../db/factories';
import { AppError } from '../../errors';
import pg from 'pg';
import { createSimAdapter, simConfigSchema } from '../../platform/sim';
import { feedSimControls } from './active-adapter';
import { clearSimControls, getSimStatus, resetVersionBehaviour, setDemand, setVersionBehaviour, stressInstance } from './sim-control';

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
    expect((await getSimStatus(t.db)).controls).toEqual({ demand: [], stress: [], versions: [] });
  });

  it('sets a version\'s behaviour (audited with before and after), keeps it through clear, hands it to the simulator, resets it', async () => {
    await setVersionBehaviour(t.db, actor, { version: 'v1', latencyFactor: 1.5, errorPct: 40, cpuFactor: 2 });
    await setDemand(t.db, actor, { serviceId: (await t.db.service.findFirstOrThrow()).id, factor: 2, durationS: 60 });
    await clearSimControls(t.db, actor);
    const status = await getSimStatus(t.db);
    expect(status.controls).toEqual({ demand: [], stress: [], versions: [{ version: 'v1', latencyFactor: 1.5, errorPct: 40, cpuFactor: 2 }] });
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { action: 'sim.version' } });
    expect(audit).toMatchObject({ targetType: 'simulator', targetId: 'v1', before: { version: 'v1', latencyFactor: 1, errorPct: 0.05, cpuFactor: 1 }, after: { version: 'v1', errorPct: 40 } });

    // The telemetry leader hands it to the simulator before each tick: v1 now fails 40 % of its requests.
    const pool = new pg.Pool({ connectionString: t.url, max: 2 });
    const sim = createSimAdapter(simConfigSchema.parse({ seed: 5, hotZone: null }));
    try {
      const instances = await t.db.instance.findMany({ include: { service: true } });
      await sim.setFleet({
        services: [{ id: instances[0]!.serviceId, name: instances[0]!.service.name, routing: { versionWeights: {}, headerRules: [] } }],
        instances: instances.map((i) => ({ id: i.id, name: i.name, serviceId: i.serviceId, serviceName: i.service.name, appVersion: i.appVersion, region: 'r', zone: 'z', cluster: 'c', address: '', adminState: 'ready' })),
      });
      await feedSimControls(sim, pool);
      let requests = 0;
      let errors = 0;
      for (let k = 0; k < 10; k++) {
        for (const x of await sim.readTelemetry(new Date(Date.UTC(2030, 0, 1, 14) + k * 1000))) {
          requests += x.requests!;
          errors += x.errors!;
        }
      }
      expect(errors / requests).toBeGreaterThan(0.35);
      expect(errors / requests).toBeLessThan(0.45);
    } finally {
      await pool.end();
    }

    await resetVersionBehaviour(t.db, actor, { version: 'v1' });
    expect((await getSimStatus(t.db)).controls.versions).toEqual([]);
    expect(await t.db.auditEvent.count({ where: { action: 'sim.version.reset', targetId: 'v1' } })).toBe(1);
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

import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { activateAdapterConfig, importTopology, saveAdapterConfig, testAdapterConfig } from './platform-configs';
import { labAdapterFile, selectPlatform } from './platform-select';

let t: TestDb;
let dir: string;
const actor = { id: null, name: 'tester' };
beforeAll(async () => {
  t = await openTestDb();
  dir = await mkdtemp(path.join(tmpdir(), 'sb-platform-'));
});
afterAll(async () => {
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

describe('platform adapter configurations', () => {
  it('refuses an invalid configuration in words, on the config field, and stores nothing', async () => {
    const err = await saveAdapterConfig(t.db, actor, { name: 'bad-sim', kind: 'sim', config: { hotZoneCapacity: 3 } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BAD_REQUEST' });
    expect((err as { fieldErrors: Record<string, string[]> }).fieldErrors.config?.join(' ')).toMatch(/hotZoneCapacity/);
    const typo = await saveAdapterConfig(t.db, actor, { name: 'typo', kind: 'sim', config: { sede: 1 } }).catch((e: unknown) => e);
    expect((typo as Error).message).toMatch(/unknown sim setting "sede"/);
    expect(await t.db.adapterConfig.count({ where: { name: { in: ['bad-sim', 'typo'] } } })).toBe(0);
    expect(await t.db.auditEvent.count({ where: { targetType: 'adapter' } })).toBe(0);
  });

  it('saves, refuses a stale edit naming the current version, and activates exactly one, audited', async () => {
    const a = await saveAdapterConfig(t.db, actor, { name: 'sim-a', kind: 'sim', config: { seed: 1 } });
    const b = await saveAdapterConfig(t.db, actor, { name: 'sim-b', kind: 'sim', config: { seed: 2 } });
    const edited = await saveAdapterConfig(t.db, actor, { id: a.id, version: a.version, name: 'sim-a', kind: 'sim', config: { seed: 3 } });
    expect(edited.version).toBe(a.version + 1);
    const stale = await saveAdapterConfig(t.db, actor, { id: a.id, version: a.version, name: 'sim-a', kind: 'sim', config: { seed: 4 } }).catch((e: unknown) => e);
    expect(stale).toMatchObject({ code: 'CONFLICT' });
    expect((stale as Error).message).toMatch(new RegExp(`it is now version ${edited.version}; your edit was based on version`));

    await activateAdapterConfig(t.db, actor, { id: edited.id, version: edited.version });
    const bRow = await t.db.adapterConfig.findUniqueOrThrow({ where: { id: b.id } });
    await activateAdapterConfig(t.db, actor, { id: b.id, version: bRow.version });
    const active = await t.db.adapterConfig.findMany({ where: { active: true } });
    expect(active.map((r) => r.name)).toEqual(['sim-b']);
    const audits = await t.db.auditEvent.findMany({ where: { action: 'adapter.activate' }, orderBy: { id: 'asc' } });
    expect(audits.map((x) => x.after)).toEqual([{ active: 'sim-a' }, { active: 'sim-b' }]);
    expect(audits[1]!.before).toEqual({ active: 'sim-a' });
  });

  it('imports a platform topology into the registry without touching what is already there, idempotently', async () => {
    const topo = {
      instances: [
        { name: 'checkout-v1-1', service: 'checkout', version: 'v1', address: '127.0.0.1:9001', up: true },
        { name: 'checkout-v2-1', service: 'checkout', version: 'v2', address: '127.0.0.1:9002', up: true },
        { name: 'catalog-v1-1', service: 'catalog', address: '127.0.0.1:9003', up: false, zone: 'lab-b', region: 'lab' },
        { name: 'search-v1-1', service: 'search', version: 'v1', address: '127.0.0.1:9004', up: true },
        { name: 'search-v2-1', service: 'search', version: 'v2', address: '127.0.0.1:9005', up: true },
        { name: 'search-v2-2', service: 'search', version: 'v2', address: '127.0.0.1:9006', up: true },
      ],
    };
    expect(await importTopology(t.db, actor, 'lab', topo)).toEqual({ services: 3, instances: 6, updated: 0 });
    expect(await importTopology(t.db, actor, 'lab', topo)).toEqual({ services: 0, instances: 0, updated: 0 });
    const moved = { instances: [{ ...topo.instances[0]!, address: '127.0.0.1:9101' }] };
    expect(await importTopology(t.db, actor, 'lab', moved)).toEqual({ services: 0, instances: 0, updated: 1 });
    const checkout = await t.db.service.findUniqueOrThrow({ where: { name: 'checkout' }, include: { instances: { orderBy: { name: 'asc' } } } });
    // A new service's traffic goes to its most deployed version (ties: the lowest name), none to the
    // others: a canary gets traffic only through a rollout, never by being imported.
    expect(checkout.routing).toEqual({ versionWeights: { v1: 100, v2: 0 }, headerRules: [] });
    expect((await t.db.service.findUniqueOrThrow({ where: { name: 'search' } })).routing).toEqual({ versionWeights: { v1: 0, v2: 100 }, headerRules: [] });
    expect((await t.db.service.findUniqueOrThrow({ where: { name: 'catalog' } })).routing).toEqual({ versionWeights: { v1: 100 }, headerRules: [] });
    expect(checkout.instances.map((i) => [i.name, i.appVersion, i.address])).toEqual([
      ['checkout-v1-1', 'v1', '127.0.0.1:9101'],
      ['checkout-v2-1', 'v2', '127.0.0.1:9002'],
    ]);
    const catalog = await t.db.instance.findUniqueOrThrow({ where: { name: 'catalog-v1-1' }, include: { cluster: { include: { zone: { include: { region: true } } } } } });
    expect([catalog.cluster.zone.region.name, catalog.cluster.zone.name, catalog.cluster.name]).toEqual(['lab', 'lab-b', 'lab-b-1']);
  });

  it('tests a configuration by connecting: the simulator shows its fleet', async () => {
    const r = await testAdapterConfig({ kind: 'sim', config: {} });
    expect(r.ok).toBe(true);
    expect(r.message).toMatch(/^Found \d+ instance/);
  });

  it('SWITCHBACK_PLATFORM: lab without a running lab says what to do; a wrapped file selects its adapter', async () => {
    await expect(selectPlatform(t.db, 'lab', dir)).rejects.toThrow(/npm run lab/);
    await expect(selectPlatform(t.db, path.join(dir, 'nope.json'), dir)).rejects.toThrow(/cannot read/);
    await mkdir(path.dirname(labAdapterFile(dir)), { recursive: true });
    await writeFile(path.join(dir, 'broken.json'), '{ not json');
    await expect(selectPlatform(t.db, path.join(dir, 'broken.json'), dir)).rejects.toThrow(/is not JSON/);
    await writeFile(path.join(dir, 'calm.json'), JSON.stringify({ name: 'calm-sim', kind: 'sim', config: { hotZone: null } }));
    const sel = await selectPlatform(t.db, path.join(dir, 'calm.json'), dir);
    expect(sel).toEqual({ name: 'calm-sim', kind: 'sim', imported: null });
    const active = await t.db.adapterConfig.findMany({ where: { active: true } });
    expect(active.map((r) => [r.name, r.config])).toEqual([['calm-sim', { hotZone: null }]]);
  });
});

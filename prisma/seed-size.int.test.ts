import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../test/context';
import { seedIfEmpty, sizeNote } from './seed';

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
afterAll(() => t.close());

describe('the demo seed at another size (SWITCHBACK_DEMO_INSTANCES)', () => {
  it('seeds about that many instances once, records the size, and a later start asking for another size keeps the fleet and says what to do', async () => {
    const first = await seedIfEmpty(t.db, { adminName: 'admin', demo: true, demoInstances: 1000 });
    expect(first.seeded).toBe(true);
    const count = await t.db.instance.count();
    expect(Math.abs(count - 1000)).toBeLessThanOrEqual(4);
    expect(first.fleet).toBe(`${count.toLocaleString('en-US')} instances · 4 services · 36 clusters in 18 zones`);
    expect(await t.db.service.count()).toBe(4);
    const setting = await t.db.systemSetting.findUnique({ where: { key: 'seed' } });
    expect(setting?.value).toMatchObject({ demo: true, instances: 1000 });
    // The rollout history and templates the demo always has are there at this size too.
    expect(await t.db.rolloutTemplate.count()).toBe(4);
    expect(await t.db.rollout.count({ where: { state: 'succeeded' } })).toBe(1);

    const same = await seedIfEmpty(t.db, { adminName: 'admin', demo: true, demoInstances: 1000 });
    expect(same).toEqual({ seeded: false, fleet: first.fleet });

    const other = await seedIfEmpty(t.db, { adminName: 'admin', demo: true, demoInstances: 84 });
    expect(other.seeded).toBe(false);
    expect(other.fleet).toContain('SWITCHBACK_DEMO_INSTANCES=84 is not applied: this database was seeded with the 1,000-instance demo');
    expect(other.fleet).toContain('SWITCHBACK_DATA_DIR=.data-84 npm start');
    expect(await t.db.instance.count()).toBe(count);
  });

  it('reads a data folder seeded before the setting existed as the 84-instance demo', () => {
    expect(sizeNote({ demo: true }, 84)).toBe('');
    expect(sizeNote({ demo: true }, undefined)).toBe('');
    expect(sizeNote({ demo: true }, 10_000)).toContain('seeded with the 84-instance demo');
    expect(sizeNote({ demo: false }, 10_000)).toContain('was seeded without the demo (SWITCHBACK_SEED=none)');
  });
});

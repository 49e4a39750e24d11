import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFleet } from '../../db/factories';
import { openTestDb, type TestDb } from '../../../test/context';
import { nameForLegacyId } from './names';

let t: TestDb;
beforeAll(async () => (t = await openTestDb()));
afterAll(() => t.close());

describe('old links by id', () => {
  it('finds the name of a service or an instance by its id', async () => {
    await makeFleet(t.db, { regions: [{ name: 'r1', zones: [{ name: 'z1', clusters: ['c1'] }] }], services: [{ name: 'checkout', placement: [{ cluster: 'c1', versions: { v1: 1 } }] }] });
    const s = await t.db.service.findFirstOrThrow();
    const i = await t.db.instance.findFirstOrThrow();
    expect(await nameForLegacyId(t.db, 'service', s.id)).toBe(s.name);
    expect(await nameForLegacyId(t.db, 'service', s.id.toUpperCase())).toBe(s.name);
    expect(await nameForLegacyId(t.db, 'instance', i.id)).toBe(i.name);
  });

  it('leaves names, unknown ids and a service named like a UUID alone', async () => {
    const s = await t.db.service.findFirstOrThrow();
    expect(await nameForLegacyId(t.db, 'service', s.name)).toBeNull();
    expect(await nameForLegacyId(t.db, 'service', '00000000-0000-4000-8000-000000000000')).toBeNull();
    const odd = await t.db.service.create({ data: { name: 'abcdef12-3456-4789-abcd-ef0123456789', routing: { versionWeights: {}, headerRules: [] } } });
    expect(await nameForLegacyId(t.db, 'service', odd.name)).toBeNull();
  });
});

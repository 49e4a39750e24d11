import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerAs, openTestDb, type TestDb } from '../../../test/context';
import { makeFleet } from '../../db/factories';
import { getServiceGraph } from './service-graph';

let t: TestDb;
let id: Map<string, string>;
beforeAll(async () => {
  t = await openTestDb();
  await makeFleet(t.db, {
    regions: [{ name: 'eu', zones: [{ name: 'eu-a', clusters: ['eu-a-1'] }] }],
    services: ['gw', 'api', 'db', 'cache'].map((name) => ({ name, placement: [{ cluster: 'eu-a-1', versions: { v1: 1 } }] })),
  });
  id = new Map((await t.db.service.findMany()).map((s) => [s.name, s.id]));
});
afterAll(() => t.close());

const edges = async () => {
  const g = await getServiceGraph(t.db);
  const name = new Map(g.nodes.map((n) => [n.id, n.name]));
  return g.edges.map((e) => `${name.get(e.source)}→${name.get(e.target)}`).sort();
};

describe('serviceGraph.setCalls', () => {
  it('replaces the calls of one service, audited, and the graph draws them', async () => {
    const { caller: admin } = await callerAs(t.db, 'admin');
    expect(await admin.serviceGraph.setCalls({ serviceId: id.get('gw')!, callees: [id.get('api')!] })).toEqual({ service: 'gw', callees: ['api'] });
    expect(await admin.serviceGraph.setCalls({ serviceId: id.get('api')!, callees: [id.get('db')!, id.get('cache')!, id.get('db')!] })).toEqual({ service: 'api', callees: ['cache', 'db'] });
    expect(await edges()).toEqual(['api→cache', 'api→db', 'gw→api']);
    await admin.serviceGraph.setCalls({ serviceId: id.get('api')!, callees: [id.get('db')!] });
    expect(await edges()).toEqual(['api→db', 'gw→api']);
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { action: 'service.calls' }, orderBy: { id: 'desc' } });
    expect(audit).toMatchObject({ targetName: 'api', before: { calls: ['cache', 'db'] }, after: { calls: ['db'] } });
  });

  it('refuses a cycle, a self-call and an unknown service in words, writing nothing', async () => {
    const { caller: admin } = await callerAs(t.db, 'admin');
    await expect(admin.serviceGraph.setCalls({ serviceId: id.get('db')!, callees: [id.get('gw')!] })).rejects.toThrow('These calls would make a cycle: gw → api → db → gw');
    await expect(admin.serviceGraph.setCalls({ serviceId: id.get('db')!, callees: [id.get('db')!] })).rejects.toThrow('db cannot call itself');
    await expect(admin.serviceGraph.setCalls({ serviceId: id.get('db')!, callees: ['00000000-0000-4000-8000-000000000000'] })).rejects.toThrow('does not exist');
    expect(await edges()).toEqual(['api→db', 'gw→api']);
  });

  it('is for admins only', async () => {
    const { caller: operator } = await callerAs(t.db, 'operator');
    await expect(operator.serviceGraph.setCalls({ serviceId: id.get('db')!, callees: [] })).rejects.toThrow();
  });
});

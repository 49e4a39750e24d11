// GET /api/v1/instances (telemetry.instances): every instance with its newest sample, paged with
// the cursor every list route uses, filtered by where it sits, service, version, admin state and
// health; a filter naming nothing that exists is refused in words, not answered with an empty list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFleet } from '../../db/factories';
import { callerAs, openTestDb, type TestDb } from '../../../test/context';
import { restCall, tokenFor } from '../../../test/api-fixtures';
import type { InstanceListItem } from './instance-list';

let t: TestDb;
let token: string;
// Two services over two zones (one cluster each): 7 instances.
const R = 'r-il';
beforeAll(async () => {
  t = await openTestDb();
  await makeFleet(t.db, {
    regions: [
      { name: R, zones: [{ name: 'z-il-a', clusters: ['c-il-a'] }, { name: 'z-il-b', clusters: ['c-il-b'] }] },
      { name: 'r-il-other', zones: [{ name: 'z-il-o', clusters: ['c-il-o'] }] },
    ],
    services: [
      { name: 'il-web', placement: [{ cluster: 'c-il-a', versions: { v1: 2, v2: 1 } }, { cluster: 'c-il-b', versions: { v1: 2 } }] },
      { name: 'il-db', placement: [{ cluster: 'c-il-a', versions: { v1: 1 } }, { cluster: 'c-il-b', versions: { v1: 1 } }, { cluster: 'c-il-o', versions: { v1: 1 } }] },
    ],
  });
  token = (await tokenFor(t.db, 'viewer')).secret;
  // One tick: every instance of zone a sampled, il-web-c-il-a-v2-1 degraded with its breaker open;
  // zone b never sampled. An older tick for one instance shows "newest" wins.
  const instances = await t.db.instance.findMany({ where: { cluster: { name: 'c-il-a' } } });
  const old = await t.db.tick.create({ data: { startedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 0)), finishedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 0)), durationMs: 1, instances: 1, leader: 'test' } });
  const at = new Date(Date.UTC(2026, 0, 1, 0, 0, 1));
  const tick = await t.db.tick.create({ data: { startedAt: at, finishedAt: at, durationMs: 1, instances: instances.length, leader: 'test' } });
  const sick = 'il-web-c-il-a-v2-1';
  await t.db.telemetrySample.create({
    data: { instanceId: instances.find((i) => i.name === sick)!.id, at: old.startedAt, tickId: old.id, targetWeight: 100, effectiveWeight: 100, degradation: 0, breaker: 'closed', stageFill: [0, 0, 0, 0, 0], stageState: [] },
  });
  for (const i of instances) {
    const bad = i.name === sick;
    await t.db.telemetrySample.create({
      data: {
        instanceId: i.id,
        at,
        tickId: tick.id,
        targetWeight: 100,
        effectiveWeight: bad ? 40 : 100,
        cpu: bad ? 93 : 20,
        p95Ms: bad ? 900 : 40,
        degradation: bad ? 2 : 0,
        breaker: bad ? 'open' : 'closed',
        stageFill: [0.1, 0.1, bad ? 0.97 : 0.1, 0.1, 0.1],
        stageState: ['idle', 'active', bad ? 'blocked' : 'active', 'idle', 'idle'],
      },
    });
  }
});
afterAll(() => t.close());

type Page = { items: InstanceListItem[]; nextCursor: string | null };
const get = async (qs: string) => {
  const r = await restCall(t.db, 'GET', `/instances${qs}`, { token });
  return { ...r, page: r.json as unknown as Page };
};
const names = (p: Page) => p.items.map((i) => i.name);

/** Every page of a query, following nextCursor and checking the Link header against it. */
async function walk(query: string, limit: number) {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 20; i++) {
    const r = await get(`?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(r.status, r.text.slice(0, 300)).toBe(200);
    expect(r.page.items.length).toBeLessThanOrEqual(limit);
    seen.push(...names(r.page));
    cursor = r.page.nextCursor;
    if (cursor) expect(r.headers.get('link')).toContain(`cursor=${cursor}`);
    else return seen;
  }
  throw new Error('the cursor never ended');
}

describe('GET /api/v1/instances', () => {
  it('pages through every instance by name, each once, with the cursor', async () => {
    const all = await walk(`region=${R}`, 2);
    expect(all).toEqual([
      'il-db-c-il-a-v1-1',
      'il-db-c-il-b-v1-1',
      'il-web-c-il-a-v1-1',
      'il-web-c-il-a-v1-2',
      'il-web-c-il-a-v2-1',
      'il-web-c-il-b-v1-1',
      'il-web-c-il-b-v1-2',
    ]);
    // The default page holds them all; another page size walks the same list.
    const whole = await get(`?region=${R}`);
    expect(whole.page).toMatchObject({ nextCursor: null });
    expect(names(whole.page)).toEqual(all);
    expect(await walk(`region=${R}`, 3)).toEqual(all);
  });

  it('carries the newest sample and says why an instance is unhealthy', async () => {
    const { page } = await get(`?cluster=c-il-a&service=il-web&version=v2`);
    expect(page.items).toHaveLength(1);
    const sick = page.items[0]!;
    expect(sick).toMatchObject({ name: 'il-web-c-il-a-v2-1', service: 'il-web', appVersion: 'v2', adminState: 'ready', region: R, zone: 'z-il-a', cluster: 'c-il-a', fault: null, health: 'unhealthy' });
    expect(sick.latest).toMatchObject({ t: Date.UTC(2026, 0, 1, 0, 0, 1), effective: 40, target: 100, cpu: 93, p95: 900, degradation: 2, breaker: 'open' });
    expect(sick.latest!.stageState[2]).toBe('blocked');
    expect(sick.problems).toEqual(['degraded to L2', 'breaker open', '1 stage blocked (backpressure)']);
    // The single-instance route reads the same newest sample.
    const one = await restCall(t.db, 'GET', `/instances/${sick.name}`, { token });
    expect((one.json as unknown as { latest: { t: number; effective: number } }).latest).toMatchObject({ t: sick.latest!.t, effective: 40 });
  });

  it('filters by service, zone, cluster, version, admin state and health', async () => {
    expect(names((await get(`?service=il-db&region=${R}`)).page)).toEqual(['il-db-c-il-a-v1-1', 'il-db-c-il-b-v1-1']);
    expect(names((await get('?zone=z-il-b')).page)).toEqual(['il-db-c-il-b-v1-1', 'il-web-c-il-b-v1-1', 'il-web-c-il-b-v1-2']);
    expect(names((await get('?cluster=c-il-o')).page)).toEqual(['il-db-c-il-o-v1-1']);
    expect(names((await get('?service=il-web&version=v1&zone=z-il-a')).page)).toEqual(['il-web-c-il-a-v1-1', 'il-web-c-il-a-v1-2']);
    expect(names((await get('?health=unhealthy')).page)).toEqual(['il-web-c-il-a-v2-1']);
    expect(names((await get('?health=healthy')).page)).toEqual(['il-db-c-il-a-v1-1', 'il-web-c-il-a-v1-1', 'il-web-c-il-a-v1-2']);
    const unsampled = (await get('?health=unsampled&zone=z-il-b')).page.items;
    expect(unsampled.map((i) => [i.latest, i.problems])).toEqual([
      [null, []],
      [null, []],
      [null, []],
    ]);
    await t.db.instance.update({ where: { name: 'il-web-c-il-b-v1-2' }, data: { adminState: 'drain' } });
    expect(names((await get('?adminState=drain')).page)).toEqual(['il-web-c-il-b-v1-2']);
    expect((await get('?adminState=maint')).page).toEqual({ items: [], nextCursor: null });
    // Paging a filtered list: the cursor walks the filtered list, not the whole fleet.
    expect(await walk('service=il-web', 1)).toEqual(['il-web-c-il-a-v1-1', 'il-web-c-il-a-v1-2', 'il-web-c-il-a-v2-1', 'il-web-c-il-b-v1-1', 'il-web-c-il-b-v1-2']);
  });

  it('refuses in words: an unknown name, a value outside its list, an overlong one, a bad page request', async () => {
    const unknown = await get('?service=il-nope');
    expect([unknown.status, unknown.json.detail]).toEqual([404, expect.stringContaining('Service "il-nope"')]);
    expect((await get('?zone=z-nope')).status).toBe(404);
    const bad = await get('?health=sick');
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.json.errors)).toContain('Health: one of healthy, unhealthy, unsampled');
    expect((await get('?adminState=off')).status).toBe(422);
    expect((await get(`?service=${'x'.repeat(500)}`)).status).toBe(422);
    expect((await get('?limit=0')).status).toBe(422);
    expect((await get('?limit=201')).status).toBe(422);
    expect((await get('?cursor=not-ours!')).status).toBe(422);
  });

  it('is the telemetry.instances procedure: same list, same refusals, for any signed-in role', async () => {
    const { caller } = await callerAs(t.db, 'viewer');
    const list = await caller.telemetry.instances({ region: R });
    expect(list.map((i) => i.name)).toEqual(names((await get(`?region=${R}`)).page));
    await expect(caller.telemetry.instances({ cluster: 'c-nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const { caller: anon } = await callerAs(t.db, null);
    await expect(anon.telemetry.instances({})).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});

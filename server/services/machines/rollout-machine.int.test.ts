import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { makeFleet } from '../../db/factories';
import { exampleSpec } from '../../domain/rollouts/spec';
import { getMachineHistory, listInStateNow } from './machine-fleet';
import { getMachineView, listEdgeTransitions } from './machines';

let t: TestDb;
const now = Date.now();
const range = { machine: 'rollout' as const, from: now - 3600_000, to: now + 60_000 };
let api: string;
let web: string;
let done: string;
let live: string;
let other: string;

beforeAll(async () => {
  t = await openTestDb();
  await makeFleet(t.db, {
    regions: [{ name: 'r', zones: [{ name: 'za', clusters: ['ca'] }] }],
    services: [
      { name: 'api', placement: [{ cluster: 'ca', versions: { v1: 1, v2: 1 } }] },
      { name: 'web', placement: [{ cluster: 'ca', versions: { v1: 1 } }] },
    ],
  });
  api = (await t.db.service.findUniqueOrThrow({ where: { name: 'api' } })).id;
  web = (await t.db.service.findUniqueOrThrow({ where: { name: 'web' } })).id;
  const rollout = (serviceId: string, name: string, data: object) => t.db.rollout.create({ data: { serviceId, name, stableVersion: 'v1', canaryVersion: 'v2', spec: exampleSpec(name), createdByName: 'olga', ...data } });
  done = (await rollout(api, 'api v2 first', { state: 'rolled_back', abortReason: 'analysis_failed' })).id;
  live = (await rollout(api, 'api v2 again', { state: 'paused', pauseReason: 'awaiting_approval', stateDetail: 'waiting for 1 approval' })).id;
  other = (await rollout(web, 'web v2', { state: 'succeeded' })).id;
  const ev = (rolloutId: string, serviceId: string, s: number, fromState: string | null, toState: string | null, kind = 'state') =>
    ({ at: new Date(now - s * 1000), rolloutId, serviceId, attempt: 1, kind, fromState: fromState as never, toState: toState as never, summary: `${fromState} → ${toState}`, actorName: 'reconciler' });
  await t.db.rolloutEvent.createMany({
    data: [
      ev(done, api, 900, 'pending', 'progressing'),
      ev(done, api, 800, 'progressing', 'aborted'),
      ev(done, api, 790, 'aborted', 'rolled_back'),
      ev(live, api, 600, 'pending', 'progressing'),
      ev(live, api, 500, 'progressing', 'paused'),
      ev(live, api, 400, 'paused', 'progressing'),
      ev(live, api, 300, 'progressing', 'paused'),
      // Not state changes, or outside the range: not counted.
      ev(live, api, 350, null, null, 'step'),
      ev(live, api, 340, 'paused', 'progressing', 'override'),
      ev(live, api, 7200, 'pending', 'progressing'),
      ev(other, web, 200, 'pending', 'progressing'),
      ev(other, web, 100, 'progressing', 'promoting'),
      ev(other, web, 50, 'promoting', 'succeeded'),
    ],
  });
});
afterAll(() => t.close());

describe('the rollout machine on the Machines page', () => {
  it('counts state changes per edge from the rollout log, and rollouts per state now', async () => {
    const v = await getMachineView(t.db, range);
    expect(v.diagram.machine).toBe('rollout');
    expect(v.fired).toEqual({ 'pending>progressing': 3, 'progressing>aborted': 1, 'aborted>rolled_back': 1, 'progressing>paused': 2, 'paused>progressing': 1, 'progressing>promoting': 1, 'promoting>succeeded': 1 });
    expect(v.now).toEqual({ pending: 0, progressing: 0, paused: 1, promoting: 0, succeeded: 1, aborted: 0, rolled_back: 1 });
    expect([v.current, v.counted]).toEqual([null, 3]);
    // Every counted edge is an edge of the diagram.
    for (const id of Object.keys(v.fired)) expect(v.diagram.edges.map((e) => e.id)).toContain(id);
    const short = await getMachineView(t.db, { ...range, from: now - 450_000 });
    expect(short.fired).toEqual({ 'paused>progressing': 1, 'progressing>paused': 1, 'pending>progressing': 1, 'progressing>promoting': 1, 'promoting>succeeded': 1 });
  });

  it('lights one rollout’s state and counts only its transitions (?rollout=<id>); the service filter applies', async () => {
    const one = await getMachineView(t.db, { ...range, rollout: live });
    expect([one.current, one.rollout, one.fired]).toEqual(['paused', { id: live, name: 'api v2 again', state: 'paused' }, { 'pending>progressing': 1, 'progressing>paused': 2, 'paused>progressing': 1 }]);
    expect(one.now.paused).toBe(1);
    const byService = await getMachineView(t.db, { ...range, serviceId: web });
    expect([byService.fired, byService.counted]).toEqual([{ 'pending>progressing': 1, 'progressing>promoting': 1, 'promoting>succeeded': 1 }, 1]);
    await expect(getMachineView(t.db, { ...range, rollout: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('lists the changes behind an edge and the rollouts in a state now, with links by id', async () => {
    const rows = await listEdgeTransitions(t.db, { ...range, fromState: 'progressing', toState: 'paused' });
    expect(rows.map((r) => [r.instance, r.rolloutId, r.cause])).toEqual([
      ['api v2 again', live, 'progressing → paused (reconciler)'],
      ['api v2 again', live, 'progressing → paused (reconciler)'],
    ]);
    const paused = await listInStateNow(t.db, { ...range, state: 'paused' });
    expect(paused).toEqual([{ instance: 'api v2 again', zone: '', cluster: '', service: 'api', stage: '', since: now - 300_000, cause: 'waiting for 1 approval', values: null, rolloutId: live, runId: null }]);
    expect((await listInStateNow(t.db, { ...range, state: 'rolled_back' })).map((r) => r.rolloutId)).toEqual([done]);
    expect(await listInStateNow(t.db, { ...range, state: 'rolled_back', serviceId: web })).toEqual([]);
    expect((await getMachineHistory(t.db, range)).points).toEqual([]);
  });
});

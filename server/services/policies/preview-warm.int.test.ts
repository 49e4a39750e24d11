// The editor's warm-up of the preview's replay thread: started when the draft's preview would
// replay on two threads (enough instances in its scope), not otherwise, and the next preview runs
// on the thread it started.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { makeDefaultPolicies, makeFleet } from '../../db/factories';
import { defaultPolicies } from '../../domain/policy-defaults';
import type { FleetPolicies } from '../../domain/model';
import { reloadEnv } from '../../env';
import { warmPreview } from './preview-warm';
import { replayWindow } from './preview-replay';
import { runningThread } from './replay-thread-pool';

let t: TestDb;
let small = '';
const saved = process.env.SWITCHBACK_PREVIEW_THREAD_FROM;

beforeAll(async () => {
  t = await openTestDb();
  await makeDefaultPolicies(t.db);
  await makeFleet(t.db, {
    regions: [{ name: 'r1', zones: [{ name: 'z1', clusters: ['c1'] }] }],
    services: [
      { name: 'api', placement: [{ cluster: 'c1', versions: { v1: 40 } }] },
      { name: 'cache', placement: [{ cluster: 'c1', versions: { v1: 10 } }] },
    ],
  });
  small = (await t.db.service.findFirstOrThrow({ where: { name: 'cache' } })).id;
  // Files of this project share a process: a thread another file's previews left is ended first.
  (await runningThread())?.stop();
});
afterEach(() => {
  if (saved === undefined) delete process.env.SWITCHBACK_PREVIEW_THREAD_FROM;
  else process.env.SWITCHBACK_PREVIEW_THREAD_FROM = saved;
  reloadEnv();
});
afterAll(async () => {
  (await runningThread())?.stop();
  await t.close();
});

const threshold = (n: string) => {
  process.env.SWITCHBACK_PREVIEW_THREAD_FROM = n;
  reloadEnv();
};
const global = { kind: 'watermark' as const, scope: 'global' };

describe('warmPreview', () => {
  it('starts no thread when the preview would replay in one: too few instances in scope, the thread off, or nothing to replay', async () => {
    threshold('51');
    expect(await warmPreview(t.db, global)).toEqual({ thread: false });
    // 50 instances in all, 10 of them in the service's scope.
    threshold('11');
    expect(await warmPreview(t.db, { kind: 'watermark', scope: `service:${small}` })).toEqual({ thread: false });
    expect(await warmPreview(t.db, { kind: 'strategy', scope: 'global' })).toEqual({ thread: false });
    threshold('0');
    expect(await warmPreview(t.db, global)).toEqual({ thread: false });
    expect(runningThread()).toBeNull();
  });

  it('starts the replay thread when the preview would use it, and the next preview runs on that thread', async () => {
    threshold('50');
    expect(runningThread()).toBeNull();
    expect(await warmPreview(t.db, global)).toEqual({ thread: true });
    const started = await runningThread();
    expect(started).not.toBeNull();
    // Another tab's warm-up starts no second thread.
    expect(await warmPreview(t.db, global)).toEqual({ thread: true });
    const policies = { ...defaultPolicies } as unknown as FleetPolicies;
    const instances = (await t.db.instance.findMany({ orderBy: { id: 'asc' } })).map((i) => ({ ...i, adminState: 'ready' }));
    const now = new Date();
    const tally = await replayWindow(t.db, { instances, from: new Date(now.getTime() - 60_000), to: now, policiesOf: () => ({ current: policies, proposed: policies }) });
    expect(tally.threads).toBe(2);
    expect(await runningThread()).toBe(started);
  });
});

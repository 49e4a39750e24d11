// The editor's warm-up of the preview's replay thread: started for a fleet the console would
// preview on two threads, not for a smaller one, and the next preview finds it running.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { makeDefaultPolicies, makeFleet } from '../../db/factories';
import { reloadEnv } from '../../env';
import { warmPreview } from './preview-warm';
import { replayThread } from './replay-thread-pool';

let t: TestDb;
const saved = process.env.SWITCHBACK_PREVIEW_THREAD_FROM;

beforeAll(async () => {
  t = await openTestDb();
  await makeDefaultPolicies(t.db);
  await makeFleet(t.db, {
    regions: [{ name: 'r1', zones: [{ name: 'z1', clusters: ['c1'] }] }],
    services: [{ name: 'api', placement: [{ cluster: 'c1', versions: { v1: 40 } }] }],
  });
});
afterEach(() => {
  if (saved === undefined) delete process.env.SWITCHBACK_PREVIEW_THREAD_FROM;
  else process.env.SWITCHBACK_PREVIEW_THREAD_FROM = saved;
  reloadEnv();
});
afterAll(async () => {
  (await replayThread())?.stop();
  await t.close();
});

const threshold = (n: string) => {
  process.env.SWITCHBACK_PREVIEW_THREAD_FROM = n;
  reloadEnv();
};

describe('warmPreview', () => {
  it('starts nothing for a fleet below the threshold, or with the thread turned off', async () => {
    threshold('41');
    expect(await warmPreview(t.db)).toEqual({ thread: false });
    threshold('0');
    expect(await warmPreview(t.db)).toEqual({ thread: false });
  });

  it('starts the replay thread for a fleet at the threshold, and the next preview gets that thread', async () => {
    threshold('40');
    expect(await warmPreview(t.db)).toEqual({ thread: true });
    const running = await replayThread();
    expect(running).not.toBeNull();
    // A second warm-up (another tab) starts no second thread.
    expect(await warmPreview(t.db)).toEqual({ thread: true });
    expect(await replayThread()).toBe(running);
  });
});

// The what-if preview's progress row: written while the preview runs, read only by the user who
// started it, gone when the preview ends (also when it fails); and the replay reports after every
// chunk up to the whole fleet.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerAs, openTestDb, type TestDb } from '../../../test/context';
import { makeDefaultPolicies, makeFleet, makeUser } from '../../db/factories';
import { defaultPolicies } from '../../domain/policy-defaults';
import type { FleetPolicies } from '../../domain/model';
import { readPreviewProgress, withPreviewProgress } from './preview-progress';
import { replayWindow } from './preview-replay';

let t: TestDb;
let alice = '';
let bob = '';

beforeAll(async () => {
  t = await openTestDb();
  await makeDefaultPolicies(t.db);
  await makeFleet(t.db, {
    regions: [{ name: 'r1', zones: [{ name: 'z1', clusters: ['c1'] }] }],
    services: [{ name: 'api', placement: [{ cluster: 'c1', versions: { v1: 40 } }] }],
  });
  alice = (await makeUser(t.db, { role: 'operator' })).user.id;
  bob = (await makeUser(t.db, { role: 'operator' })).user.id;
});
afterAll(() => t.close());

const read = (user: string, key: string) => readPreviewProgress(t.db, user, { key });

describe('preview progress', () => {
  it("shows the newest figures to the preview's own user while it runs, and is gone after", async () => {
    const key = randomUUID();
    const result = await withPreviewProgress(t.db, alice, key, async (report) => {
      expect(await read(alice, key)).toEqual({ done: 0, total: 0 });
      report!(3, 40);
      await expect.poll(() => read(alice, key)).toEqual({ done: 3, total: 40 });
      // Right after a write, a report waits for the next slot; the last one (done = total) never does.
      report!(20, 40);
      report!(40, 40);
      await expect.poll(() => read(alice, key)).toEqual({ done: 40, total: 40 });
      expect(await read(bob, key)).toBeNull();
      return 'replayed';
    });
    expect(result).toBe('replayed');
    expect(await read(alice, key)).toBeNull();
  });

  it('is removed when the preview fails, and leaves another user’s row under the same key alone', async () => {
    const key = randomUUID();
    await t.db.previewProgress.create({ data: { key, userId: bob, done: 7, total: 9 } });
    await expect(
      withPreviewProgress(t.db, alice, key, (report) => {
        report!(1, 2);
        return Promise.reject(new Error('the replay failed'));
      }),
    ).rejects.toThrow('the replay failed');
    expect(await read(alice, key)).toBeNull();
    expect(await read(bob, key)).toEqual({ done: 7, total: 9 });
  });

  it('removes rows a dead process left more than an hour ago when the next preview starts', async () => {
    const old = randomUUID();
    await t.db.previewProgress.create({ data: { key: old, userId: bob, done: 1, total: 9 } });
    await t.db.$executeRaw`UPDATE "PreviewProgress" SET "updatedAt" = now() - interval '2 hours' WHERE key = ${old}::uuid`;
    await withPreviewProgress(t.db, alice, randomUUID(), () => Promise.resolve());
    expect(await t.db.previewProgress.count({ where: { key: old } })).toBe(0);
  });

  it('the replay reports after every chunk, in order, up to every instance', async () => {
    const instances = (await t.db.instance.findMany({ orderBy: { id: 'asc' } })).map((i) => ({ ...i, adminState: 'ready' }));
    expect(instances).toHaveLength(40);
    const policies = { ...defaultPolicies } as unknown as FleetPolicies;
    const seen: Array<[number, number]> = [];
    const now = new Date();
    await replayWindow(t.db, { instances, from: new Date(now.getTime() - 60_000), to: now, policiesOf: () => ({ current: policies, proposed: policies }), onProgress: (d, n) => void seen.push([d, n]) });
    expect(seen.at(-1)).toEqual([40, 40]);
    expect(seen.every(([, n]) => n === 40)).toBe(true);
    expect(seen.every(([d], i) => i === 0 || d > seen[i - 1]![0])).toBe(true);
  });

  it('through the API: an operator previews with a key and no row is left; a viewer cannot read progress', async () => {
    const { caller, user } = await callerAs(t.db, 'operator');
    const key = randomUUID();
    const r = await caller.policies.preview({ kind: 'watermark', scope: 'global', document: { ...defaultPolicies.watermark, breakPct: 90 }, minutes: 1, progressKey: key });
    expect(r.instances).toBe(0);
    expect(await read(user!.id, key)).toBeNull();
    expect(await caller.policies.previewProgress({ key })).toBeNull();
    await expect(caller.policies.previewProgress({ key: 'not-a-uuid' })).rejects.toThrow('A preview key is a UUID');
    const viewer = await callerAs(t.db, 'viewer');
    await expect(viewer.caller.policies.previewProgress({ key })).rejects.toThrow();
  });
});

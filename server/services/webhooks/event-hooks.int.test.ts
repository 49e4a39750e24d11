// Which change emits which webhook event, and with what data: the deliveries each code path
// stores in its own transaction (no worker here: the rows are what would be sent).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser } from '../../db/factories';
import { openTestDb, type TestDb } from '../../../test/context';
import { actorOf, rolloutFleet, runUntil, startedRollout } from '../../../test/rollout-fixtures';
import { runAt } from '../../../test/experiment-fixtures';
import { abortRollout } from '../rollouts/rollout-commands';
import { engageHalt, releaseHalt } from '../safety/halt';
import { createWebhook, updateWebhook } from './subscriptions';

let t: TestDb;
let admin: { id: string; name: string };
beforeAll(async () => {
  t = await openTestDb();
  admin = actorOf((await makeUser(t.db, { role: 'admin' })).user);
});
afterAll(() => t.close());

let n = 0;
const subscribe = (events: Parameters<typeof createWebhook>[2]['events']) => createWebhook(t.db, admin, { name: `ev-${++n}`, url: 'http://127.0.0.1:9/never', events });
const bodies = async (subscriptionId: string) =>
  (await t.db.webhookDelivery.findMany({ where: { subscriptionId }, orderBy: { createdAt: 'asc' } })).map((d) => d.payload as { event: string; data: Record<string, unknown> });

describe('rollout events', () => {
  it('promoted: once, when the rollout succeeds, naming the version now at 100 %', async () => {
    const sub = await subscribe(['rollout_promoted', 'rollout_rolled_back']);
    const f = await rolloutFleet(t.db);
    const id = await startedRollout(t.db, f, [{ kind: 'setWeight', weight: 20 }]);
    await runUntil(t.db, id, f.service.id, (r) => r.state === 'succeeded');
    expect(await bodies(sub.id)).toEqual([expect.objectContaining({ event: 'rollout_promoted', data: expect.objectContaining({ rolloutId: id, service: f.service.name, version: 'v2', state: 'Succeeded' }) as unknown })]);
  });

  it('rolled back: once, with the reason, after an abort', async () => {
    const sub = await subscribe(['rollout_rolled_back', 'rollout_analysis_failed']);
    const f = await rolloutFleet(t.db);
    const id = await startedRollout(t.db, f, [{ kind: 'setWeight', weight: 20 }, { kind: 'pause' }]);
    await runUntil(t.db, id, f.service.id, (r) => r.state === 'paused');
    const r = await t.db.rollout.findUniqueOrThrow({ where: { id } });
    await abortRollout(t.db, actorOf(f.operator), { id, version: r.version, reason: 'latency up' });
    expect(await bodies(sub.id)).toEqual([]);
    await runUntil(t.db, id, f.service.id, (x) => x.state === 'rolled_back');
    expect(await bodies(sub.id)).toEqual([expect.objectContaining({ event: 'rollout_rolled_back', data: expect.objectContaining({ rolloutId: id, reason: 'aborted by an operator' }) as unknown })]);
  });

  it('an inactive subscription receives nothing', async () => {
    const sub = await subscribe(['rollout_promoted']);
    await updateWebhook(t.db, admin, { id: sub.id, version: sub.version, name: sub.name, url: sub.url, events: ['rollout_promoted'], active: false });
    const f = await rolloutFleet(t.db);
    const id = await startedRollout(t.db, f, [{ kind: 'setWeight', weight: 20 }]);
    await runUntil(t.db, id, f.service.id, (r) => r.state === 'succeeded');
    expect(await bodies(sub.id)).toEqual([]);
  });
});

describe('experiment events', () => {
  it('started when the run injects; aborted (with the reason) when halt-all stops it', async () => {
    const sub = await subscribe(['experiment_started', 'experiment_aborted']);
    const { run, experiment } = await runAt(t.db, 'running');
    expect(await bodies(sub.id)).toEqual([expect.objectContaining({ event: 'experiment_started', data: expect.objectContaining({ runId: run.id, experiment: experiment.name }) as unknown })]);
    await engageHalt(t.db, admin, { reason: 'stop everything' });
    await releaseHalt(t.db, admin, { reason: 'done' });
    const all = await bodies(sub.id);
    expect(all.map((b) => b.event)).toEqual(['experiment_started', 'experiment_aborted']);
    expect(all[1]!.data).toMatchObject({ runId: run.id, reason: expect.stringMatching(/halt/i) as unknown, link: expect.stringContaining(`/experiments/runs/${run.id}`) as unknown });
  });
});

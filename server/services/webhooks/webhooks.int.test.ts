// Webhooks end to end against a real local HTTP receiver and a real graphile worker: signed and
// verifiable, retried with the queue's backoff, logged, and emitted inside the transactions of the
// changes they announce (a rolled-back command sends nothing).
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseEnv, reloadEnv } from '../../env';
import { makeUser } from '../../db/factories';
import { startWorker, type WorkerHandle } from '../../jobs/worker';
import { openTestDb, type TestDb } from '../../../test/context';
import { startReceiver, type Receiver } from '../../../test/webhook-receiver';
import { actorOf, rolloutFleet, startedRollout } from '../../../test/rollout-fixtures';
import { runCommand } from '../command';
import { engageHalt, releaseHalt } from '../safety/halt';
import { createFreeze } from '../safety/freeze';
import { deliveryJobKey, emitWebhookEvent } from './emit';
import { deliverWebhook } from './deliver';
import { sweepFreezeStarts } from './freeze-sweep';
import { verifySignature } from './signing';
import { createWebhook, getWebhook, listDeliveries, listWebhooks, removeWebhook, rotateWebhookSecret, testWebhook, updateWebhook } from './subscriptions';

let t: TestDb;
let worker: WorkerHandle;
let rx: Receiver;
let admin: { id: string; name: string };
const PUBLIC = 'https://switchback.test.example';
const previousPublicUrl = process.env.SWITCHBACK_PUBLIC_URL;

beforeAll(async () => {
  t = await openTestDb();
  // The links a webhook carries start with the configured public URL.
  process.env.SWITCHBACK_PUBLIC_URL = PUBLIC;
  reloadEnv();
  rx = await startReceiver();
  admin = actorOf((await makeUser(t.db, { role: 'admin' })).user);
  worker = await startWorker({ db: t.db, env: parseEnv({ SWITCHBACK_WORKER_CONCURRENCY: '2', SWITCHBACK_TELEMETRY_LOOP: 'false' }), connectionString: t.url, log: () => undefined });
});
afterAll(async () => {
  await worker?.stop();
  await rx?.close();
  if (previousPublicUrl === undefined) delete process.env.SWITCHBACK_PUBLIC_URL;
  else process.env.SWITCHBACK_PUBLIC_URL = previousPublicUrl;
  reloadEnv();
  await t?.close();
});

let n = 0;
const subscribe = (events: Parameters<typeof createWebhook>[2]['events'], more: { format?: 'json' | 'slack'; url?: string } = {}) =>
  createWebhook(t.db, admin, { name: `hook-${++n}`, url: more.url ?? `${rx.url}?sub=${n}`, events, format: more.format ?? 'json' });

const delivery = (id: string) => t.db.webhookDelivery.findUniqueOrThrow({ where: { id } });
const requestsFor = (deliveryId: string) => rx.requests.filter((r) => r.headers['switchback-delivery'] === deliveryId);
// Hang bounds, not speed bounds: a busy 2-core machine may take long; a defect never finishes.
const POLL = { timeout: 60_000, interval: 100 };
const HANG = 120_000;
// Past the polls' own bound, so a poll that gives up reports what it last saw instead of a bare timeout.
vi.setConfig({ testTimeout: HANG });

describe('webhook subscriptions', () => {
  it('show the secret once (create, rotate), never in reads; edits are compare-and-set; removal is soft', async () => {
    const created = await subscribe(['halt_engaged']);
    expect(created.secret).toMatch(/^whsec_/);
    const read = await getWebhook(t.db, { id: created.id });
    expect(read).not.toHaveProperty('secret');
    expect(read.secretHint).toBe(`…${created.secret.slice(-4)}`);
    expect(JSON.stringify(await listWebhooks(t.db))).not.toContain(created.secret);
    const audit = await t.db.auditEvent.findMany({ where: { targetId: created.id } });
    expect(JSON.stringify(audit.map((a) => [a.before, a.after]))).not.toContain(created.secret);

    const edited = await updateWebhook(t.db, admin, { id: created.id, version: created.version, name: created.name, url: rx.url, events: ['halt_engaged', 'halt_released'], format: 'slack', active: true });
    expect(edited).toMatchObject({ version: 2, format: 'slack', events: ['halt_engaged', 'halt_released'] });
    const stale = await updateWebhook(t.db, admin, { id: created.id, version: 1, name: created.name, url: rx.url, events: ['halt_engaged'] }).catch((e: unknown) => e);
    expect(stale).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('now version 2') as unknown });

    const rotated = await rotateWebhookSecret(t.db, admin, { id: created.id, version: 2 });
    expect(rotated.secret).not.toBe(created.secret);
    expect(rotated.version).toBe(3);
    await removeWebhook(t.db, admin, { id: created.id, version: 3 });
    expect((await listWebhooks(t.db)).map((s) => s.id)).not.toContain(created.id);
    // The name is free again once the subscription is removed.
    await expect(createWebhook(t.db, admin, { name: created.name, url: rx.url, events: ['test' as never] })).rejects.toThrow();
    const again = await createWebhook(t.db, admin, { name: created.name, url: rx.url, events: ['halt_released'] });
    await expect(createWebhook(t.db, admin, { name: created.name, url: rx.url, events: ['halt_released'] })).rejects.toMatchObject({ code: 'CONFLICT' });
    await removeWebhook(t.db, admin, { id: again.id, version: again.version });
  });
});

describe('delivery', () => {
  it('sends a test delivery signed so that the documented procedure verifies it', async () => {
    const sub = await subscribe(['halt_engaged']);
    const { deliveryId } = await testWebhook(t.db, admin, { id: sub.id });
    await expect.poll(async () => (await delivery(deliveryId)).state, POLL).toBe('delivered');
    const [req] = requestsFor(deliveryId);
    expect(req).toBeDefined();
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.headers['switchback-event']).toBe('test');
    const header = String(req!.headers['switchback-signature']);
    // The documented procedure, written out as a receiver would.
    const [, t0, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header)!;
    expect(createHmac('sha256', sub.secret).update(`${t0}.${req!.rawBody}`).digest('hex')).toBe(v1);
    expect(Math.abs(Date.now() / 1000 - Number(t0))).toBeLessThan(300);
    expect(verifySignature(sub.secret, header, req!.rawBody)).toMatchObject({ ok: true });
    expect(verifySignature(sub.secret, header, req!.rawBody.replace('test', 'tesT')).ok).toBe(false);
    expect(JSON.parse(req!.rawBody)).toMatchObject({ id: deliveryId, event: 'test', data: { subscriptionId: sub.id, subscription: sub.name } });
    const row = await delivery(deliveryId);
    expect(row).toMatchObject({ attempts: 1, responseStatus: 200, response: 'ok 200' });
    expect(row.deliveredAt).not.toBeNull();
    expect((await listDeliveries(t.db, { id: sub.id })).items.map((d) => d.id)).toContain(deliveryId);
  });

  it('retries a receiver answering 500 twice, then 200: three attempts, each in the log, then delivered', async () => {
    const sub = await subscribe(['halt_engaged']);
    rx.answer([500, 500, 200], 'busy');
    const { deliveryId } = await testWebhook(t.db, admin, { id: sub.id });
    const seen = new Set<string>();
    await expect
      .poll(async () => {
        const d = await delivery(deliveryId);
        seen.add(`${d.attempts}:${d.responseStatus}:${d.state}`);
        return d.state;
      }, POLL)
      .toBe('delivered');
    rx.answer([200]);
    const d = await delivery(deliveryId);
    expect(d).toMatchObject({ attempts: 3, responseStatus: 200, response: 'busy 200' });
    // The log showed each failed attempt while it waited for the next.
    expect(seen).toContain('1:500:pending');
    expect(seen).toContain('2:500:pending');
    const reqs = requestsFor(deliveryId);
    expect(reqs.map((r) => r.status)).toEqual([500, 500, 200]);
    // Each attempt is signed afresh, and every one verifies.
    for (const r of reqs) expect(verifySignature(sub.secret, String(r.headers['switchback-signature']), r.rawBody).ok).toBe(true);
    const job = await t.db.$queryRaw<Array<{ n: bigint }>>`SELECT count(*) AS n FROM graphile_worker.jobs WHERE key = ${`webhook:${deliveryId}`}`;
    expect(job[0]!.n).toBe(0n);
  });

  it('marks a delivery failed after its last attempt, with the error in words', async () => {
    const dead = await startReceiver();
    const url = dead.url;
    await dead.close();
    const sub = await subscribe(['experiment_report_ready'], { url });
    // Not through the worker (the queue's backoff before an 8th try is long): the job's own function, on a row without a job.
    const { id: deliveryId } = await t.db.webhookDelivery.create({ data: { subscriptionId: sub.id, event: 'test', payload: { event: 'test' } } });
    await expect(deliverWebhook(t.db, { deliveryId }, { maxAttempts: 2 })).rejects.toThrow(/attempt 1 of 2/);
    expect(await delivery(deliveryId)).toMatchObject({ state: 'pending', attempts: 1, responseStatus: null, response: expect.stringContaining('Connection refused') as unknown });
    await expect(deliverWebhook(t.db, { deliveryId }, { maxAttempts: 2 })).resolves.toMatchObject({ state: 'failed', attempts: 2 });
    expect(await delivery(deliveryId)).toMatchObject({ state: 'failed', attempts: 2, deliveredAt: null });
  });

  it('sends a Slack-shaped body to a slack subscription', async () => {
    const sub = await subscribe(['halt_engaged'], { format: 'slack' });
    const { deliveryId } = await testWebhook(t.db, admin, { id: sub.id });
    await expect.poll(async () => (await delivery(deliveryId)).state, POLL).toBe('delivered');
    const body = JSON.parse(requestsFor(deliveryId)[0]!.rawBody) as { text: string; blocks: Array<{ type: string }> };
    expect(Object.keys(body).sort()).toEqual(['blocks', 'text']);
    expect(body.text).toContain(`Test delivery to "${sub.name}"`);
    expect(body.blocks[0]).toMatchObject({ type: 'section', text: { type: 'mrkdwn' } });
  });
});

describe('events from the code paths', () => {
  it('a rolled-back command emits nothing: no delivery, no job', async () => {
    const sub = await subscribe(['halt_released']);
    let deliveryId = '';
    const err = await runCommand(t.db, admin, async (ctx) => {
      await emitWebhookEvent(ctx.tx, 'halt_released', { haltId: 'h', by: 'x', reason: 'r', rolloutsStillPaused: 0, link: PUBLIC });
      const inside = await ctx.tx.webhookDelivery.findMany({ where: { subscriptionId: sub.id }, select: { id: true } });
      expect(inside).toHaveLength(1);
      deliveryId = inside[0]!.id;
      const queued = await ctx.tx.$queryRaw<Array<{ n: bigint }>>`SELECT count(*) AS n FROM graphile_worker.jobs WHERE key = ${deliveryJobKey(deliveryId)}`;
      expect(queued[0]!.n).toBe(1n);
      throw new Error('the command failed after emitting');
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(await t.db.webhookDelivery.count({ where: { subscriptionId: sub.id } })).toBe(0);
    // By this delivery's job key: jobs other cases of this file left queued on a slow machine are not this command's.
    const jobs = await t.db.$queryRaw<Array<{ n: bigint }>>`SELECT count(*) AS n FROM graphile_worker.jobs WHERE key = ${deliveryJobKey(deliveryId)}`;
    expect(jobs[0]!.n).toBe(0n);
  });

  it('halt engage and release send halt_engaged and halt_released to their subscribers only', async () => {
    const engaged = await subscribe(['halt_engaged']);
    const released = await subscribe(['halt_released']);
    const h = await engageHalt(t.db, admin, { reason: 'database failover in progress' });
    await expect.poll(async () => t.db.webhookDelivery.findMany({ where: { subscriptionId: engaged.id }, select: { state: true, event: true } }), POLL).toEqual([{ state: 'delivered', event: 'halt_engaged' }]);
    const d = await t.db.webhookDelivery.findFirstOrThrow({ where: { subscriptionId: engaged.id } });
    const body = JSON.parse(requestsFor(d.id)[0]!.rawBody) as { event: string; data: Record<string, unknown> };
    expect(body).toMatchObject({ event: 'halt_engaged', data: { haltId: h.id, by: admin.name, reason: 'database failover in progress', link: `${PUBLIC}/safety` } });
    expect(await t.db.webhookDelivery.count({ where: { subscriptionId: released.id } })).toBe(0);
    await releaseHalt(t.db, admin, { reason: 'failover done' });
    await expect.poll(async () => (await t.db.webhookDelivery.findMany({ where: { subscriptionId: released.id } })).map((x) => x.state), POLL).toEqual(['delivered']);
  });

  it('a rollout reaching an approval gate sends rollout_approval_requested with a link to the approval', async () => {
    const sub = await subscribe(['rollout_approval_requested']);
    const f = await rolloutFleet(t.db);
    // Started by the operator; the worker's reconciler (a real job) reaches the gate.
    const id = await startedRollout(t.db, f, [{ kind: 'approval', quorum: 1, expiresInS: 600, onExpiry: 'abort' }]);
    await expect.poll(async () => (await t.db.webhookDelivery.findMany({ where: { subscriptionId: sub.id } })).map((x) => x.state), POLL).toEqual(['delivered']);
    const request = await t.db.approvalRequest.findFirstOrThrow({ where: { rolloutId: id } });
    const d = await t.db.webhookDelivery.findFirstOrThrow({ where: { subscriptionId: sub.id } });
    const body = JSON.parse(requestsFor(d.id)[0]!.rawBody) as { event: string; data: Record<string, unknown> };
    expect(body).toMatchObject({
      event: 'rollout_approval_requested',
      data: { rolloutId: id, requestId: request.id, service: f.service.name, quorum: 1, approvalLink: `${PUBLIC}/rollouts/${id}?approval=${request.id}` },
    });
    expect((await t.db.rollout.findUniqueOrThrow({ where: { id } })).pauseReason).toBe('awaiting_approval');
    // Reconciling again at the gate does not announce it again.
    expect(await t.db.webhookDelivery.count({ where: { subscriptionId: sub.id } })).toBe(1);
  });

  it('announces a freeze window once when it starts', async () => {
    const sub = await subscribe(['freeze_started']);
    // An hour ahead, swept as of 30 s into it: the worker's own minute sweep (its cron, at the wall
    // clock) never finds it in force. In force from now, a minute boundary between the create and
    // the sweeps below let the worker announce it first, and they announced 0 + 0.
    const now = Date.now() + 3_600_000;
    const w = await createFreeze(t.db, admin, { window: { name: 'peak', reason: 'sales peak', kind: 'one_off', startsAt: new Date(now - 30_000), endsAt: new Date(now + 3_600_000) } });
    const at = new Date(now);
    const first = await sweepFreezeStarts(t.db, at);
    const second = await sweepFreezeStarts(t.db, at);
    expect(first.announced + second.announced).toBe(1);
    const rows = await t.db.webhookDelivery.findMany({ where: { subscriptionId: sub.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.payload).toMatchObject({ event: 'freeze_started', data: { windowId: w.id, window: 'peak' } });
    const row = await t.db.freezeWindow.findUniqueOrThrow({ where: { id: w.id } });
    expect(row.startNotifiedAt).toEqual(row.startsAt);
    // A later sweep inside the same window stays quiet.
    expect(await sweepFreezeStarts(t.db, new Date(now + 60_000))).toEqual({ announced: 0 });
  });
});

// The two events a reconciler emits on its own, delivered for real: a rollout whose analysis
// step really fails (error-rate samples far above the stable version's) and a chaos run that
// really ends and stores its report. The test plays the reconcilers' clocks and the platform
// (as reconcile.int.test.ts and run-lifecycle.int.test.ts do); a real graphile-worker runs only
// the webhook_deliver task, so nothing else races the test's clock, and a real HTTP receiver on
// 127.0.0.1 checks what arrives: event, body and signature.
import { createHmac } from 'node:crypto';
import { run, type Runner } from 'graphile-worker';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseEnv, reloadEnv } from '../../env';
import { makeUser } from '../../db/factories';
import { buildTaskList } from '../../jobs/tasks';
import { openTestDb, type TestDb } from '../../../test/context';
import { startReceiver, type Receiver } from '../../../test/webhook-receiver';
import { canaryErrorSamples, actorOf, platformApplies, reconcile, rolloutFleet, startedRollout } from '../../../test/rollout-fixtures';
import { chaosFleet, controller, leaderConfirms, leaderRemoves, makeExperiment, sec } from '../../../test/experiment-fixtures';
import type { RunReport } from '../../domain/experiments/report';
import { startRun } from '../experiments/run-start';
import { verifySignature } from './signing';
import { createWebhook } from './subscriptions';

let t: TestDb;
let rx: Receiver;
let runner: Runner;
let admin: { id: string; name: string };
const PUBLIC = 'https://switchback.test.example';
const previousPublicUrl = process.env.SWITCHBACK_PUBLIC_URL;
// Hang bounds, not speed bounds: a busy 2-core machine may take long; a defect never finishes.
const POLL = { timeout: 60_000, interval: 100 };
vi.setConfig({ testTimeout: 120_000 });

beforeAll(async () => {
  t = await openTestDb();
  process.env.SWITCHBACK_PUBLIC_URL = PUBLIC;
  reloadEnv();
  rx = await startReceiver();
  admin = actorOf((await makeUser(t.db, { role: 'admin' })).user);
  const tasks = buildTaskList({ db: t.db, env: parseEnv({ SWITCHBACK_TELEMETRY_LOOP: 'false' }), log: () => undefined });
  runner = await run({ connectionString: t.url, crontab: '', concurrency: 1, noHandleSignals: true, pollInterval: 200, taskList: { webhook_deliver: tasks.webhook_deliver! } });
});
afterAll(async () => {
  await runner?.stop();
  await rx?.close();
  if (previousPublicUrl === undefined) delete process.env.SWITCHBACK_PUBLIC_URL;
  else process.env.SWITCHBACK_PUBLIC_URL = previousPublicUrl;
  reloadEnv();
  await t?.close();
});

let n = 0;
const subscribe = (events: Parameters<typeof createWebhook>[2]['events']) => createWebhook(t.db, admin, { name: `delivered-${++n}`, url: `${rx.url}?sub=${n}`, events });

/** Waits until every delivery of `subscriptionId` is delivered; returns each one's request as the receiver got it. */
async function arrived(subscriptionId: string, count: number) {
  await expect.poll(async () => (await t.db.webhookDelivery.findMany({ where: { subscriptionId } })).map((d) => d.state), POLL).toEqual(Array<string>(count).fill('delivered'));
  const rows = await t.db.webhookDelivery.findMany({ where: { subscriptionId }, orderBy: { createdAt: 'asc' } });
  return rows.map((d) => {
    const reqs = rx.requests.filter((r) => r.headers['switchback-delivery'] === d.id);
    expect(reqs).toHaveLength(1);
    return reqs[0]!;
  });
}

/** The documented check, written out as a receiver would, and the library's. */
function expectSigned(secret: string, header: string, rawBody: string) {
  const [, ts, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header) ?? [];
  expect(v1).toBeDefined();
  expect(createHmac('sha256', secret).update(`${ts}.${rawBody}`).digest('hex')).toBe(v1);
  expect(verifySignature(secret, header, rawBody).ok).toBe(true);
  expect(verifySignature(`${secret}x`, header, rawBody).ok).toBe(false);
}

describe('events the reconcilers emit, delivered', () => {
  it('a rollout whose analysis fails sends rollout_analysis_failed, once, signed, with the verdict and a link to the rollout', async () => {
    const sub = await subscribe(['rollout_analysis_failed']);
    const other = await subscribe(['rollout_promoted']);
    const f = await rolloutFleet(t.db);
    const id = await startedRollout(t.db, f, [{ kind: 'setWeight', weight: 10 }, { kind: 'analysis', metrics: [{ metric: 'error-rate', maxIncreasePct: 50 }], seconds: 300 }, { kind: 'setWeight', weight: 50 }]);
    // The reconciler's clock in the past, so a minute of samples lies between the step's start and the look.
    const t0 = new Date(Date.now() - 120_000);
    await reconcile(t.db, id, t0);
    await platformApplies(t.db, f.service.id);
    await reconcile(t.db, id, sec(t0, 1));
    expect(await t.db.rollout.findUniqueOrThrow({ where: { id } })).toMatchObject({ state: 'progressing', currentStep: 1 });
    // No verdict yet: nothing sent.
    expect(await t.db.webhookDelivery.count({ where: { subscriptionId: sub.id } })).toBe(0);
    // The canary fails 30 % of its requests, the stable version 0.5 %.
    await canaryErrorSamples(t.db, f, sec(t0, 2), 60, 0.3, 0.005);
    await reconcile(t.db, id, sec(t0, 62));
    const failed = await t.db.rollout.findUniqueOrThrow({ where: { id } });
    expect(failed).toMatchObject({ state: 'aborted', abortReason: 'analysis_failed' });
    // The rollback finishing afterwards announces no second analysis failure.
    await platformApplies(t.db, f.service.id);
    await reconcile(t.db, id);
    expect((await t.db.rollout.findUniqueOrThrow({ where: { id } })).state).toBe('rolled_back');

    const [req] = await arrived(sub.id, 1);
    expect(req!.headers['switchback-event']).toBe('rollout_analysis_failed');
    expect(req!.headers['content-type']).toBe('application/json');
    expectSigned(sub.secret, String(req!.headers['switchback-signature']), req!.rawBody);
    const body = JSON.parse(req!.rawBody) as { id: string; event: string; summary: string; data: Record<string, unknown> };
    expect(body).toMatchObject({
      id: req!.headers['switchback-delivery'],
      event: 'rollout_analysis_failed',
      data: { rolloutId: id, rollout: failed.name, service: f.service.name, state: 'Aborted', link: `${PUBLIC}/rollouts/${id}` },
    });
    // The verdict in words reaches the receiver: what the analysis found, as the rollout's timeline says it.
    expect(body.data.detail).toBe(failed.stateDetail);
    expect(String(body.data.detail)).toMatch(/^Analysis failed, rolling back: .*error/i);
    expect(body.summary).toContain(`Rollout "${failed.name}" of ${f.service.name}: analysis failed`);
    // A subscriber to another event got nothing.
    expect(await t.db.webhookDelivery.count({ where: { subscriptionId: other.id } })).toBe(0);
  });

  it('a chaos run that ends sends experiment_report_ready, once, signed, with the report summary and a link to the run report', async () => {
    const sub = await subscribe(['experiment_report_ready']);
    const f = await chaosFleet(t.db);
    const e = await makeExperiment(t.db, f);
    const t0 = new Date();
    const { id } = await startRun(t.db, f.operator, { experimentId: e.id });
    // The controller injects, the test plays the leader confirming and later removing the fault.
    expect((await controller(t.db, id, t0)).state).toBe('injecting');
    await leaderConfirms(t.db, id, sec(t0, 1));
    expect((await controller(t.db, id, sec(t0, 1))).state).toBe('running');
    expect((await controller(t.db, id, sec(t0, 11))).state).toBe('recovering');
    await leaderRemoves(t.db, id, sec(t0, 12));
    expect((await controller(t.db, id, sec(t0, 12.5))).state).toBe('recovering');
    // Observing self-heal: no report yet, nothing sent.
    expect(await t.db.webhookDelivery.count({ where: { subscriptionId: sub.id } })).toBe(0);
    expect((await controller(t.db, id, sec(t0, 23))).state).toBe('completed');
    // A look after the end sends nothing more.
    await controller(t.db, id, sec(t0, 24));

    const ended = await t.db.experimentRun.findUniqueOrThrow({ where: { id } });
    const report = ended.report as unknown as RunReport;
    expect(report.summary.length).toBeGreaterThan(0);
    const [req] = await arrived(sub.id, 1);
    expect(req!.headers['switchback-event']).toBe('experiment_report_ready');
    expectSigned(sub.secret, String(req!.headers['switchback-signature']), req!.rawBody);
    const body = JSON.parse(req!.rawBody) as { event: string; summary: string; data: Record<string, unknown> };
    expect(body).toMatchObject({
      event: 'experiment_report_ready',
      // Sent once the run has ended: its state is the end, not "Recovering".
      data: { runId: id, experimentId: e.id, experiment: e.name, number: 1, state: 'Completed', reportSummary: report.summary, link: `${PUBLIC}/experiments/runs/${id}` },
    });
    expect(body.summary).toContain(`Experiment "${e.name}" run #1: report ready — `);
  });
});

// GET /metrics as Next serves it (the route module itself, with the process's env and database
// client): exposition text whose database figures follow rows made here, through the commands
// where they exist (a rollout, a halt) and as the worker writes them otherwise (an injection, a
// webhook delivery). Each assertion is a difference, so rows of other tests cannot mislead it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '@/test/context';
import { promtoolCheck, sampleValue } from '@/test/exposition';
import { rolloutAt } from '@/test/rollout-fixtures';
import { makeInjection, makeRunningRun } from '@/test/fault-fixtures';
import { makeUser } from '@/server/db/factories';
import { reloadEnv } from '@/server/env';
import { engageHalt } from '@/server/services/safety/halt';
import { GET } from './route';

let t: TestDb;
const TOKEN = 'route-test-metrics-token-0123';

beforeAll(async () => {
  t = await openTestDb();
  // The route reads the process's configuration and database client, as in production.
  process.env.DATABASE_URL = t.url;
  reloadEnv();
});
afterAll(async () => {
  delete process.env.SWITCHBACK_METRICS_TOKEN;
  await t?.close();
});

async function scrape(authorization?: string): Promise<{ status: number; text: string }> {
  const res = await GET(new Request('http://127.0.0.1/metrics', { headers: authorization ? { authorization } : {} }));
  return { status: res.status, text: await res.text() };
}
const figure = (text: string, name: string, labels: Record<string, string> = {}) => sampleValue(text, name, labels) ?? 0;

describe('GET /metrics', () => {
  it('answers valid exposition text whose figures follow the rows: a rollout, an injection, a delivery, a halt', async () => {
    const first = await scrape();
    expect(first.status).toBe(200);
    const check = promtoolCheck(first.text);
    expect(check.parses, check.output).toBe(true);
    expect(check.lint.filter((l) => l.startsWith('switchback_'))).toEqual([]);
    expect(figure(first.text, 'switchback_database_up')).toBe(1);
    expect(figure(first.text, 'switchback_halt_engaged')).toBe(0);

    // A started rollout: progressing, and its reconcile job in the queue (added in SQL by the command).
    await rolloutAt(t.db, 'progressing');
    const afterRollout = (await scrape()).text;
    expect(figure(afterRollout, 'switchback_rollouts', { state: 'progressing' })).toBe(figure(first.text, 'switchback_rollouts', { state: 'progressing' }) + 1);
    const queued = (text: string) => ['ready', 'scheduled', 'locked'].reduce((n, state) => n + figure(text, 'switchback_jobs', { task: 'rollout_reconcile', state }), 0);
    expect(queued(afterRollout)).toBeGreaterThan(queued(first.text));

    // A fault the platform confirmed: active now, and counted as injected.
    const { runId } = await makeRunningRun(t.db);
    const instance = await t.db.instance.findFirstOrThrow();
    const id = await makeInjection(t.db, { runId, instanceId: instance.id, spec: { kind: 'delay', delayMs: 100, jitterMs: 0 }, adapterKind: 'sim', leaseMs: 60_000 });
    await t.db.injection.update({ where: { id }, data: { injectedAt: new Date() } });
    const sub = await t.db.webhookSubscription.create({ data: { name: `metrics-${Date.now()}`, url: 'http://127.0.0.1:9/hook', events: ['halt_engaged'], secret: 's'.repeat(32), createdByName: 'test' } });
    await t.db.webhookDelivery.create({ data: { subscriptionId: sub.id, event: 'halt_engaged', payload: {}, state: 'failed', attempts: 5, response: 'connection refused' } });
    const afterFault = (await scrape()).text;
    expect(figure(afterFault, 'switchback_faults_active', { kind: 'delay' })).toBe(figure(afterRollout, 'switchback_faults_active', { kind: 'delay' }) + 1);
    expect(figure(afterFault, 'switchback_faults_injected_total', { kind: 'delay' })).toBe(figure(afterRollout, 'switchback_faults_injected_total', { kind: 'delay' }) + 1);
    expect(figure(afterFault, 'switchback_experiment_runs', { state: 'running' })).toBe(figure(afterRollout, 'switchback_experiment_runs', { state: 'running' }) + 1);
    expect(figure(afterFault, 'switchback_webhook_deliveries', { state: 'failed' })).toBe(figure(afterRollout, 'switchback_webhook_deliveries', { state: 'failed' }) + 1);

    // The halt: engaged, counted, and the progressing rollout paused by it.
    const { user } = await makeUser(t.db, { role: 'operator' });
    await engageHalt(t.db, { id: user.id, name: user.name }, { reason: 'metrics test' });
    const afterHalt = (await scrape()).text;
    expect(figure(afterHalt, 'switchback_halt_engaged')).toBe(1);
    expect(figure(afterHalt, 'switchback_halts_engaged_total')).toBe(figure(afterFault, 'switchback_halts_engaged_total') + 1);
    expect(figure(afterHalt, 'switchback_rollouts', { state: 'progressing' })).toBe(figure(afterFault, 'switchback_rollouts', { state: 'progressing' }) - 1);
    // Labels are states, kinds and task names: never an id or a name typed by a user.
    expect(afterHalt).not.toContain(id);
    expect(afterHalt).not.toContain(sub.name);
  });

  it('needs SWITCHBACK_METRICS_TOKEN as a bearer token once it is set', async () => {
    process.env.SWITCHBACK_METRICS_TOKEN = TOKEN;
    reloadEnv();
    try {
      const refused = await scrape();
      expect(refused.status).toBe(401);
      expect(refused.text).not.toContain('switchback_rollouts');
      expect((await scrape('Bearer not-the-token-0000000000')).status).toBe(401);
      const ok = await scrape(`Bearer ${TOKEN}`);
      expect(ok.status).toBe(200);
      expect(figure(ok.text, 'switchback_database_up')).toBe(1);
    } finally {
      delete process.env.SWITCHBACK_METRICS_TOKEN;
      reloadEnv();
    }
  });
});

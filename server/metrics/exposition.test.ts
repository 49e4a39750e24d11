import { describe, expect, it } from 'vitest';
import { promtoolCheck, sampleValue } from '../../test/exposition';
import { EXPOSITION_CONTENT_TYPE, metricsAuthorized, webMetricsResponse } from './exposition';
import { FIGURES_SQL, type Queryable } from './database-gauges';

const TOKEN = 'metrics-token-0123456789';

const figures = (over: Record<string, unknown> = {}): Queryable => ({
  query: (sql) => {
    expect(sql).toBe(FIGURES_SQL);
    return Promise.resolve({
      rows: [
        {
          rollouts: { progressing: 2, paused: 1 },
          runs: { running: 1 },
          deliveries: { failed: 3 },
          jobs: [{ task: 'reconcile_rollout', ready: 4, scheduled: 1, locked: 1, failed: 0 }],
          faults_active: { latency: 2 },
          faults_injected: { latency: 5, 'http-error': 1 },
          halt_engaged: true,
          halts_total: 7,
          last_tick_age: 0.4,
          ...over,
        },
      ],
    });
  },
});

describe('the bearer check', () => {
  it('is open without a token and needs the exact token with one', () => {
    expect(metricsAuthorized(null, undefined)).toBe(true);
    expect(metricsAuthorized(null, TOKEN)).toBe(false);
    expect(metricsAuthorized(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(metricsAuthorized(`bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(metricsAuthorized(`Bearer ${TOKEN}x`, TOKEN)).toBe(false);
    expect(metricsAuthorized(`Basic ${TOKEN}`, TOKEN)).toBe(false);
  });
});

describe('the web /metrics answer', () => {
  it('is exposition text with the database figures, every known state present', async () => {
    const res = await webMetricsResponse({ authorization: null, token: undefined, db: figures(), deadlineMs: 5000 });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(EXPOSITION_CONTENT_TYPE);
    const text = await res.text();
    const check = promtoolCheck(text);
    expect(check.parses, check.output).toBe(true);
    expect(check.lint.filter((l) => l.startsWith('switchback_'))).toEqual([]);
    expect(sampleValue(text, 'switchback_database_up')).toBe(1);
    expect(sampleValue(text, 'switchback_rollouts', { state: 'progressing' })).toBe(2);
    expect(sampleValue(text, 'switchback_rollouts', { state: 'rolled_back' })).toBe(0);
    expect(sampleValue(text, 'switchback_experiment_runs', { state: 'running' })).toBe(1);
    expect(sampleValue(text, 'switchback_webhook_deliveries', { state: 'failed' })).toBe(3);
    expect(sampleValue(text, 'switchback_jobs', { task: 'reconcile_rollout', state: 'ready' })).toBe(4);
    expect(sampleValue(text, 'switchback_faults_active', { kind: 'latency' })).toBe(2);
    expect(sampleValue(text, 'switchback_faults_injected_total', { kind: 'http-error' })).toBe(1);
    expect(sampleValue(text, 'switchback_halt_engaged')).toBe(1);
    expect(sampleValue(text, 'switchback_halts_engaged_total')).toBe(7);
    expect(sampleValue(text, 'switchback_last_tick_age_seconds')).toBe(0.4);
  });

  it('answers 200 with switchback_database_up 0 and no SQL when the database fails', async () => {
    const lines: string[] = [];
    const failing: Queryable = { query: () => Promise.reject(new Error('relation "Rollout" does not exist at SELECT count(*)')) };
    const res = await webMetricsResponse({ authorization: null, token: undefined, db: failing, deadlineMs: 5000, log: (l) => lines.push(l) });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(sampleValue(text, 'switchback_database_up')).toBe(0);
    expect(sampleValue(text, 'switchback_rollouts', { state: 'pending' })).toBeUndefined();
    expect(text).not.toMatch(/SELECT|relation/);
    expect(lines.join('\n')).toContain('does not exist');
    expect(promtoolCheck(text).parses).toBe(true);
  });

  it('gives up on a database that does not answer within the deadline', async () => {
    const silent: Queryable = { query: () => new Promise(() => undefined) };
    const res = await webMetricsResponse({ authorization: null, token: undefined, db: silent, deadlineMs: 50 });
    expect(sampleValue(await res.text(), 'switchback_database_up')).toBe(0);
  });

  it('refuses without the configured token, in words, and answers with it', async () => {
    const refused = await webMetricsResponse({ authorization: 'Bearer wrong-token-000000000', token: TOKEN, db: figures(), deadlineMs: 5000 });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const body = await refused.text();
    expect(body).toContain('SWITCHBACK_METRICS_TOKEN');
    expect(body).not.toContain('switchback_');
    const ok = await webMetricsResponse({ authorization: `Bearer ${TOKEN}`, token: TOKEN, db: figures(), deadlineMs: 5000 });
    expect(ok.status).toBe(200);
  });
});

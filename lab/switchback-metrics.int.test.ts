// Switchback observed as an SRE would: a real worker (graphile-worker + the telemetry loop on the
// simulator) serving its metrics endpoint, and the web process's /metrics handler on a loopback
// port, both scraped every second by the lab's Prometheus; the test reads the series back
// through Prometheus' HTTP API (the issue's proof), not from the endpoints.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../test/context';
import { sampleValue } from '../test/exposition';
import { makeDefaultPolicies, makeFleet, makeUser } from '../server/db/factories';
import { pgPool } from '../server/db/client';
import { parseEnv } from '../server/env';
import { startWorker, type WorkerHandle } from '../server/jobs/worker';
import { startMetricsServer, webMetricsResponse, type MetricsServer } from '../server/metrics/exposition';
import { measureHttpRequest } from '../server/metrics/shared-registry.mjs';
import { freePort } from '../server/platform/haproxy/testing/harness';
import { stopProcess } from '../server/platform/haproxy/process';
import { engageHalt } from '../server/services/safety/halt';
import { startPrometheus, type LabPrometheus } from './prometheus';

let t: TestDb;
let dir: string;
let worker: WorkerHandle | null = null;
let workerMetrics: MetricsServer | null = null;
let web: http.Server | null = null;
let webAddress = '';
let prometheus: LabPrometheus | null = null;
const lines: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sb-lab-metrics-'));
  t = await openTestDb();
  await makeDefaultPolicies(t.db);
  await t.db.adapterConfig.create({ data: { name: 'simulator', kind: 'sim', active: true, config: { seed: 11 } } });
  await makeFleet(t.db, {
    regions: [{ name: 'r1', zones: [{ name: 'z1', clusters: ['c1'] }] }],
    services: [{ name: 'api', placement: [{ cluster: 'c1', versions: { v1: 3 } }], routing: { versionWeights: { v1: 100 }, headerRules: [] } }],
  });
  const env = parseEnv({ SWITCHBACK_WORKER_CONCURRENCY: '2', SWITCHBACK_TICK_MS: '250', SWITCHBACK_TELEMETRY_LOOP: 'true' });
  worker = await startWorker({ db: t.db, env, connectionString: t.url, log: (l) => lines.push(l) });
  workerMetrics = await startMetricsServer({ port: 0, host: '127.0.0.1', log: (l) => lines.push(l) });
  // The web process's /metrics, served as scripts/web-server.mjs serves the Next route: every
  // request measured, the answer from the route's own function.
  web = http.createServer((req, res) => {
    measureHttpRequest(req, res);
    void webMetricsResponse({ authorization: req.headers.authorization ?? null, token: undefined, db: pgPool(t.db), deadlineMs: 4000, log: (l) => lines.push(l) }).then(async (r) => {
      res.writeHead(r.status, Object.fromEntries(r.headers)).end(await r.text());
    });
  });
  await new Promise<void>((resolve) => web!.listen(0, '127.0.0.1', resolve));
  webAddress = `127.0.0.1:${(web.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  await stopProcess(prometheus?.process ?? null);
  await workerMetrics?.close();
  await new Promise((r) => (web ? web.close(r) : r(null)));
  web?.closeAllConnections();
  await worker?.stop();
  await t?.close();
  await rm(dir, { recursive: true, force: true });
});

const workerAddress = () => new URL(workerMetrics!.url).host;

describe('the worker metrics endpoint', () => {
  it('shows tick durations and adapter calls after a few ticks of the real loop', async () => {
    const read = async () => {
      const text = await (await fetch(workerMetrics!.url)).text();
      return {
        ticks: (sampleValue(text, 'switchback_tick_duration_seconds_count') ?? 0) >= 3,
        counted: (sampleValue(text, 'switchback_ticks_total') ?? 0) >= 3,
        reads: (sampleValue(text, 'switchback_adapter_call_duration_seconds_count', { kind: 'sim', operation: 'readTelemetry', outcome: 'ok' }) ?? 0) >= 3,
      };
    };
    await expect.poll(read, { timeout: 60_000, interval: 200 }).toEqual({ ticks: true, counted: true, reads: true });
    const text = await (await fetch(workerMetrics!.url)).text();
    expect(sampleValue(text, 'switchback_tick_duration_seconds_sum')).toBeGreaterThan(0);
    // Instance names of the fleet never become labels.
    expect(text).not.toMatch(/api-v1-|instance=/);
  });
});

describe("the lab's Prometheus", () => {
  it('scrapes the worker and the web endpoint; the series read back through its query API', async () => {
    prometheus = await startPrometheus(dir, await freePort(), [workerAddress(), webAddress]);
    await prometheus.waitUp(2, 60_000);
    const query = async (q: string): Promise<number | null> => {
      const res = await fetch(`${prometheus!.url}/api/v1/query?query=${encodeURIComponent(q)}`).catch(() => null);
      if (!res?.ok) return null;
      const body = (await res.json()) as { data?: { result?: Array<{ value: [number, string] }> } };
      const v = body.data?.result?.[0]?.value[1];
      return v === undefined ? null : Number(v);
    };
    const w = workerAddress();
    const seen = async () => ({
      ticks: ((await query(`switchback_ticks_total{instance="${w}"}`)) ?? 0) >= 1,
      tickDurations: ((await query(`switchback_tick_duration_seconds_count{instance="${w}"}`)) ?? 0) >= 1,
      adapterCalls: ((await query(`sum(switchback_adapter_call_duration_seconds_count{instance="${w}",kind="sim"})`)) ?? 0) >= 1,
      databaseUp: await query(`switchback_database_up{instance="${webAddress}"}`),
      // Prometheus' own scrapes of the web endpoint, measured by the HTTP histogram.
      scrapesMeasured: ((await query(`sum(switchback_http_request_duration_seconds_count{instance="${webAddress}",route="metrics",status="2xx"})`)) ?? 0) >= 1,
      halt: await query(`switchback_halt_engaged{instance="${webAddress}"}`),
    });
    await expect.poll(seen, { timeout: 60_000, interval: 500 }).toEqual({ ticks: true, tickDurations: true, adapterCalls: true, databaseUp: 1, scrapesMeasured: true, halt: 0 });

    // A change in the database reaches Prometheus at the next scrape.
    const { user } = await makeUser(t.db, { role: 'operator' });
    await engageHalt(t.db, { id: user.id, name: user.name }, { reason: 'metrics through Prometheus' });
    await expect.poll(() => query(`switchback_halt_engaged{instance="${webAddress}"}`), { timeout: 30_000, interval: 500 }).toBe(1);
    await expect.poll(() => query(`switchback_halts_engaged_total{instance="${webAddress}"}`), { timeout: 30_000, interval: 500 }).toBe(1);
  }, 180_000);
});

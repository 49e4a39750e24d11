import { test, expect } from '@playwright/test';
import { e2eState } from './support/state';

// /metrics of the app `npm start` runs: the web answer comes from the Next route while the HTTP
// histogram is filled by scripts/web-server.mjs around Next — one registry only if both really
// share it in the built app. The worker's endpoint is the one npm start printed.

const value = (text: string, line: RegExp) => Number(line.exec(text)?.[1] ?? NaN);

test('GET /metrics answers without a session: database figures and the page requests the web server measured', async ({ request }) => {
  const page = await request.get('/login');
  expect(page.status()).toBe(200);
  const res = await request.get('/metrics');
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
  const text = await res.text();
  expect(text).toMatch(/^switchback_database_up 1$/m);
  expect(text).toMatch(/^switchback_rollouts\{state="pending"\} \d+$/m);
  expect(value(text, /^switchback_http_request_duration_seconds_count\{method="GET",route="page",status="2xx"\} (\d+)$/m)).toBeGreaterThanOrEqual(1);
});

test("the worker's metrics endpoint, printed by npm start, shows its ticks", async ({ request }) => {
  const url = /switchback │ metrics .*· (http:\/\/\S+\/metrics) \(worker\)/.exec(e2eState().startOutput)?.[1];
  expect(url, 'npm start prints the worker metrics URL').toBeTruthy();
  await expect
    .poll(async () => value(await (await request.get(url!)).text(), /^switchback_tick_duration_seconds_count (\d+)$/m), { timeout: 30_000 })
    .toBeGreaterThanOrEqual(3);
});

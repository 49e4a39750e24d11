import { test, expect } from '@playwright/test';
import { e2eState } from './support/state';

test('first start prints the URL and generated credentials; signing in shows the seeded platform', async ({ page }) => {
  const s = e2eState();
  expect(s.startOutput).toMatch(/switchback │ open\s+http:\/\/localhost:\d+/);
  expect(s.adminName).toBe('admin');
  // Generated, not a fixed default.
  expect(s.adminPassword).toMatch(/^[A-Za-z0-9]{20}$/);

  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel('User name').fill(s.adminName);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('Wrong user name or password').first()).toBeVisible();

  await page.getByLabel('Password').fill(s.adminPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  // The seeded demo platform (prisma/demo-fleet.ts): 2 regions, 5 zones, 10 clusters, 4 services, 84 instances.
  for (const [label, n] of [['Regions', 2], ['Zones', 5], ['Clusters', 10], ['Services', 4], ['Instances', 84]] as const) {
    // Each count is a term and its value (<dt>/<dd>).
    await expect(page.locator('dt', { hasText: new RegExp(`^${label}$`) }).locator('xpath=following-sibling::dd[1]')).toHaveText(String(n));
  }
  await expect(page.getByRole('cell', { name: 'order-api', exact: true })).toBeVisible();
  await expect(page.getByText(/v1 ×25/)).toBeVisible();
  await expect(page.getByText(/v2 ×5/)).toBeVisible();
  await expect(page.getByText('admin', { exact: true }).first()).toBeVisible();
});

test('health endpoint reports database, worker, telemetry loop and version', async ({ request }) => {
  type Body = {
    status: string;
    database: { ok: boolean };
    worker: { ok: boolean; alive: number };
    telemetry: { ok: boolean; instances: number; skippedTicks: number; lastTickAt: string | null; lastTickMs: number | null; leader: string | null };
    version: string;
  };
  // The first tick follows the worker's election by about a second.
  await expect.poll(async () => ((await (await request.get('/api/health')).json()) as Body).telemetry.ok, { timeout: 20_000 }).toBe(true);
  const res = await request.get('/api/health');
  expect(res.status()).toBe(200);
  const body = (await res.json()) as Body;
  expect(body).toMatchObject({ status: 'ok', database: { ok: true }, worker: { ok: true }, telemetry: { ok: true, instances: 84 } });
  // The loop is live: a leader was elected and its ticks keep coming (a later read sees a later
  // tick), each tick took a measured time, and the skip counter is a count, not NaN or missing.
  expect(body.telemetry.leader).toBe('elected');
  const first = Date.parse(body.telemetry.lastTickAt ?? '');
  expect(Number.isFinite(first)).toBe(true);
  await expect
    .poll(async () => Date.parse(((await (await request.get('/api/health')).json()) as Body).telemetry.lastTickAt ?? ''), { timeout: 20_000 })
    .toBeGreaterThan(first);
  expect(body.telemetry.lastTickMs).toEqual(expect.any(Number));
  expect(Number.isInteger(body.telemetry.skippedTicks) && body.telemetry.skippedTicks >= 0).toBe(true);
  // The public report names no host: leader host:pid and adapter errors are for signed-in users.
  expect(JSON.stringify(body)).not.toMatch(/:\d{2,}"/);
  expect(body.worker.alive).toBeGreaterThanOrEqual(1);
  expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
});

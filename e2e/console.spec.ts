import type { Page } from '@playwright/test';
import { test, expect, signedInPage } from './support/fixtures';
import { e2eState } from './support/state';

// The console as a newcomer found it (issue 10): each finding, seen in the browser.

const SHOTS = '.tmp/shots';

async function api<T>(page: Page, path: string): Promise<T> {
  const res = await page.request.get(`/api/trpc/${path}`);
  expect(res.status(), await res.text()).toBe(200);
  return ((await res.json()) as { result: { data: { json: T } } }).result.data.json;
}

async function mutate(page: Page, path: string, input: unknown) {
  const res = await page.request.post(`/api/trpc/${path}`, { data: { json: input } });
  expect(res.status(), await res.text()).toBe(200);
}

/** No page-level sideways scroll. */
const noSidewaysScroll = (page: Page) => expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);

test('New adapter: the dialog fits 1280×800 with its actions in view, its example saves, a wrong shape names the field', async ({ adminPage: page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/settings');
  await page.getByRole('button', { name: 'New adapter…' }).click();
  const dialog = page.getByRole('dialog', { name: 'New platform adapter' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Create adapter' })).toBeInViewport({ ratio: 1 });
  expect(await dialog.evaluate((d) => d.scrollWidth - d.clientWidth)).toBeLessThanOrEqual(0);
  const box = (await dialog.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(1280);
  await expect(dialog.getByText('At most 60 characters')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/adapter-dialog-light-1280.png` });
  await page.evaluate(() => (document.documentElement.dataset.theme = 'dark'));
  await page.screenshot({ path: `${SHOTS}/adapter-dialog-dark-1280.png` });
  await page.evaluate(() => (document.documentElement.dataset.theme = 'light'));

  // A wrong shape is said with its field.
  const config = dialog.getByLabel('Configuration (JSON)');
  const example = JSON.parse(await config.inputValue()) as Record<string, unknown>;
  delete example.services;
  await dialog.getByLabel('Name').fill('haproxy-example');
  await config.fill(JSON.stringify(example, null, 2));
  await dialog.getByRole('button', { name: 'Create adapter' }).click();
  await expect(dialog.getByText(/services: missing \(expected a list\)/)).toBeVisible();
  await expect(dialog.getByText(/received undefined/)).toHaveCount(0);

  // The prefilled example, untouched, passes its own check.
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('button', { name: 'New adapter…' }).click();
  await dialog.getByLabel('Name').fill('haproxy-example');
  await dialog.getByRole('button', { name: 'Create adapter' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('table', { name: 'Platform adapters' }).getByRole('rowheader', { name: 'haproxy-example' })).toBeVisible();
});

test('/machines?state=foo says the state is unknown and shows no state chosen', async ({ adminPage: page }) => {
  await page.goto('/machines?machine=stage&state=foo');
  await expect(page.getByText("Unknown state 'foo' for the stage machine; known: idle, active, blocked.", { exact: false })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText(/^Now, over 84 instances \(all stages\):/)).toBeVisible();
  await expect(page.getByRole('table', { name: /now$/ })).toHaveCount(0);
  await expect(page.getByRole('group', { name: 'States now' }).locator('[aria-pressed="true"]')).toHaveCount(0);
});

test('free text has its limit in the form; a long description neither spills over the overview nor scrolls sideways', async ({ adminPage: page }) => {
  const overview = await api<{ services: Array<{ id: string; name: string; version: number }> }>(page, 'topology.overview');
  const svc = overview.services.find((s) => s.name === 'inventory-svc')!;
  // One word as long as the server takes today (its bound grows to 2,000 with the shared input limits).
  await mutate(page, 'topology.updateService', { id: svc.id, version: svc.version, description: 'x'.repeat(500) });
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto('/');
  const cell = page.getByRole('row', { name: /inventory-svc/ }).locator('td').nth(1);
  await expect(cell).toContainText('xxxx');
  expect((await cell.boundingBox())!.height).toBeLessThan(100);
  await noSidewaysScroll(page);

  await page.getByRole('button', { name: 'Edit inventory-svc' }).click();
  const dialog = page.getByRole('dialog', { name: /Edit service/ });
  const description = dialog.getByLabel('Description');
  await expect(description).toHaveAttribute('maxlength', '2000');
  await expect(dialog.getByText('At most 2,000 characters')).toBeVisible();
  await description.fill('y'.repeat(2500));
  await expect(description).toHaveValue('y'.repeat(2000));
  await expect(dialog.getByText('2,000 / 2,000')).toBeVisible();
  await expect(dialog.getByLabel('Name')).toHaveAttribute('maxlength', '63');
});

/** Picks UTC or local times in the header and waits until the server has kept the choice on the user. */
async function choose(page: Page, zone: 'utc' | 'local') {
  const saved = page.waitForResponse((r) => r.url().includes('/api/trpc/users.setTimeZonePreference'));
  await page.getByLabel('Times shown in').selectOption(zone);
  expect((await saved).status()).toBe(200);
}

test('audit at 1024 px: what changed by field, the whole record on demand, no sideways scroll, times with their zone', async ({ browser }) => {
  const s = e2eState();
  const page = await signedInPage(browser, s.adminName, s.adminPassword, { viewport: { width: 1024, height: 800 }, timezoneId: 'Europe/Berlin' });
  const overview = await api<{ services: Array<{ id: string; name: string; version: number; description: string }> }>(page, 'topology.overview');
  const svc = overview.services.find((x) => x.name === 'payment-svc')!;
  await mutate(page, 'topology.updateService', { id: svc.id, version: svc.version, description: 'Reads the catalogue; edited by the audit test' });
  await mutate(page, 'platform.save', { name: 'audit-sim', kind: 'sim', config: { seed: 7, hotZone: 'eu-west-b', hotZoneCapacity: 0.35 } });

  await page.goto('/audit');
  const table = page.getByRole('table', { name: 'Audit events' });
  const row = table.getByRole('row').filter({ hasText: 'service.update' }).first();
  await expect(row).toContainText('description:');
  await expect(row).toContainText('Reads the catalogue; edited by the audit test');
  await expect(row.locator('time')).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
  const adapterRow = table.getByRole('row').filter({ hasText: 'adapter.create' }).first();
  await adapterRow.getByText('Whole record').click();
  await expect(adapterRow.getByLabel('The record after')).toContainText('"hotZoneCapacity": 0.35');
  await noSidewaysScroll(page);
  // The table's own scroller does not scroll sideways either.
  expect(await table.evaluate((t) => t.parentElement!.scrollWidth - t.parentElement!.clientWidth)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: `${SHOTS}/audit-light-1024.png`, fullPage: true });

  // Local time, kept on the user: the browser's zone here is Berlin.
  // The switch shows the choice at once and saves it on the user in the background: the reload
  // waits for the save (a reload before it landed read UTC back, twice in 5 runs on a busy machine).
  await choose(page, 'local');
  await expect(row.locator('time')).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d CES?T$/);
  await page.reload();
  await expect(table.getByRole('row').filter({ hasText: 'service.update' }).first().locator('time')).toHaveText(/ CES?T$/);
  await page.evaluate(() => (document.documentElement.dataset.theme = 'dark'));
  await page.screenshot({ path: `${SHOTS}/audit-dark-1024.png`, fullPage: true });
  await choose(page, 'utc');
  await expect(table.getByRole('row').filter({ hasText: 'service.update' }).first().locator('time')).toHaveText(/ UTC$/);
  await page.context().close();
});

test('pages by name: breadcrumbs say the names, an old link by id redirects, the range is in the URL', async ({ adminPage: page }) => {
  await page.goto('/instances/order-api-euw-a-1-v1-1');
  const crumbs = page.getByRole('navigation', { name: 'Breadcrumb' });
  await expect(crumbs.getByRole('link', { name: 'order-api' })).toHaveAttribute('href', '/services/order-api');
  await expect(crumbs.locator('[aria-current="page"]')).toHaveText('order-api-euw-a-1-v1-1');
  await page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: '24 h' }).click();
  await expect(page).toHaveURL(/range=24h/);
  await page.reload();
  await expect(page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: '24 h' })).toHaveAttribute('aria-pressed', 'true');

  const services = await api<Array<{ id: string; name: string }>>(page, 'telemetry.services');
  const order = services.find((x) => x.name === 'order-api')!;
  await page.goto(`/services/${order.id}?range=1h`);
  await expect(page).toHaveURL(/\/services\/order-api\?range=1h$/);
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' }).locator('[aria-current="page"]')).toHaveText('order-api');
});

test('a favicon on every page', async ({ adminPage: page }) => {
  await page.goto('/');
  const href = await page.locator('link[rel="icon"]').first().getAttribute('href');
  expect(href).toMatch(/^\/icon\.svg/);
  const res = await page.request.get(href!);
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toContain('image/svg+xml');
  await page.setViewportSize({ width: 200, height: 200 });
  await page.goto(href!);
  await page.screenshot({ path: `${SHOTS}/icon.png` });
});

test('a start that builds for long says it is still building', () => {
  const out = e2eState().startOutput;
  // Only a build longer than the 15 s interval prints progress (an incremental one takes seconds).
  const took = Number(/built in (\d+) s/.exec(out)?.[1] ?? 0);
  const progress = out.match(/still building… \d+ s so far/g) ?? [];
  expect(progress.length).toBeGreaterThanOrEqual(Math.max(0, Math.floor((took - 2) / 15)));
  expect(progress.length).toBeLessThanOrEqual(Math.ceil(took / 15));
});

test('the overview leads with fleet health in words, each count a link to its filtered view', async ({ adminPage: page }) => {
  await page.goto('/');
  const health = page.getByRole('region', { name: 'Fleet health' });
  await expect(health).toContainText(/All healthy: [\d,]+ of [\d,]+ instances reporting|[\d,]+ of [\d,]+ instances need a look/, { timeout: 30_000 });
  await expect(health.getByRole('link', { name: /^[\d,]+ of [\d,]+ instances degraded$/ })).toHaveAttribute('href', '/topology?view=placement&unhealthy=1');
  await expect(health.getByRole('link', { name: /^[\d,]+ breakers? open$/ })).toHaveAttribute('href', '/machines?machine=breaker&state=open');
});

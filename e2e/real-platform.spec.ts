import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLab, type Lab } from '../lab/lab';
import { test, expect, mutate } from './support/fixtures';

// The real platform (issue 4): the lab's HAProxy + Prometheus, configured from Settings the way
// an admin would, then seen in Topology and on the service page with its measured traffic.
let lab: Lab;
let dir: string;

test.beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sb-e2e-lab-'));
  lab = await startLab({ dir, fleet: { checkout: { v1: 2, v2: 1 } }, load: { rps: 15, durationS: 240 } });
});

test.afterAll(async ({ browser }) => {
  // Give the platform back to the simulator for the tests that follow, then stop the lab.
  const { signedInPage } = await import('./support/fixtures');
  const { e2eState } = await import('./support/state');
  const s = e2eState();
  const page = await signedInPage(browser, s.adminName, s.adminPassword);
  const list = await page.request.get('/api/trpc/system.adapters');
  const sim = ((await list.json()) as { result: { data: { json: Array<{ id: string; kind: string; version: number }> } } }).result.data.json.find((a) => a.kind === 'sim');
  if (sim) await mutate(page.request, 'platform.activate', { id: sim.id, version: sim.version });
  await page.close();
  await lab?.stop();
  await rm(dir, { recursive: true, force: true });
});

test('an admin adds the lab HAProxy in Settings, tests it, imports its topology and switches to it; Topology and the service page show its measured traffic', async ({ adminPage: page }) => {
  test.setTimeout(120_000);
  await page.goto('/settings');
  await page.getByRole('button', { name: 'New adapter…' }).click();
  const dialog = page.getByRole('dialog', { name: 'New platform adapter' });
  await dialog.getByLabel('Name').fill('lab');
  await dialog.getByLabel('Kind').selectOption('haproxy');
  const json = dialog.getByLabel('Configuration (JSON)');
  // A typo first: the error is in words next to the field, and nothing is saved.
  await json.fill('{ "sockets": [ }');
  await dialog.getByRole('button', { name: 'Create adapter' }).click();
  await expect(dialog.getByText(/Not valid JSON/)).toBeVisible();
  await json.fill(JSON.stringify(lab.adapterConfig, null, 2));
  await dialog.getByRole('button', { name: 'Test connection' }).click();
  const result = dialog.getByLabel('Connection test result');
  await expect(result).toContainText('connected');
  await expect(result).toContainText('Found 3 instances of 1 service, 3 up.');
  await expect(result).toContainText('3 of 3 scrape targets up, 3 instances with a latency histogram');
  await dialog.getByRole('button', { name: 'Create adapter' }).click();
  await expect(dialog).toBeHidden();

  const row = page.getByRole('row', { name: /^lab / });
  await expect(row).toContainText('standby');
  await expect(page.getByLabel('Approximations of lab')).toContainText('p95 is approximate');
  await page.getByRole('button', { name: 'Import the topology of lab' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Registry updated' })).toContainText('1 service(s) and 3 instance(s) added');
  await page.getByRole('button', { name: 'Activate lab' }).click();
  await page.getByRole('dialog', { name: /Drive “lab”/ }).getByRole('button', { name: 'Switch platform' }).click();
  await expect(row).toContainText('active');

  // A search opens the cluster of its first hit: the lab's instances share one cluster.
  await page.goto('/topology?view=placement&q=checkout');
  for (const name of ['checkout-v1-1', 'checkout-v1-2', 'checkout-v2-1']) {
    await expect(page.getByRole('link', { name: new RegExp(`^Instance ${name}, weight \\d+`) })).toBeVisible({ timeout: 30_000 });
  }

  await page.goto('/services/checkout');
  const v1 = page.getByRole('row', { name: /checkout-v1-1/ });
  await expect(v1).toBeVisible({ timeout: 20_000 });
  // The lab's load generator sends requests through HAProxy; its counters become Req/s.
  await expect
    .poll(async () => Number(/(\d+(?:\.\d+)?)\/s/.exec((await v1.textContent()) ?? '')?.[1] ?? 0), { timeout: 30_000, intervals: [500] })
    .toBeGreaterThan(0);
});

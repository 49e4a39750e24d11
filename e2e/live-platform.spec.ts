import { test, expect, mutate } from './support/fixtures';

// The live platform (issue 3), against `npm start` with the seeded demo fleet and the simulator.

test('the topology placement view renders the seeded fleet and opens an instance', async ({ adminPage: page }) => {
  await page.goto('/topology?view=placement');
  // Ten clusters of the demo fleet, each a card with its aggregate in its accessible name.
  for (const cluster of ['euw-a-1', 'euw-b-2', 'use-b-1']) {
    await expect(page.getByRole('button', { name: new RegExp(`^Cluster ${cluster},`) })).toBeVisible({ timeout: 20_000 });
  }
  // A cluster opens its instances as tiles, each with its live weight.
  await page.getByRole('button', { name: /^Cluster euw-a-1,/ }).click();
  const instance = page.getByRole('link', { name: /^Instance order-api-euw-a-1-v1-1,/ });
  await expect(instance).toBeVisible();
  await expect(instance).toHaveAccessibleName(/weight \d+/);
  await instance.click();
  await expect(page).toHaveURL(/\/instances\/order-api-euw-a-1-v1-1/);
  await expect(page.getByRole('heading', { name: 'order-api-euw-a-1-v1-1' })).toBeVisible();
});

const effective = (text: string | null) => Number(/Effective weight (\d+(?:\.\d+)?)/.exec(text ?? '')?.[1] ?? NaN);

test('an instance page streams its weight live', async ({ adminPage: page }) => {
  await page.goto('/instances/payment-svc-use-a-1-v1-1?range=live');
  const chart = page.getByRole('img', { name: /Weight/ });
  await expect(chart).toBeVisible({ timeout: 20_000 });
  const first = await chart.getAttribute('aria-label');
  // Ticks arrive every second; the chart's summary names its newest point.
  await expect.poll(async () => chart.getAttribute('aria-label'), { timeout: 15_000 }).not.toBe(first);
  await expect(page.getByText(/Target weight \d+/)).toBeVisible();
});

test('stressing an instance through the simulator control API lowers its effective weight, and the explanation says why', async ({ adminPage: page }) => {
  const name = 'inventory-svc-use-b-2-v1-1';
  await page.goto(`/instances/${name}?range=live`);
  const status = page.getByText(/Effective weight \d+/);
  await expect(status).toBeVisible({ timeout: 20_000 });
  const before = effective(await status.textContent());
  expect(before).toBeGreaterThan(30);

  const res = await mutate(page.request, 'sim.stress', { instanceName: name, cpuPct: 100, durationS: 300 });
  expect(res.status(), await res.text()).toBe(200);

  // CPU is sampled every 5 s, the crossing recomputes the target, and the effective weight follows
  // it linearly over 30 s: well within 40 s it is visibly lower, without a reload.
  await expect.poll(async () => effective(await status.textContent()), { timeout: 40_000, intervals: [1000] }).toBeLessThan(before - 10);
  await expect(page.getByLabel('Weight explanation')).toContainText(/CPU \d+ %/);
  await expect(page.getByLabel('Weight explanation')).toContainText(/crossed/);

  // Clean up for the other tests sharing this server.
  await mutate(page.request, 'sim.clear', {});
});

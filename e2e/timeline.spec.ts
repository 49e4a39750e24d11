import { test, expect } from './support/fixtures';

// The event timeline (issue 5): the demo fleet's recomputes and transitions on one axis, filters in the URL.

test('the timeline shows the fleet’s weight recomputes; unchecking a kind removes them and the URL keeps the view', async ({ adminPage: page }) => {
  await page.goto('/timeline');
  const events = page.getByRole('table', { name: 'Events' });
  await expect(events).toContainText(/Weight \d+ → \d+/, { timeout: 30_000 });
  await expect(page.getByRole('group', { name: 'Event timeline' }).getByRole('button').first()).toBeVisible();
  // The checkbox follows the URL, which the click replaces: click, then wait for the new state.
  const weight = page.getByRole('group', { name: 'Event kinds' }).getByLabel('Weight recomputes');
  await weight.click();
  await expect(weight).not.toBeChecked();
  // Every other kind stays in the URL, weight recomputes do not.
  await expect.poll(() => new URL(page.url()).searchParams.get('kinds')?.split(',').sort()).toEqual(['breaker', 'change', 'degradation', 'experiment', 'policy', 'rollout', 'safety', 'stage']);
  await expect(events).not.toContainText(/Weight \d+ → \d+/);
  await page.getByRole('button', { name: '1 h', exact: true }).click();
  await expect(page).toHaveURL(/span=3600000/);
  await page.reload();
  await expect(page.getByRole('group', { name: 'Event kinds' }).getByLabel('Weight recomputes')).not.toBeChecked();
});

test('the timeline narrows to one zone: only its instances’ events remain', async ({ adminPage: page }) => {
  await page.goto('/timeline?kinds=weight');
  const events = page.getByRole('table', { name: 'Events' });
  await expect(events).toContainText(/euw-a/, { timeout: 30_000 });
  await page.getByLabel('Zone').selectOption({ label: 'eu-west-b' });
  await expect(page).toHaveURL(/zone=eu-west-b/);
  // Wait for the filtered rows themselves (right after the change the table is briefly empty
  // while it loads, which would satisfy a bare "no euw-a" check and leave nothing to read).
  await expect(events.locator('tbody tr td:nth-child(4)').first()).toContainText('-euw-b-', { timeout: 30_000 });
  await expect(events).not.toContainText(/euw-a/);
  const where = await events.locator('tbody tr td:nth-child(4)').allTextContents();
  expect(where.length).toBeGreaterThan(0);
  expect(where.every((w) => w.includes('-euw-b-'))).toBe(true);
});

test('an instance page carries a timeline strip of its own events', async ({ adminPage: page }) => {
  await page.goto('/instances/order-api-euw-b-1-v1-1?range=live');
  const strip = page.getByRole('group', { name: 'Event timeline' });
  await expect(strip).toBeVisible({ timeout: 20_000 });
  await expect(strip.getByRole('button', { name: /on order-api-euw-b-1-v1-1 at/ }).first()).toBeVisible({ timeout: 40_000 });
});

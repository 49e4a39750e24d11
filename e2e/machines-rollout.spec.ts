import { test, expect } from './support/fixtures';

// The canary rollout machine on the Machines page (issue 11): drawn from its transition table like
// the instance machines, each edge with its trigger in words and its count, rollouts per state now.

test('the rollout machine: states, edges with triggers and counts, one rollout lit by the URL', async ({ adminPage: page }) => {
  await page.goto('/machines?machine=rollout');
  await expect(page.getByRole('heading', { name: 'Canary rollout' })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('tab', { name: 'Canary rollout' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByText(/^Now, over \d+ rollouts?: \d+ pending, \d+ progressing, \d+ paused, \d+ promoting, \d+ succeeded, \d+ aborted, \d+ rolled back\.$/)).toBeVisible();
  const retry = page.getByRole('button', { name: /^Edge rolled_back → progressing: retried by an operator \(new attempt from step 1\), fired \d+ times?$/ });
  await expect(retry).toBeVisible();
  await retry.click();
  await expect(page).toHaveURL(/machine=rollout.*edge=rolled_back%3Eprogressing/);
  const rows = page.getByRole('region', { name: 'Transitions of the selected edge' });
  await expect(rows.getByRole('table', { name: 'Transitions' }).or(rows.getByText('This edge did not fire in this range and scope.'))).toBeVisible();
  // Zone, region and cluster do not apply to rollouts: only the service filter is offered.
  await expect(page.getByLabel('Service')).toBeVisible();
  await expect(page.getByLabel('Zone')).toHaveCount(0);
  // No stacked area of samples for rollouts (they have none).
  await expect(page.getByText('Mean number of')).toHaveCount(0);
  // A rollout id that does not exist is said in words.
  await page.goto('/machines?machine=rollout&rollout=00000000-0000-4000-8000-000000000000');
  await expect(page.getByText(/Rollout 00000000-0000-4000-8000-000000000000 does not exist/)).toBeVisible({ timeout: 20_000 });
});

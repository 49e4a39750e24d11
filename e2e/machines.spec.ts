import { test, expect } from './support/fixtures';

// The state machines (issue 5): one instance's diagram with its current state and edge counts,
// the transitions behind an edge, and the fleet view that answers "which stages in zone b are
// in a state, since when and why" in two clicks.

test('an instance’s ladder: current state, edges with trigger and policy value, an edge’s transitions', async ({ adminPage: page }) => {
  await page.goto('/machines?instance=payment-svc-euw-a-1-v1-1');
  await expect(page.getByRole('heading', { name: 'Degradation ladder' })).toBeVisible();
  await expect(page.getByText(/^Now: L[0-3]\.$/)).toBeVisible({ timeout: 20_000 });
  const edge = page.getByRole('button', { name: /^Edge L0 → L2: a buffer ≥ 95 % for 5 s \(stage broken\), fired \d+ times?$/ });
  await expect(edge).toBeVisible();
  await edge.click();
  await expect(page).toHaveURL(/edge=L0%3EL2/);
  const rows = page.getByRole('region', { name: 'Transitions of the selected edge' });
  await expect(rows.getByRole('table', { name: 'Transitions' }).or(rows.getByText('This edge did not fire in this range and scope.'))).toBeVisible();

  await page.getByRole('tab', { name: 'Circuit breaker' }).click();
  await expect(page).toHaveURL(/machine=breaker/);
  await expect(page).not.toHaveURL(/edge=/);
  await expect(page.getByRole('button', { name: /^Edge closed → open: rt > 1\.5 × EWMA threshold/ })).toBeVisible();
});

test('fleet view: pick a zone, click a state, see which stages are in it, since when and why', async ({ adminPage: page }) => {
  await page.goto('/machines?machine=stage');
  await expect(page.getByText(/^Now, over 84 instances \(all stages\):/)).toBeVisible({ timeout: 20_000 });
  await page.getByLabel('Zone').selectOption({ label: 'eu-west-b' });
  await expect(page).toHaveURL(/zone=eu-west-b/);
  await expect(page.getByText(/^Now, over 16 instances \(all stages\):/)).toBeVisible();
  await page.getByRole('group', { name: 'States now' }).getByRole('button', { name: /^Active \d+$/ }).click();
  const table = page.getByRole('table', { name: 'Stages Active now' });
  await expect(table).toBeVisible({ timeout: 20_000 });
  const zones = await table.locator('tbody tr td:nth-child(2)').allTextContents();
  expect(zones.length).toBeGreaterThan(0);
  expect(new Set(zones)).toEqual(new Set(['eu-west-b']));
  await expect(table.locator('tbody tr').first().locator('td').nth(4)).toHaveText(/ago\)$|before the stored transitions/);
  await expect(page.getByRole('img', { name: /^Newest bucket: \d+(\.\d+)? Idle, \d+(\.\d+)? Active, \d+(\.\d+)? Blocked$/ })).toBeVisible();
  // The view is in the URL, by name: a colleague opening it sees the same table.
  await page.goto('/machines?machine=stage&zone=eu-west-b&state=active');
  await expect(page.getByRole('table', { name: 'Stages Active now' })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText(/^Now, over 16 instances \(all stages\):/)).toBeVisible();
  // A name that matches nothing is said in words; the page stays usable on the whole fleet.
  await page.goto('/machines?machine=stage&zone=eu-west-q');
  await expect(page.getByText(/no zone is named “eu-west-q”/)).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText(/^Now, over 84 instances \(all stages\):/)).toBeVisible({ timeout: 20_000 });
});

test('a cluster page: its instances, its events, and its machines one click away', async ({ adminPage: page }) => {
  await page.goto('/topology?view=placement');
  await page.getByRole('navigation', { name: 'Cluster pages' }).getByRole('link', { name: 'euw-b-1' }).click();
  await expect(page).toHaveURL(/\/clusters\/euw-b-1$/);
  await expect(page.getByRole('heading', { name: 'euw-b-1' })).toBeVisible();
  const rows = page.getByRole('table', { name: 'Instances of the cluster' }).locator('tbody tr');
  await expect(rows).toHaveCount(8);
  await expect(rows.first()).toContainText(/edge-gateway-euw-b-1-v1-1/);
  await expect(page.getByRole('group', { name: 'Event timeline' })).toBeVisible({ timeout: 20_000 });
  // Live without a reload: the hot zone's weights move as ticks commit.
  const weights = async () => (await rows.locator('td:nth-child(5)').allTextContents()).join(' ');
  const before = await weights();
  await expect.poll(weights, { timeout: 30_000 }).not.toBe(before);
  await page.getByRole('link', { name: 'stages' }).click();
  await expect(page).toHaveURL(/\/machines\?machine=stage&cluster=euw-b-1$/);
  await expect(page.getByText(/^Now, over 8 instances \(all stages\):/)).toBeVisible({ timeout: 20_000 });
  await expect(page.getByLabel('Cluster')).toHaveValue('euw-b-1');
});

test('no edge runs through an edge label: no label covers the centre of a state, where the arcs rise and land', async ({ adminPage: page }) => {
  // Issue 14: on the ladder, L0 → L2's label sat over L1's centre, where L1 → L3 rises on the same lane.
  await page.goto('/machines?machine=degradation');
  const flow = page.locator('.react-flow');
  await expect(flow.locator('.react-flow__node')).toHaveCount(4, { timeout: 20_000 });
  // Six arcs forward (every skip) and three back.
  await expect(flow.locator('.react-flow__edge-textwrapper')).toHaveCount(9);
  const overlaps = await flow.evaluate((root) => {
    const centres = [...root.querySelectorAll('.react-flow__node')].map((n) => {
      const r = n.getBoundingClientRect();
      return { name: n.textContent ?? '', x: r.left + r.width / 2 };
    });
    return [...root.querySelectorAll('.react-flow__edge-textwrapper')].flatMap((l) => {
      const r = l.getBoundingClientRect();
      return centres.filter((c) => c.x > r.left && c.x < r.right).map((c) => `“${l.textContent}” over ${c.name}`);
    });
  });
  expect(overlaps).toEqual([]);
});

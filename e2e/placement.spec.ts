// Named to run before real-platform.spec.ts (files run in name order): that spec imports the lab's
// platform into the shared demo, and the first-paint checks here are about the demo's fleet.
import type { Page } from '@playwright/test';
import { axeViolations } from './support/axe';
import { test, expect, query } from './support/fixtures';
import { smallestText } from './support/text-size';

// The Topology page's placement view on the seeded demo fleet (2 regions, 5 zones, 10 clusters),
// at a laptop's 1440 × 900: readable at the first paint, drill-down, search, filter, URL.

test.use({ viewport: { width: 1440, height: 900 } });

const T = { timeout: 30_000 };
const ZONES = ['eu-west-a', 'eu-west-b', 'eu-west-c', 'us-east-a', 'us-east-b'];
const CLUSTERS = 10;
/** What a group says about what is inside: "42 instances · weight 12–96 · …". */
const AGG = /\d+ instances? · (weight \d+(–\d+)?|no telemetry yet)/;

const zoneButton = (page: Page, name: string) => page.getByRole('button', { name: new RegExp(`^Zone ${name}, `) });
const clusterButton = (page: Page, name: string) => page.getByRole('button', { name: new RegExp(`^Cluster ${name}, `) });

test('the placement view shows every region and zone with what is inside at the first paint, all text at least 12 px, in both themes', async ({ adminPage: page }) => {
  // A hang bound, not a speed bound: two themes, each two page loads and two axe runs with
  // contrast; beside other work on 2 cores this overran the 60 s default.
  test.setTimeout(180_000);
  for (const theme of ['light', 'dark'] as const) {
    await page.goto('/topology');
    await page.evaluate((t) => localStorage.setItem('switchback-theme', t), theme);
    await page.goto('/topology?view=placement');
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    for (const region of ['eu-west', 'us-east']) {
      const b = page.getByRole('button', { name: new RegExp(`^Region ${region}, `) });
      await expect(b).toBeInViewport(T);
      await expect(b).toHaveAccessibleName(AGG);
    }
    for (const zone of ZONES) {
      await expect(zoneButton(page, zone)).toBeInViewport();
      await expect(zoneButton(page, zone)).toHaveAccessibleName(AGG);
    }
    // Clusters are cards with their own figures, all ten on the first screen.
    await expect(page.getByRole('button', { name: /^Cluster / })).toHaveCount(CLUSTERS);
    for (const c of ['euw-a-1', 'use-b-2']) await expect(clusterButton(page, c)).toBeInViewport();
    // Figures arrive with the first tick; then the weight range is drawn.
    await expect(zoneButton(page, 'eu-west-a')).toHaveAccessibleName(/weight \d+/, T);
    const small = await smallestText(page.getByRole('tabpanel'));
    expect(small.px, `smallest text: “${small.text}”`).toBeGreaterThanOrEqual(12);
    await page.screenshot({ path: `.tmp/topology-placement-${theme}.png` });
    // WCAG 2 AA (contrast included) at the top and inside a cluster (white on weight colours).
    for (const path of ['/topology?view=placement', '/topology?view=placement&path=eu-west/eu-west-b/euw-b-1']) {
      await page.goto(path);
      await expect(page.getByRole('tabpanel').locator('[data-key]').first()).toBeVisible(T);
      await expect(page.getByRole('status').filter({ hasText: /tick \d+/ })).toBeVisible(T);
      const axe = await axeViolations(page, { include: 'main' });
      expect(axe.map((v) => `${theme} ${path} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    }
  }
  await page.evaluate(() => localStorage.setItem('switchback-theme', 'light'));
});

test('a zone then a cluster opens its instances as tiles; the breadcrumbs go back', async ({ adminPage: page }) => {
  await page.goto('/topology?view=placement');
  await zoneButton(page, 'eu-west-a').click(T);
  await expect(page).toHaveURL(/[?&]path=eu-west%2Feu-west-a(&|$)/);
  await expect(zoneButton(page, 'eu-west-b')).toHaveCount(0);
  // The keyboard drills as well as the mouse.
  await clusterButton(page, 'euw-a-1').focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/[?&]path=eu-west%2Feu-west-a%2Feuw-a-1(&|$)/);
  const tiles = page.getByRole('list', { name: 'Instances of euw-a-1' }).getByRole('link');
  await expect(tiles.first()).toBeVisible(T);
  const instance = page.getByRole('link', { name: /^Instance order-api-euw-a-1-v1-1, (weight \d+|no telemetry yet)/ });
  await expect(instance).toBeInViewport();
  const small = await smallestText(page.getByRole('tabpanel'));
  expect(small.px, `smallest text: “${small.text}”`).toBeGreaterThanOrEqual(12);
  await page.screenshot({ path: '.tmp/topology-cluster.png' });

  const crumbs = page.getByRole('navigation', { name: 'Breadcrumb' });
  await expect(crumbs.getByRole('listitem')).toHaveText(['All regions', 'eu-west', 'eu-west-a', 'euw-a-1']);
  await crumbs.getByRole('link', { name: 'eu-west-a' }).click();
  await expect(page).toHaveURL(/[?&]path=eu-west%2Feu-west-a(&|$)/);
  await expect(clusterButton(page, 'euw-a-2')).toBeVisible();
  await crumbs.getByRole('link', { name: 'All regions' }).click();
  await expect(zoneButton(page, 'us-east-b')).toBeVisible();
  await expect(page).not.toHaveURL(/path=/);

  // An instance tile opens the instance's page.
  await page.goto('/topology?view=placement&path=eu-west/eu-west-a/euw-a-1');
  await instance.click(T);
  await expect(page).toHaveURL(/\/instances\/order-api-euw-a-1-v1-1/);
});

test('a search for an instance opens its cluster, highlights it in view and dims the rest; a reload keeps it', async ({ adminPage: page }) => {
  const name = 'inventory-svc-use-b-2-v1-1';
  await page.goto('/topology?view=placement');
  await expect(zoneButton(page, 'us-east-b')).toBeVisible(T);
  // `/` jumps to the search box.
  await page.locator('body').press('/');
  const box = page.getByRole('searchbox', { name: 'Search the topology' });
  await expect(box).toBeFocused();
  await page.keyboard.type(name);
  await expect(page).toHaveURL(new RegExp(`[?&]q=${name}(&|$)`));
  await expect(page).toHaveURL(/[?&]path=us-east%2Fus-east-b%2Fuse-b-2(&|$)/);

  const check = async () => {
    const tile = page.locator('[data-focused]');
    await expect(tile).toHaveCount(1, T);
    await expect(tile.getByRole('link')).toHaveAccessibleName(new RegExp(`^Instance ${name},`));
    await expect(tile).toBeInViewport();
    // The other tiles of the cluster are dimmed; the hit is not.
    await expect(tile).not.toHaveAttribute('data-dimmed');
    expect(await page.locator('[data-dimmed]').count()).toBeGreaterThan(0);
    await expect(page.getByRole('status', { name: 'Search result' })).toContainText(`showing instance ${name}`);
  };
  await check();
  await page.screenshot({ path: '.tmp/topology-search.png' });
  await page.reload();
  await expect(box).toHaveValue(name, T);
  await check();

  // Escape clears the highlight; the search stays.
  await page.locator('body').press('Escape');
  await expect(page.locator('[data-focused]')).toHaveCount(0);
  await expect(page).toHaveURL(new RegExp(`[?&]q=${name}(&|$)`));

  // A search that matches nothing says so.
  await box.fill('no-such-thing-anywhere');
  await expect(page.getByRole('status', { name: 'Search result' })).toContainText('Nothing matches', T);
});

test('"only unhealthy" hides what is healthy and says how much it hid', async ({ adminPage: page }) => {
  await page.goto('/topology?view=placement');
  await expect(zoneButton(page, 'eu-west-a')).toHaveAccessibleName(/weight \d+/, T);
  // Specs before this one may add clusters (an imported platform): the whole fleet is what the unfiltered view shows.
  const cards = page.getByRole('tabpanel').locator('button[aria-label^="Cluster "]');
  await expect(cards.first()).toBeVisible(T);
  const all = await cards.count();
  expect(all).toBeGreaterThanOrEqual(CLUSTERS);
  await page.getByRole('checkbox', { name: 'Only unhealthy' }).check();
  await expect(page).toHaveURL(/[?&]unhealthy=1(&|\s|$)/);
  // One render read at once (ticks change health): what is shown plus what is said hidden is the
  // whole fleet, and every card still shown names a problem.
  await expect
    .poll(
      () =>
        page.getByRole('tabpanel').evaluate((panel) => {
          const cards = [...panel.querySelectorAll('button[aria-label^="Cluster "]')].map((b) => b.getAttribute('aria-label') ?? '');
          const hiddenText = /(\d+) clusters? hidden|(\d+) clusters?[^.]*hidden/.exec(panel.textContent ?? '');
          const hidden = Number(hiddenText?.[1] ?? hiddenText?.[2] ?? 0);
          const nothing = (panel.textContent ?? '').includes('Nothing unhealthy here');
          return { total: cards.length + hidden, allSick: cards.every((c) => !c.includes('all healthy')), nothing };
        }),
      T,
    )
    .toMatchObject({ total: all, allSick: true });
  await page.reload();
  await expect(page.getByRole('checkbox', { name: 'Only unhealthy' })).toBeChecked(T);
});

test('the views are tabs reachable with the arrow keys, and an old ?expand= link opens its cluster', async ({ adminPage: page }) => {
  await page.goto('/topology?view=placement');
  const placement = page.getByRole('tab', { name: 'Placement' });
  await expect(placement).toHaveAttribute('aria-selected', 'true', T);
  await placement.focus();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByRole('tab', { name: 'Service graph' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tab', { name: 'Service graph' })).toBeFocused();
  await expect(page).not.toHaveURL(/view=/);
  await page.keyboard.press('ArrowRight');
  await expect(placement).toHaveAttribute('aria-selected', 'true');
  await expect(page).toHaveURL(/[?&]view=placement/);

  const map = await query<{ regions: Array<{ zones: Array<{ clusters: Array<{ id: string; name: string }> }> }> }>(page.request, 'topologyMap.snapshot');
  const cluster = map.regions.flatMap((r) => r.zones.flatMap((z) => z.clusters)).find((c) => c.name === 'use-a-2')!;
  await page.goto(`/topology?expand=${cluster.id}`);
  await expect(page).toHaveURL(/[?&]path=us-east%2Fus-east-a%2Fuse-a-2(&|$)/, T);
  await expect(page).not.toHaveURL(/expand=/);
  await expect(page.getByRole('list', { name: 'Instances of use-a-2' })).toBeVisible();
});

test('a cleared search goes back to where it started, and "only unhealthy" names the scope it looked in', async ({ adminPage: page }) => {
  // Issue 14: a search left its hit's cluster in the URL; "only unhealthy" there said "all healthy"
  // for one cluster of a fleet with unhealthy instances elsewhere.
  await page.goto('/topology?view=placement&path=us-east/us-east-a&unhealthy=1');
  const box = page.getByRole('searchbox', { name: 'Search the topology' });
  await box.fill('inventory-svc-use-b-2-v1-1');
  await expect(page).toHaveURL(/[?&]path=us-east%2Fus-east-b%2Fuse-b-2(&|$)/, T);
  // Shown or hidden, what the filter says is about this cluster (its instances are rarely all unhealthy).
  await expect(page.getByRole('tabpanel')).toContainText(/(hidden|Nothing unhealthy) in cluster use-b-2/, T);
  await box.fill('');
  await expect(page).toHaveURL(/[?&]path=us-east%2Fus-east-a(&|$)/, T);
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('listitem')).toHaveText(['All regions', 'us-east', 'us-east-a']);
});

test('the legend’s neutral chips show on the dark theme', async ({ adminPage: page }) => {
  // Issue 14: "2 blocked" and "L1"–"L3" were translucent black chips on a near-black page.
  await page.goto('/topology');
  await page.evaluate(() => localStorage.setItem('switchback-theme', 'dark'));
  try {
    await page.goto('/topology?view=placement');
    const chip = page.getByRole('list', { name: 'Legend' }).getByText('2 blocked');
    await expect(chip).toBeVisible({ timeout: 20_000 });
    const { chipLum, pageLum } = await chip.evaluate((el) => {
      const lum = (c: string) => {
        const [r, g, b, a = 1] = c.match(/[\d.]+/g)!.map(Number);
        const lin = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
        return { l: 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!), a };
      };
      const chip = lum(getComputedStyle(el).backgroundColor);
      const page = lum(getComputedStyle(document.body).backgroundColor);
      return { chipLum: chip.a < 1 ? -1 : chip.l, pageLum: page.l };
    });
    // An opaque chip with at least 3:1 against the page (WCAG 1.4.11, non-text contrast).
    expect(chipLum).toBeGreaterThan(0);
    expect((chipLum + 0.05) / (pageLum + 0.05)).toBeGreaterThanOrEqual(3);
  } finally {
    await page.evaluate(() => localStorage.setItem('switchback-theme', 'light'));
  }
});

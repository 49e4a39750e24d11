import type { Locator, Page } from '@playwright/test';
import { test, expect } from './support/fixtures';
import { smallestText } from './support/text-size';

// The Topology page's service graph on the seeded demo (edge-gateway → order-api → inventory-svc,
// payment-svc, declared by prisma/demo-calls.ts) at a laptop's 1440 × 900: every service and call
// with its figures on the first screen, text readable without zooming, search that focuses.

test.use({ viewport: { width: 1440, height: 900 } });

const T = { timeout: 30_000 };
/** The first line of an edge label: "12 req/s", then "0 % err · P95 40 ms"; the version split below. */
const EDGE_FIGURES = /\d[\d.k]* req\/s\s+(–|(< )?[\d.]+ %) err · P95 [\d.]+ m?s/;
const SPLIT = /v\d+ \d+ %/;

const graphOf = (page: Page) => page.getByRole('group', { name: /^Service graph/ });
const node = (page: Page, name: string | RegExp) => graphOf(page).locator('[data-service]').filter({ has: page.locator('span', { hasText: name }) }).first();

async function centreOf(l: Locator) {
  const b = (await l.boundingBox())!;
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

test('the service graph shows the 4 demo services and their 3 calls with figures at the first paint, text ≥ 12 px, in both themes', async ({ adminPage: page }) => {
  for (const theme of ['light', 'dark'] as const) {
    await page.goto('/topology');
    await page.evaluate((t) => localStorage.setItem('switchback-theme', t), theme);
    await page.goto('/topology?view=services');
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    const graph = graphOf(page);
    const services = graph.locator('[data-service]');
    // Specs before this one may add services (an imported platform): the demo's 4 are there.
    await expect(services.first()).toBeVisible(T);
    expect(await services.count()).toBeGreaterThanOrEqual(4);
    // live.spec renames inventory-svc: match it by its prefix.
    for (const name of ['edge-gateway', 'order-api', 'payment-svc', /^inventory/]) await expect(node(page, name)).toBeInViewport({ ratio: 0.99 });
    const edges = graph.locator('[data-edge]');
    // React Flow draws an edge once both its nodes are measured: under load (stress-ng beside
    // the suite) that came after the default 10 s once, with every node already drawn.
    await expect(edges).toHaveCount(3, T);
    for (const id of ['edge-gateway->order-api', 'order-api->payment-svc']) {
      const label = graph.locator(`[data-edge="${id}"]`);
      // Figures arrive with the first tick.
      await expect(label).toContainText(EDGE_FIGURES, T);
      await expect(label).toContainText(SPLIT);
      await expect(label).toBeInViewport({ ratio: 0.99 });
    }
    await expect(node(page, 'order-api')).toContainText(/req\/s · (–|(< )?[\d.]+ %) err.*P95 [\d.]+ m?s/);

    const smallest = await smallestText(graph.locator('.react-flow__viewport'));
    expect(smallest.px, `"${smallest.text}" renders at ${smallest.px.toFixed(1)} px`).toBeGreaterThanOrEqual(12);
    const nameBox = await node(page, 'order-api').locator('span', { hasText: 'order-api' }).first().boundingBox();
    expect(nameBox!.height).toBeGreaterThanOrEqual(12);
    await page.screenshot({ path: `.tmp/service-graph-${theme}-1440.png` });
  }
});

test('searching "payment" highlights and centres payment-svc and dims the rest; a click selects, Enter opens', async ({ adminPage: page }) => {
  await page.goto('/topology?view=services');
  const graph = graphOf(page);
  await expect(graph.locator('[data-service]').first()).toBeVisible(T);
  await page.getByRole('searchbox', { name: 'Search the topology' }).fill('payment');
  await page.getByRole('searchbox', { name: 'Search the topology' }).press('Enter');
  await expect(page).toHaveURL(/[?&]q=payment(&|$)/);

  const pay = node(page, 'payment-svc');
  await expect(pay).toHaveAttribute('data-highlighted', 'true');
  await expect(pay).not.toHaveAttribute('data-dimmed', 'true');
  for (const other of ['edge-gateway', 'order-api', /^inventory/]) await expect(node(page, other)).toHaveAttribute('data-dimmed', 'true');
  // Centred: the match moves to the middle of the canvas (polled: the camera animates).
  const canvas = graph.locator('.react-flow');
  await expect
    .poll(async () => {
      const [a, b] = [await centreOf(pay), await centreOf(canvas)];
      return Math.round(Math.hypot(a.x - b.x, a.y - b.y));
    }, T)
    .toBeLessThan(30);
  await page.screenshot({ path: '.tmp/service-graph-search-1440.png' });

  // A click selects the service (in the URL) and opens its details; Enter on it opens its page.
  await node(page, 'order-api').click();
  await expect(page).toHaveURL(/[?&]focus=order-api(&|$)/);
  const panel = page.getByRole('complementary', { name: 'Details of order-api' });
  await expect(panel).toBeVisible();
  await expect(panel.getByRole('link', { name: 'Open order-api' })).toHaveAttribute('href', '/services/order-api');
  await expect(panel.getByText('Called by')).toBeVisible();
  await node(page, 'order-api').focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/services\/order-api$/);
});

test('opening the details panel keeps every demo service inside the graph and the viewport', async ({ adminPage: page }) => {
  await page.goto('/topology?view=services');
  const graph = graphOf(page);
  await expect(node(page, 'edge-gateway')).toBeInViewport({ ratio: 0.99, ...T });
  await node(page, 'order-api').click();
  await expect(page.getByRole('complementary', { name: 'Details of order-api' })).toBeVisible();
  const demo = ['edge-gateway', 'order-api', 'payment-svc', /^inventory/];
  // The services whose box leaves the canvas (or the window); polled: the graph refits as the panel opens.
  const outside = async () => {
    const c = (await graph.locator('.react-flow').boundingBox())!;
    const vp = page.viewportSize()!;
    const out: string[] = [];
    for (const name of demo) {
      const b = (await node(page, name).boundingBox())!;
      const inCanvas = b.x >= c.x && b.y >= c.y && b.x + b.width <= c.x + c.width && b.y + b.height <= c.y + c.height;
      const inWindow = b.x >= 0 && b.y >= 0 && b.x + b.width <= vp.width && b.y + b.height <= vp.height;
      if (!inCanvas || !inWindow) out.push(`${String(name)} at x ${Math.round(b.x)}..${Math.round(b.x + b.width)} (canvas ${Math.round(c.x)}..${Math.round(c.x + c.width)})`);
    }
    return out;
  };
  await expect.poll(outside, T).toEqual([]);
});

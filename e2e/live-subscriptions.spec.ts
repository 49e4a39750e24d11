import type { Page } from '@playwright/test';
import { test, expect } from './support/fixtures';

// Each page opens only the live feeds it shows: the shell's change feed everywhere, the topology
// feed on the Topology page only, the tick feed only where something on screen moves per tick.
// The feeds are counted as the browser opens them (httpSubscriptionLink: one GET per stream).

const FEEDS = ['serviceGraph.live', 'live.events', 'telemetry.ticks', 'topologyMap.live', 'rollouts.onChange', 'safety.onChange', 'experiments.runs.onChange', 'telemetry.instanceLive', 'telemetry.serviceLive'];

/** The live feeds the page opens, by procedure, in order. */
function recordFeeds(page: Page): string[] {
  const opened: string[] = [];
  page.on('request', (r) => {
    const path = /\/api\/trpc\/([\w.]+)/.exec(new URL(r.url()).pathname)?.[1];
    if (path && FEEDS.includes(path)) opened.push(path);
  });
  return opened;
}

test('the rollouts page opens the change feed only (no topology, no ticks while no rollout runs); the topology page adds its own feed', async ({ viewerPage: page }) => {
  const opened = recordFeeds(page);
  const list = await page.request.get(`/api/trpc/rollouts.list?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`);
  expect(list.status()).toBe(200);
  const rows = ((await list.json()) as { result: { data: { json: Array<{ state: string }> } } }).result.data.json;
  const running = rows.some((r) => !['succeeded', 'rolled_back', 'pending'].includes(r.state));

  await page.goto('/rollouts');
  await expect(page.getByRole('heading', { name: 'Rollouts', level: 1 })).toBeVisible();
  await expect(page.getByText('Live', { exact: true })).toBeVisible();
  // The list (or its empty state) is on screen: the page's effects, and so its feeds, have started.
  await expect(page.getByRole('table').or(page.getByText(/no rollouts/i)).first()).toBeVisible();

  // A later navigation in the same tab: everything the rollouts page opened is recorded by then.
  await page.getByRole('link', { name: 'Topology', exact: true }).first().click();
  // Topology opens on the service graph: its feed is serviceGraph.live.
  await expect.poll(() => opened.includes('serviceGraph.live'), { timeout: 30_000 }).toBe(true);
  const onRollouts = opened.slice(0, opened.indexOf('serviceGraph.live'));
  expect(onRollouts.filter((f) => f === 'live.events')).toHaveLength(1);
  expect(onRollouts).not.toContain('topologyMap.live');
  expect(onRollouts).not.toContain('serviceGraph.live');
  expect(onRollouts).not.toContain('rollouts.onChange');
  if (!running) expect(onRollouts).not.toContain('telemetry.ticks');
  // The topology page: its own feed, the shell's change feed stays the one it was (no second one).
  expect(opened.filter((f) => f === 'live.events')).toHaveLength(1);
  expect(opened.filter((f) => f === 'serviceGraph.live')).toHaveLength(1);
  expect(opened).not.toContain('topologyMap.live');
});

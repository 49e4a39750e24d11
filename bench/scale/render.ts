// Topology page at fleet size: first render and a time-to-interactive proxy in Chromium.
// The app is started the README way (`npm start`, fresh data folder, as the e2e global setup does)
// with SWITCHBACK_DEMO_INSTANCES=<n> (the demo fleet size; a branch without that setting seeds its
// default fleet — `fleetInstances` says what was really measured). Signed in as the admin, each
// view of /topology is visited in a fresh context (empty cache, 1440 × 900), and measured from
// navigation start:
// - firstLabelMs: the first node label on screen — an element of the graph or the placement view
//   (a React Flow node, a [data-service] node, a region/zone/cluster button) with text and a size;
// - interactiveMs (TTI proxy): the first moment a click on that node has an effect. The node is
//   clicked as soon as its label shows, and again every 250 ms until the click changes the URL
//   (every view keeps its focus/drill-down in the URL); clicksNeeded says how many it took;
// - domElements and the JS heap used when the first label showed (before any click).
// The machine's load average is in the figures: compare runs on one machine.
import { loadavg } from 'node:os';
import type { Figures } from '../scale.bench';
import { launchChromium, signedInPage, startApp } from './lib/app';

const NODE_SELECTOR = ['.react-flow__node', '[data-service]', 'button[aria-label^="Region "]', 'button[aria-label^="Zone "]', 'button[aria-label^="Cluster "]'].join(', ');
const VIEWS: Record<string, string> = { services: '/topology?view=services', placement: '/topology?view=placement' };
const BOUND_MS = 120_000;

function countInstances(v: unknown): number {
  if (Array.isArray(v)) return v.reduce((a: number, x) => a + countInstances(x), 0);
  if (!v || typeof v !== 'object') return 0;
  let n = 0;
  for (const [k, x] of Object.entries(v)) n += k === 'instances' && Array.isArray(x) ? x.length : countInstances(x);
  return n;
}

async function measureView(browser: Awaited<ReturnType<typeof launchChromium>>, app: Awaited<ReturnType<typeof startApp>>, path: string) {
  const page = await signedInPage(browser, app);
  try {
    await page.goto(path, { waitUntil: 'commit' });
    const firstLabelMs = await page
      .waitForFunction(
        (sel) => {
          const el = [...document.querySelectorAll(sel)].find((e) => (e.textContent ?? '').trim() && e.getBoundingClientRect().width > 0);
          if (!el) return false;
          el.setAttribute('data-bench-first', '');
          return performance.now();
        },
        NODE_SELECTOR,
        { polling: 'raf', timeout: BOUND_MS },
      )
      .then((h) => h.jsonValue() as Promise<number>);
    // Before the click (which may open another page): the page as rendered.
    const dom = await page.evaluate(() => ({ elements: document.querySelectorAll('*').length, heap: (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? null }));
    const url0 = page.url();
    const target = page.locator('[data-bench-first]').first();
    let clicks = 0;
    let interactiveMs: number | null = null;
    const deadline = Date.now() + BOUND_MS;
    while (interactiveMs === null && Date.now() < deadline) {
      clicks++;
      await target.click({ timeout: 5_000, force: true }).catch(() => undefined);
      interactiveMs = await page
        .waitForFunction((u) => location.href !== u && performance.now(), url0, { polling: 'raf', timeout: 250 })
        .then((h) => h.jsonValue() as Promise<number>)
        .catch(() => null);
    }
    return { firstLabelMs: Math.round(firstLabelMs), interactiveMs: interactiveMs === null ? null : Math.round(interactiveMs), clicksNeeded: clicks, domElements: dom.elements, jsHeapBytes: dom.heap };
  } finally {
    await page.context().close();
  }
}

export async function measure(instances: number): Promise<Figures> {
  const app = await startApp({ SWITCHBACK_DEMO_INSTANCES: String(instances) });
  const browser = await launchChromium();
  try {
    const probe = await signedInPage(browser, app);
    const snap = await probe.request.get('/api/trpc/topologyMap.snapshot');
    const fleetInstances = snap.ok() ? countInstances(await snap.json()) : null;
    await probe.context().close();
    const views: Record<string, unknown> = {};
    for (const [name, path] of Object.entries(VIEWS)) {
      views[name] = await measureView(browser, app, path).catch((err: unknown) => ({ error: err instanceof Error ? err.message.split('\n')[0]! : String(err) }));
    }
    return { requestedInstances: instances, fleetInstances, loadAverage: loadavg()[0]!, ...views };
  } finally {
    await browser.close();
    await app.stop();
  }
}

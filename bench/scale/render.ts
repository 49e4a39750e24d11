// Topology page at fleet size: first render and time to interactive in Chromium.
// The app is started the README way (`npm start`, fresh data folder, as the e2e global setup does)
// with SWITCHBACK_DEMO_INSTANCES=<n> (the demo fleet size; a branch without that setting seeds its
// default fleet — `fleetInstances` says what was really measured). Signed in as the admin, each
// view of /topology is visited in a fresh context (empty cache, 1440 × 900), and measured from
// navigation start:
// - firstLabelMs: the first legible node label painted: an element of the view's own kind (a
//   service node of the graph; a region title of the placement view) with text, rendered visible
//   (not hidden, not transparent), inside the viewport and with its text at least LEGIBLE_PX tall
//   on screen (React Flow's zoom counts). Read one animation frame after it was first seen, so the
//   frame that holds it has been painted.
// - interactiveMs: the first moment the page answers a click on that label with the view's own
//   effect, in the DOM, not the URL: the graph marks the service selected (aria-pressed) and opens
//   its panel; the placement view drills into the region (the breadcrumb's current entry becomes
//   it). Both views write the URL with router.replace, which waits for a server round trip: that
//   is `urlUpdatedMs`, kept apart. Until the page is hydrated a click is lost, so the label is
//   clicked as soon as it shows and again until the effect appears (each click waits at most
//   RETRY_MS for it); clicksNeeded says how many it took, lastClickAnsweredMs how long the
//   answered click took from its dispatch to its effect (the main thread's lag at that moment).
// - domElements and the JS heap used when the first label showed (before any click).
// The machine's load average is in the figures: compare runs on one machine.
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { Figures } from '../scale.bench';
import { launchChromium, signedInPage, startApp } from './lib/app';

/** The smallest on-screen text height (CSS px) that counts as legible. */
const LEGIBLE_PX = 8;
const BOUND_MS = 120_000;
const RETRY_MS = 250;

interface View {
  path: string;
  /** Elements that are this view's node labels. */
  label: string;
  /** In the page: whether the click on `el` (its label text `name`) has had its effect. */
  answered: (arg: { name: string; sel: string }) => boolean;
}

const VIEWS: Record<string, View> = {
  services: {
    path: '/topology?view=services',
    label: '[data-service]',
    answered: ({ name }) => document.querySelector(`[data-service="${CSS.escape(name)}"]`)?.getAttribute('aria-pressed') === 'true',
  },
  placement: {
    path: '/topology?view=placement',
    label: 'button[aria-label^="Region "]',
    answered: ({ name }) => (document.querySelector('nav[aria-label="Breadcrumb"] [aria-current="page"]')?.textContent ?? '').trim() === name,
  },
};

function countInstances(v: unknown): number {
  if (Array.isArray(v)) return v.reduce((a: number, x) => a + countInstances(x), 0);
  if (!v || typeof v !== 'object') return 0;
  let n = 0;
  for (const [k, x] of Object.entries(v)) n += k === 'instances' && Array.isArray(x) ? x.length : countInstances(x);
  return n;
}

/** In the page, polled every frame: the first legible label's name and when its frame was painted. */
function firstLegibleLabel({ sel, px }: { sel: string; px: number }): false | { name: string; at: number } {
  const w = window as unknown as { __benchSeen?: { name: string; at: number } };
  // Seen in the previous frame's callbacks: that frame has been painted by now.
  if (w.__benchSeen) return { name: w.__benchSeen.name, at: performance.now() };
  for (const el of document.querySelectorAll<HTMLElement>(sel)) {
    const text = (el.textContent ?? '').trim();
    if (!text || !el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
    const r = el.getBoundingClientRect();
    if (r.width <= 0 || r.bottom <= 0 || r.right <= 0 || r.top >= innerHeight || r.left >= innerWidth) continue;
    // Zoom (a CSS transform on an ancestor) scales the text: on-screen height = font size × scale.
    const scale = el.offsetWidth > 0 ? r.width / el.offsetWidth : 1;
    if (parseFloat(getComputedStyle(el).fontSize) * scale < px) continue;
    el.setAttribute('data-bench-first', '');
    w.__benchSeen = { name: el.getAttribute('data-service') ?? (el.getAttribute('aria-label') ?? '').replace(/^Region /, '').replace(/,.*$/, ''), at: performance.now() };
    return false;
  }
  return false;
}

/** In the page: what the criterion sees of the first few candidates (SCALE_RENDER_TRACE). */
function candidates(sel: string) {
  const all = [...document.querySelectorAll<HTMLElement>(sel)];
  return {
    t: Math.round(performance.now()),
    ready: document.readyState,
    viewport: [innerWidth, innerHeight],
    flowTransform: document.querySelector<HTMLElement>('.react-flow__viewport')?.style.transform ?? null,
    count: all.length,
    first: all.slice(0, 3).map((el) => {
      const r = el.getBoundingClientRect();
      return {
        text: (el.textContent ?? '').trim().slice(0, 40),
        visible: el.checkVisibility({ opacityProperty: true, visibilityProperty: true }),
        rect: [r.left, r.top, r.width, r.height].map(Math.round),
        offset: [el.offsetWidth, el.offsetHeight],
        fontPx: getComputedStyle(el).fontSize,
      };
    }),
    main: (document.querySelector('main')?.innerText ?? '').replace(/\s+/g, ' ').slice(0, 120),
  };
}

/**
 * SCALE_RENDER_TRACE=<dir>: about every second, log what the criterion sees (stderr) and now and
 * then take a screenshot named by the time since navigation, and one when the label is reported:
 * to check the criterion against what the page shows.
 */
function startTrace(page: Page, view: View, tag: string) {
  const dir = process.env.SCALE_RENDER_TRACE;
  if (!dir) return { stop: () => Promise.resolve(), shot: (_: string) => Promise.resolve() };
  mkdirSync(dir, { recursive: true });
  let live = true;
  const shot = (what: string) => page.screenshot({ path: join(dir, `${tag}-${what}.png`) }).then(() => undefined, () => undefined);
  const t0 = Date.now();
  const loop = (async () => {
    for (let k = 0; live && k < BOUND_MS / 1000; k++) {
      const seen = await page.evaluate(candidates, view.label).catch((e: unknown) => String(e).slice(0, 80));
      console.error(`[render-trace ${tag}]`, JSON.stringify(seen));
      if (k % 5 === 0) await shot(`${String(Date.now() - t0).padStart(6, '0')}ms`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  })();
  return { stop: async () => { live = false; await loop; }, shot };
}

async function measureView(page: Page, view: View, tag = 'view') {
  const trace = startTrace(page, view, tag);
  await page.goto(view.path, { waitUntil: 'commit' });
  const first = await page
    .waitForFunction(firstLegibleLabel, { sel: view.label, px: LEGIBLE_PX }, { polling: 'raf', timeout: BOUND_MS })
    .then((h) => h.jsonValue() as Promise<{ name: string; at: number }>)
    .finally(() => trace.stop());
  await trace.shot('first-label');
  if (process.env.SCALE_RENDER_TRACE) console.error(`[render-trace ${tag}] reported`, JSON.stringify(first), JSON.stringify(await page.evaluate(candidates, '[data-bench-first]')));
  // Before the click: the page as rendered.
  const dom = await page.evaluate(() => ({ elements: document.querySelectorAll('*').length, heap: (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? null }));
  const url0 = page.url();
  const target = page.locator('[data-bench-first]').first();
  let clicks = 0;
  let interactiveMs: number | null = null;
  let lastClickAnsweredMs: number | null = null;
  const deadline = Date.now() + BOUND_MS;
  while (interactiveMs === null && Date.now() < deadline) {
    clicks++;
    const sentAt = await page.evaluate(() => performance.now());
    // force: a label that React re-renders is clicked where it is, without actionability waits.
    await target.click({ timeout: 5_000, force: true }).catch(() => undefined);
    interactiveMs = await page
      .waitForFunction(view.answered, { name: first.name, sel: view.label }, { polling: 'raf', timeout: RETRY_MS })
      .then(() => page.evaluate(() => performance.now()))
      .catch(() => null);
    if (interactiveMs !== null) lastClickAnsweredMs = interactiveMs - sentAt;
  }
  const urlUpdatedMs =
    interactiveMs === null
      ? null
      : await page
          .waitForFunction((u) => location.href !== u && performance.now(), url0, { polling: 'raf', timeout: 60_000 })
          .then((h) => h.jsonValue() as Promise<number>)
          .catch(() => null);
  const round = (n: number | null) => (n === null ? null : Math.round(n));
  return {
    label: first.name,
    firstLabelMs: round(first.at),
    interactiveMs: round(interactiveMs),
    clicksNeeded: clicks,
    lastClickAnsweredMs: round(lastClickAnsweredMs),
    urlUpdatedMs: round(urlUpdatedMs),
    domElements: dom.elements,
    jsHeapBytes: dom.heap,
  };
}

export async function measure(instances: number): Promise<Figures> {
  const app = await startApp({ SWITCHBACK_DEMO_INSTANCES: String(instances) });
  const browser = await launchChromium();
  try {
    const probe = await signedInPage(browser, app);
    const snap = await probe.request.get('/api/trpc/topologyMap.snapshot');
    const snapBody = snap.ok() ? await snap.body() : null;
    const fleetInstances = snapBody ? countInstances(JSON.parse(snapBody.toString())) : null;
    await probe.context().close();
    const views: Record<string, unknown> = { snapshotBytes: snapBody?.length ?? null };
    for (const [name, view] of Object.entries(VIEWS)) {
      const page = await signedInPage(browser, app);
      try {
        views[name] = await measureView(page, view, `${instances}-${name}`);
      } catch (err) {
        // What the page showed instead (a spinner's words, an error): the figure's reason.
        const showing = await page
          .evaluate(() => (document.querySelector('main')?.innerText ?? document.body.innerText).replace(/\s+/g, ' ').slice(0, 300))
          .catch(() => null);
        views[name] = { error: err instanceof Error ? err.message.split('\n')[0]! : String(err), showing };
      } finally {
        await page.context().close();
      }
    }
    return { requestedInstances: instances, fleetInstances, loadAverage: loadavg()[0]!, ...views };
  } finally {
    await browser.close();
    await app.stop();
  }
}

// `npm run bench -- pageweight`: what each console page costs a first visit.
// - From the production build's manifests (scripts/lib/first-load-js.ts): per route, the first-load
//   JavaScript (root main files + the chunks its layouts and page list), raw and gzip, and which
//   heavy libraries it holds. Chunks loaded later (next/dynamic, import()) are not counted here.
// - In Chromium, a first visit (fresh context: empty cache) of each page of the demo platform as
//   `npm start` seeds it, signed in as the admin: the JavaScript the page actually downloaded by
//   the end of the visit (first load and the chunks after it; bytes on the wire and decoded), the
//   DOMContentLoaded and load times, when the shell's indicator said "Live", and when the first live
//   message arrived (the first SSE data message on any of the page's tRPC subscriptions, which tRPC
//   applies to the query cache in the same task; null when none came within 20 s — the change feed
//   only sends when something changes).
// - Then, on the same page left alone, its idle cost (bench/scale/lib/idle-cost.ts): main-thread
//   time (Chromium's TaskDuration and ScriptDuration) and React commits over 5 s, 3 s after the
//   visit was measured. Live pages move once a tick (1 s); a chart page that re-renders more than
//   that shows here.
// PAGEWEIGHT_PAGES (comma-separated routes as printed, e.g. /services/[name]) limits the visits.
// Times are from navigation start on this machine, beside whatever else runs on it (load average
// in the output): compare runs on one machine, not with other machines.
import { loadavg } from 'node:os';
import { firstLoadJs } from '../scripts/lib/first-load-js';
import { launchChromium, signedInPage, startApp, type RunningApp } from './scale/lib/app';
import { measureVisit, recordLiveMessages, type VisitFigures } from './scale/lib/page-visit';
import { countReactCommits, measureIdle, type IdleFigures } from './scale/lib/idle-cost';
import type { Browser } from '@playwright/test';

const STATIC_PAGES = ['/', '/topology', '/services', '/machines', '/rollouts', '/rollouts/new', '/experiments', '/experiments/new', '/policies', '/safety', '/timeline', '/audit', '/api-docs', '/settings', '/settings/users', '/settings/tokens', '/settings/webhooks'];

/** The first link on `listPath` whose path matches `re` (an object of the seeded demo), or null. */
async function firstLink(browser: Browser, app: RunningApp, listPath: string, re: RegExp): Promise<string | null> {
  const page = await signedInPage(browser, app);
  try {
    await page.goto(listPath);
    const links = page.locator('a[href^="/"]');
    // The list renders after its query: wait for a matching link, bounded.
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
      const hit = hrefs.find((h) => re.test(h.split('?')[0]!));
      if (hit) return hit.split('?')[0]!;
      await page.waitForTimeout(250);
    }
    return null;
  } finally {
    await page.context().close();
  }
}

export async function run(): Promise<Record<string, unknown>> {
  const loadBefore = loadavg()[0];
  const app = await startApp();
  let browser: Browser | null = null;
  try {
    const dist = process.env.SWITCHBACK_DIST_DIR || '.next';
    const built = firstLoadJs(dist);
    const manifest = Object.fromEntries(built.map((r) => [r.route, { rawBytes: r.rawBytes, gzipBytes: r.gzipBytes, chunks: r.chunks.length, heavyLibraries: r.libraries }]));

    browser = await launchChromium();
    const service = await firstLink(browser, app, '/services', /^\/services\/[^/]+$/);
    const instance = service ? await firstLink(browser, app, service, /^\/instances\/[^/]+$/) : null;
    const cluster = await firstLink(browser, app, '/topology?view=placement', /^\/clusters\/[^/]+$/).catch(() => null);
    const rollout = await firstLink(browser, app, '/rollouts', /^\/rollouts\/(?!new$)[^/]+$/);
    const experiment = await firstLink(browser, app, '/experiments', /^\/experiments\/(?!new$|runs$)[^/]+$/);
    const all: Record<string, string | null> = Object.fromEntries(STATIC_PAGES.map((p) => [p, p]));
    Object.assign(all, { '/services/[name]': service, '/instances/[name]': instance, '/clusters/[name]': cluster, '/rollouts/[id]': rollout, '/experiments/[id]': experiment });
    // PAGEWEIGHT_PAGES=/services/[name],/instances/[name]: only these routes (an A/B of a few pages without the whole ~9 minutes).
    const only = (process.env.PAGEWEIGHT_PAGES ?? '').split(',').filter(Boolean);
    const pages = only.length ? Object.fromEntries(Object.entries(all).filter(([route]) => only.includes(route))) : all;

    const visits: Record<string, (VisitFigures & { url: string; idle: IdleFigures }) | { url: null; note: string }> = {};
    for (const [route, url] of Object.entries(pages)) {
      if (!url) {
        visits[route] = { url: null, note: 'no such object on the seeded demo platform: not visited' };
        continue;
      }
      const page = await signedInPage(browser, app);
      try {
        await recordLiveMessages(page);
        await countReactCommits(page);
        const visit = await measureVisit(page, url);
        visits[route] = { url, ...visit, idle: await measureIdle(page) };
      } finally {
        await page.context().close();
      }
    }
    return {
      bench: 'pageweight',
      build: dist,
      loadAverage: { before: loadBefore, after: loadavg()[0], cores: (await import('node:os')).cpus().length },
      firstLoadJsFromManifest: manifest,
      // The figure to track per page: main-thread ms per 5 s of an untouched page (details under each visit's `idle`).
      idleMainThreadMsPer5s: Object.fromEntries(Object.entries(visits).map(([route, v]) => [route, 'idle' in v ? v.idle.taskMs : null])),
      firstVisitInChromium: visits,
    };
  } finally {
    await browser?.close();
    await app.stop();
  }
}

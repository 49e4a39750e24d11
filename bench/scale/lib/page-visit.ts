import type { Page } from '@playwright/test';

// One first visit of a console page in Chromium, measured from inside the page: the JavaScript it
// downloaded (Resource Timing: bytes on the wire and decoded), when its live feed delivered the
// first message, and when the shell's live indicator said "Live".

/** Before any page script: record when each EventSource (tRPC's SSE subscriptions) gets its first message. */
const RECORD_SSE = `(() => {
  const rec = (window.__sbLive = { first: null, streams: {} });
  const ES = window.EventSource;
  if (!ES) return;
  window.EventSource = class extends ES {
    constructor(url, init) {
      super(url, init);
      const path = new URL(String(url), location.href).pathname;
      // Registered before tRPC's own listener: the time the message arrived, which tRPC then
      // applies to the query cache in the same task.
      this.addEventListener('message', () => {
        const t = performance.now();
        if (rec.streams[path] === undefined) rec.streams[path] = t;
        if (rec.first === null) rec.first = t;
      });
    }
  };
})();`;

export async function recordLiveMessages(page: Page): Promise<void> {
  await page.addInitScript(RECORD_SSE);
}

export interface VisitFigures {
  /** Navigation start → DOMContentLoaded / load event, ms. */
  domContentLoadedMs: number;
  loadMs: number;
  /** JavaScript loaded by the time the measure ended (first load and the chunks loaded after it). */
  js: { files: number; transferredBytes: number; encodedBytes: number; decodedBytes: number };
  /** The same, only the scripts requested before DOMContentLoaded (what the HTML asked for). */
  jsBeforeDomContentLoaded: { files: number; encodedBytes: number; decodedBytes: number };
  /** Navigation start → the shell's live indicator reads "Live" (the subscription is open), ms. */
  liveIndicatorMs: number | null;
  /** Navigation start → the first SSE data message the page received, ms; null if none came in the window. */
  firstLiveMessageMs: number | null;
  /** Per subscription stream (URL path + procedure), navigation start → its first message, ms. */
  firstMessageByStream: Record<string, number>;
}

interface InPage {
  dcl: number;
  load: number;
  scripts: Array<{ name: string; start: number; transfer: number; encoded: number; decoded: number }>;
  live: { first: number | null; streams: Record<string, number> };
}

/** Visits `path` and waits (at most `windowMs`) for the first live message, then reads the figures. */
export async function measureVisit(page: Page, path: string, windowMs = 20_000): Promise<VisitFigures> {
  await page.goto(path, { waitUntil: 'load' });
  const liveIndicatorMs = await page
    .waitForFunction(() => [...document.querySelectorAll('[role=status]')].some((e) => e.textContent === 'Live') && performance.now(), null, { polling: 50, timeout: windowMs })
    .then((h) => h.jsonValue() as Promise<number>)
    .catch(() => null);
  await page.waitForFunction(() => (window as unknown as { __sbLive?: { first: number | null } }).__sbLive?.first != null, null, { polling: 100, timeout: windowMs }).catch(() => null);
  const r = await page.evaluate((): InPage => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const scripts = (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
      .filter((e) => e.initiatorType === 'script' || /\.js(\?|$)/.test(e.name))
      .map((e) => ({ name: e.name, start: e.startTime, transfer: e.transferSize, encoded: e.encodedBodySize, decoded: e.decodedBodySize }));
    const live = (window as unknown as { __sbLive?: InPage['live'] }).__sbLive ?? { first: null, streams: {} };
    return { dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd, scripts, live };
  });
  const sum = (xs: InPage['scripts'], k: 'transfer' | 'encoded' | 'decoded') => xs.reduce((a, s) => a + s[k], 0);
  const early = r.scripts.filter((s) => s.start < r.dcl);
  const round = (n: number) => Math.round(n);
  return {
    domContentLoadedMs: round(r.dcl),
    loadMs: round(r.load),
    js: { files: r.scripts.length, transferredBytes: sum(r.scripts, 'transfer'), encodedBytes: sum(r.scripts, 'encoded'), decodedBytes: sum(r.scripts, 'decoded') },
    jsBeforeDomContentLoaded: { files: early.length, encodedBytes: sum(early, 'encoded'), decodedBytes: sum(early, 'decoded') },
    liveIndicatorMs: liveIndicatorMs === null ? null : round(liveIndicatorMs),
    firstLiveMessageMs: r.live.first === null ? null : round(r.live.first),
    firstMessageByStream: Object.fromEntries(Object.entries(r.live.streams).map(([k, v]) => [k, round(v)])),
  };
}

import type { Page } from '@playwright/test';

// What an open page costs the browser's main thread while nobody touches it: a live page moves
// every tick (1 s), and a page that re-renders far more than its data changes burns a core of a
// small machine and slows every test that opens it. Read from Chromium's own counters
// (DevTools Performance.getMetrics: TaskDuration = all main-thread tasks, ScriptDuration = the
// JavaScript in them) over a window after the page settled, and the React commits in that window
// counted through the hook React calls for DevTools (production builds call it too).

/** Before any page script: a minimal DevTools hook that counts React commits. */
const COUNT_COMMITS = `(() => {
  if (window.__REACT_DEVTOOLS_GLOBAL_HOOK__) return;
  let id = 0;
  window.__sbCommits = 0;
  window.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
    supportsFiber: true, renderers: new Map(),
    inject(r) { id += 1; this.renderers.set(id, r); return id; },
    checkDCE() {}, onScheduleFiberRoot() {}, onCommitFiberUnmount() {}, onPostCommitFiberRoot() {},
    onCommitFiberRoot() { window.__sbCommits += 1; },
  };
})();`;

export async function countReactCommits(page: Page): Promise<void> {
  await page.addInitScript(COUNT_COMMITS);
}

export interface IdleFigures {
  windowMs: number;
  /** Main-thread time in the window (all tasks: script, style, layout, paint), ms: wall time, so it grows with the machine's load. */
  taskMs: number;
  /** The main thread's CPU time in the window (ThreadTime), ms: steadier than taskMs on a busy machine. */
  threadMs: number;
  scriptMs: number;
  layoutMs: number;
  styleMs: number;
  /** React commits in the window; null when the page's React was not seen (no countReactCommits). */
  reactCommits: number | null;
}

/** Waits `settleMs`, then measures the main thread over `windowMs` of an untouched page. */
export async function measureIdle(page: Page, settleMs = 3000, windowMs = 5000): Promise<IdleFigures> {
  await page.waitForTimeout(settleMs);
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('Performance.enable');
    const read = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      const commits = await page.evaluate(() => (window as unknown as { __sbCommits?: number }).__sbCommits ?? null);
      return { m: Object.fromEntries(metrics.map((x) => [x.name, x.value])), commits };
    };
    const a = await read();
    await page.waitForTimeout(windowMs);
    const b = await read();
    const ms = (k: string) => Math.round(((b.m[k] ?? 0) - (a.m[k] ?? 0)) * 1000);
    return {
      windowMs,
      taskMs: ms('TaskDuration'),
      threadMs: ms('ThreadTime'),
      scriptMs: ms('ScriptDuration'),
      layoutMs: ms('LayoutDuration'),
      styleMs: ms('RecalcStyleDuration'),
      reactCommits: a.commits === null || b.commits === null ? null : b.commits - a.commits,
    };
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

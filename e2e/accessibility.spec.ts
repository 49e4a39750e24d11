import type { Browser, Page } from '@playwright/test';
import { axeViolations } from './support/axe';
import { test, expect, sessionState } from './support/fixtures';
import { e2eState } from './support/state';

// WCAG 2 A and AA (colour contrast included) on every console page and the sign-in page, in the
// light and the dark theme. Each page is loaded once, in the theme the header switch stores in
// localStorage (components/shell/theme.ts, set before the first paint as a user's choice would
// be), and checked with every rule; then switched in place to the other theme and checked with
// the rules that read colours (see COLOUR_RULES). Half the pages are loaded light, half dark.
// Dynamic routes use the demo's names: a service, one of its instances, a cluster.

const THEMES = ['light', 'dark'] as const;
type Theme = (typeof THEMES)[number];

/** Pages with charts and live data take a while on a busy machine (two of them loading side by side). */
const T = { timeout: 60_000 };
/** Stands for a rollout's page: a draft created through the API before the pages are visited. */
const ROLLOUT_PAGE = '/rollouts/<draft>';
/** Stands for an experiment's page: created through the API (from the seed template) before the pages are visited. */
const EXPERIMENT_PAGE = '/experiments/<experiment>';

const PAGES: Array<{ path: string; ready: (page: Page) => Promise<void> }> = [
  { path: '/', ready: (p) => expect(p.getByRole('table').first()).toBeVisible(T) },
  { path: '/topology', ready: (p) => expect(p.getByRole('tablist', { name: 'Topology views' })).toBeVisible(T) },
  { path: '/topology?view=placement', ready: (p) => expect(p.getByRole('button', { name: /^Zone eu-west-a, .*weight \d+/ })).toBeVisible(T) },
  { path: '/topology?view=placement&path=eu-west/eu-west-a/euw-a-1', ready: (p) => expect(p.getByRole('link', { name: /^Instance order-api-euw-a-1-v1-1, weight \d+/ })).toBeVisible(T) },
  { path: '/services', ready: (p) => expect(p.getByRole('link', { name: 'order-api', exact: true })).toBeVisible(T) },
  { path: '/services/order-api', ready: (p) => expect(p.getByRole('heading', { name: 'Traffic split' })).toBeVisible(T) },
  { path: '/instances/order-api-euw-a-1-v1-1', ready: (p) => expect(p.getByRole('heading', { name: /Weight and its inputs/ })).toBeVisible(T) },
  { path: '/clusters/euw-b-1', ready: (p) => expect(p.getByRole('table', { name: 'Instances of the cluster' })).toBeVisible(T) },
  { path: '/machines?machine=stage&state=active', ready: (p) => expect(p.getByRole('table', { name: 'Stages Active now' })).toBeVisible(T) },
  { path: '/timeline', ready: (p) => expect(p.getByRole('table', { name: 'Events' })).toBeVisible(T) },
  { path: '/policies?kind=watermark', ready: (p) => expect(p.getByLabel('Degrade watermark')).toBeVisible(T) },
  { path: '/rollouts', ready: (p) => expect(p.getByRole('table', { name: 'Rollouts' }).or(p.getByRole('heading', { name: 'No rollouts yet' }))).toBeVisible(T) },
  { path: '/rollouts/new?service=order-api', ready: (p) => expect(p.getByRole('region', { name: 'Preview of step 1' })).toBeVisible(T) },
  { path: ROLLOUT_PAGE, ready: (p) => expect(p.getByRole('heading', { name: 'Approvals' })).toBeVisible(T) },
  { path: '/experiments', ready: (p) => expect(p.getByRole('table', { name: 'Runs' }).or(p.getByRole('heading', { name: 'No runs yet' }))).toBeVisible(T) },
  { path: '/experiments?tab=templates', ready: (p) => expect(p.getByRole('list', { name: 'Templates' })).toBeVisible(T) },
  { path: '/experiments?tab=experiments', ready: (p) => expect(p.getByRole('table', { name: 'Experiments' })).toBeVisible(T) },
  { path: '/experiments/new', ready: (p) => expect(p.getByRole('status', { name: 'Blast radius check' })).toBeVisible(T) },
  { path: EXPERIMENT_PAGE, ready: (p) => expect(p.getByRole('status', { name: 'Blast radius check' })).toContainText('within the blast radius', T) },
  { path: '/safety', ready: (p) => expect(p.getByRole('heading', { name: 'Freeze windows', exact: true })).toBeVisible(T) },
  { path: '/machines?machine=experiment', ready: (p) => expect(p.getByRole('heading', { name: 'Chaos experiment run' })).toBeVisible(T) },
  { path: '/audit', ready: (p) => expect(p.getByRole('table', { name: 'Audit events' })).toBeVisible(T) },
  { path: '/settings', ready: (p) => expect(p.getByRole('table', { name: 'Platform adapters' })).toBeVisible(T) },
  { path: '/settings/users', ready: (p) => expect(p.getByRole('table', { name: 'Users' })).toBeVisible(T) },
  { path: '/settings/webhooks', ready: (p) => expect(p.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible(T) },
  { path: '/api-docs', ready: (p) => expect(p.getByRole('article', { name: /GET\s*\/system\/health/ })).toBeVisible(T) },
  { path: '/settings/tokens', ready: (p) => expect(p.getByRole('table', { name: 'Your API tokens' }).or(p.getByRole('heading', { name: 'You have no API tokens' }))).toBeVisible(T) },
];

/** A pending rollout (a draft) with every kind of step, so its page shows them all. */
function a11yRolloutSpec() {
  return {
    name: `a11y ${Date.now().toString(36)}`,
    service: 'order-api',
    stableVersion: 'v1',
    canaryVersion: 'v2',
    steps: [
      { kind: 'setHeaderRoute', header: 'X-Abtest-Group', match: 'exact', value: 'v2-canary' },
      { kind: 'setWeight', weight: 10 },
      { kind: 'approval', quorum: 1, expiresInS: 3600, onExpiry: 'stay-paused' },
      { kind: 'analysis', metrics: [{ metric: 'error-rate', maxIncreasePct: 50 }], seconds: 120 },
      { kind: 'pause' },
    ],
    backgroundAnalysis: null,
    alpha: 0.01,
  };
}

/** The seed's jitter experiment on one cluster (within the blast radius), every condition kind once. */
function a11yExperimentDraft() {
  return {
    name: `a11y ${Date.now().toString(36)}`,
    description: 'accessibility check',
    templateKey: 'seed-jitter',
    spec: {
      fault: { kind: 'delay', delayMs: 200, jitterMs: 300 },
      targets: { regions: [], zones: [], clusters: ['euw-b-1'], services: ['edge-gateway'], versions: [], labels: {} },
      selection: { mode: 'all' },
      blastRadius: { maxServicePct: 50, maxZonePct: 60, maxClusterPct: null },
      cohort: null,
      durationS: 60,
      steadyState: [{ kind: 'availability-below', pct: 99, windowS: 30 }],
      abortConditions: [
        { kind: 'p99-above', ms: 1000, windowS: 10 },
        { kind: 'breakers-open-above', count: 2 },
        { kind: 'degraded-at-least', count: 3 },
      ],
      availabilityTargetPct: 99.9,
      baselineS: 60,
      observeS: 120,
    },
  };
}

async function themedPage(browser: Browser, theme: Theme, signedIn: boolean): Promise<Page> {
  const s = e2eState();
  const storageState = signedIn ? await sessionState(s.adminName, s.adminPassword) : undefined;
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, storageState });
  await context.addInitScript((t) => localStorage.setItem('switchback-theme', t), theme);
  return context.newPage();
}

const other = (t: Theme): Theme => (t === 'light' ? 'dark' : 'light');

/**
 * Switches the theme in place as the header switch does (components/shell/theme.ts: the choice in
 * localStorage, data-theme on <html>). The themes differ only in CSS colour variables (no script
 * reads a colour, no colour transitions), so the page after the switch looks as if loaded in it.
 */
async function switchTheme(page: Page, theme: Theme) {
  await page.evaluate((t) => {
    localStorage.setItem('switchback-theme', t);
    document.documentElement.dataset.theme = t;
  }, theme);
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

/**
 * The axe rules whose outcome depends on colours. Everything else (names, roles, structure,
 * labels, landmarks) reads the DOM, which the theme does not change: the whole WCAG 2 A/AA set runs
 * once per state in the theme it was loaded in, these run again after the switch to the other one.
 */
const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];

/** Every WCAG 2 A/AA violation on the page as it is now (only the colour rules with `colourOnly`), one line each (rule, impact, where). */
async function violations(page: Page, colourOnly = false): Promise<string[]> {
  const found = await axeViolations(page, colourOnly ? { runOnly: { type: 'rule', values: COLOUR_RULES } } : {});
  return found.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact ?? '?'}): ${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1).join(' ').trim() ?? v.help}`));
}

/** The page as it is now in both themes: every rule in the current theme, then the colour rules in the other one (it stays switched). */
async function bothThemes(page: Page, where: string, first: Theme): Promise<string[]> {
  await expect(page.locator('html')).toHaveAttribute('data-theme', first);
  const found = (await violations(page)).map((v) => `${where} [${first}]: ${v}`);
  await switchTheme(page, other(first));
  found.push(...(await violations(page, true)).map((v) => `${where} [${other(first)}]: ${v}`));
  return found;
}

/** Charts and lists stream in: check once nothing says "Loading …" any more. */
async function settled(page: Page) {
  await expect(page.locator('[role="status"]', { hasText: /^Loading / })).toHaveCount(0, { timeout: 30_000 });
}

/** Pages visited side by side, each lane in a browser context of its own (the lanes alternate the theme a page is loaded in). */
const LANES = 2;

test('every console page meets WCAG 2 AA in the light and the dark theme', async ({ browser }) => {
  // A hang bound, not a speed bound: 27 pages with charts and forms, axe twice on each, on a busy 2-core machine
  // (the two tests per theme this replaced had 420 s each).
  test.setTimeout(840_000);
  const lanes = await Promise.all(Array.from({ length: LANES }, (_, i) => themedPage(browser, i % 2 === 0 ? 'light' : 'dark', true)));
  const api = lanes[0]!.request;
  const draft = await api.post('/api/trpc/rollouts.create', { data: { json: { spec: a11yRolloutSpec() } } });
  expect(draft.status(), await draft.text()).toBe(200);
  const draftId = ((await draft.json()) as { result: { data: { json: { id: string } } } }).result.data.json.id;
  const experiment = await api.post('/api/trpc/experiments.create', { data: { json: { draft: a11yExperimentDraft() } } });
  expect(experiment.status(), await experiment.text()).toBe(200);
  const experimentId = ((await experiment.json()) as { result: { data: { json: { id: string } } } }).result.data.json.id;

  const found = await Promise.all(
    lanes.map(async (page, lane) => {
      const first: Theme = lane % 2 === 0 ? 'light' : 'dark';
      const mine: string[] = [];
      for (const { path: pathOrDraft, ready } of PAGES.filter((_, i) => i % LANES === lane)) {
        const path = pathOrDraft === ROLLOUT_PAGE ? `/rollouts/${draftId}` : pathOrDraft === EXPERIMENT_PAGE ? `/experiments/${experimentId}` : pathOrDraft;
        await page.goto(path);
        await ready(page);
        await settled(page);
        mine.push(...(await bothThemes(page, path, first)));
      }
      return mine;
    }),
  );
  expect(found.flat()).toEqual([]);
  await Promise.all(lanes.map((p) => p.context().close()));
});

test('dialogs, the policy diff and the audit record meet WCAG 2 AA in the light and the dark theme', async ({ browser }) => {
  // A hang bound: the two tests per theme this replaced had 120 s each.
  test.setTimeout(240_000);
  // Loaded dark (the console pages above load both ways); every navigation reloads it dark.
  const page = await themedPage(browser, 'dark', true);
  const found: string[] = [];

  await page.goto('/settings');
  await page.getByRole('button', { name: 'New adapter…' }).click();
  await expect(page.getByRole('dialog', { name: 'New platform adapter' })).toBeVisible();
  found.push(...(await bothThemes(page, 'New adapter dialog', 'dark')));

  // The policy diff colours were 1.6:1 and 2.4:1 on the light theme.
  await page.goto('/policies?kind=watermark');
  await page.getByLabel('Degrade watermark').fill('70');
  await expect(page.getByRole('table', { name: 'Your changes' })).toBeVisible();
  found.push(...(await bothThemes(page, '/policies (a change)', 'dark')));

  // An audit row with a whole record to open.
  const saved = await page.request.post('/api/trpc/platform.save', { data: { json: { name: 'a11y-audit', kind: 'sim', config: { seed: 3 } } } });
  expect(saved.status(), await saved.text()).toBe(200);
  await page.goto('/audit');
  await expect(page.getByRole('table', { name: 'Audit events' })).toBeVisible();
  await page.getByText('Whole record').first().click();
  found.push(...(await bothThemes(page, '/audit (whole record open)', 'dark')));

  expect(found).toEqual([]);
  await page.context().close();
});

test('the sign-in page meets WCAG 2 AA in the light and the dark theme', async ({ browser }) => {
  const found: string[] = [];
  for (const theme of THEMES) {
    // Loaded in each theme (the pre-paint script on a page without the shell), the other one switched to.
    const page = await themedPage(browser, theme, false);
    await page.goto('/login');
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    found.push(...(await bothThemes(page, '/login', theme)));
    await page.context().close();
  }
  expect(found).toEqual([]);
});

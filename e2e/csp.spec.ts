import type { BrowserContext, Page } from '@playwright/test';
import { test, expect, mutate, signedInPage } from './support/fixtures';
import { e2eState } from './support/state';

// The console works under its Content-Security-Policy: every page loads, hydrates and runs its
// live feeds without one CSP violation; pages and API answers carry the security headers.
const CONSOLE_ROUTES = [
  '/',
  '/topology',
  '/topology?view=placement',
  '/topology?view=placement&path=eu-west/eu-west-a/euw-a-1',
  '/services',
  '/services/payment-svc',
  '/clusters/euw-a-1',
  '/instances/payment-svc-euw-a-1-v1-1?range=live',
  '/machines',
  '/timeline',
  '/policies',
  '/audit',
  '/rollouts',
  '/rollouts/new?service=payment-svc',
  '/experiments',
  '/experiments?tab=templates',
  '/experiments?tab=experiments',
  '/experiments?tab=schedules',
  '/experiments/new',
  '/safety',
  '/machines?machine=experiment',
  '/settings',
  '/settings/users',
  '/settings/webhooks',
  '/api-docs',
  '/settings/tokens',
];

/** Records every CSP violation the page reports, from the console and from the DOM event. */
async function watchCsp(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on('console', (msg) => {
    if (msg.text().includes('Content Security Policy')) violations.push(`console: ${msg.text()}`);
  });
  await page.exposeFunction('__reportCspViolation', (v: string) => violations.push(`event: ${v}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __reportCspViolation(v: string): void }).__reportCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} in ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  return violations;
}

/** The page's own scripts ran: the theme script set data-theme, Next's runtime booted, the shell rendered. */
async function loaded(page: Page) {
  await expect(page.locator('html')).toHaveAttribute('data-theme', /.+/);
  await page.waitForFunction(() => Boolean((window as unknown as { next?: { version?: string } }).next?.version));
  await expect(page.locator('main').first()).toBeVisible();
}

// The routes are visited in one signed-in admin context, each in a page of its own (its own
// listeners, a fresh document): the context's HTTP cache spares each visit a sign-in and the
// download and compile of the shared chunks, which cost seconds per route on a busy machine.
// Every page loads, hydrates and runs its scripts all the same; the CSP applies to each document.
let admin: BrowserContext | undefined;
test.afterAll(async () => {
  await admin?.close();
  admin = undefined;
});

for (const route of CONSOLE_ROUTES) {
  test(`${route} loads without a CSP violation`, async ({ browser }) => {
    if (!admin) {
      const s = e2eState();
      admin = (await signedInPage(browser, s.adminName, s.adminPassword)).context();
    }
    const page = await admin.newPage();
    const violations = await watchCsp(page);
    const res = await page.goto(route);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    await loaded(page);
    await expect(page.getByRole('heading').first()).toBeVisible();
    expect(violations).toEqual([]);
    await page.close();
  });
}

test('a rollout page loads without a CSP violation', async ({ operatorPage: page }) => {
  const spec = { name: `csp ${Date.now().toString(36)}`, service: 'payment-svc', stableVersion: 'v1', canaryVersion: 'v2', steps: [{ kind: 'setWeight', weight: 10 }], backgroundAnalysis: null, alpha: 0.01 };
  const created = await mutate(page.request, 'rollouts.create', { spec });
  expect(created.status(), await created.text()).toBe(200);
  const { id } = ((await created.json()) as { result: { data: { json: { id: string } } } }).result.data.json;
  const violations = await watchCsp(page);
  const res = await page.goto(`/rollouts/${id}`);
  expect(res?.status()).toBe(200);
  await loaded(page);
  await expect(page.getByRole('heading', { name: 'Approvals' })).toBeVisible();
  expect(violations).toEqual([]);
});

test('an experiment page (its form validating with zod, the live target preview) loads without a CSP violation', async ({ operatorPage: page }) => {
  const draft = {
    name: `csp ${Date.now().toString(36)}`,
    spec: {
      fault: { kind: 'delay', delayMs: 200, jitterMs: 300 },
      targets: { regions: [], zones: [], clusters: ['euw-c-1'], services: ['edge-gateway'], versions: [], labels: {} },
      durationS: 60,
    },
  };
  const created = await mutate(page.request, 'experiments.create', { draft });
  expect(created.status(), await created.text()).toBe(200);
  const { id } = ((await created.json()) as { result: { data: { json: { id: string } } } }).result.data.json;
  const violations = await watchCsp(page);
  const res = await page.goto(`/experiments/${id}`);
  expect(res?.status()).toBe(200);
  await loaded(page);
  await expect(page.getByRole('status', { name: 'Blast radius check' })).toContainText('within the blast radius');
  // Editing validates with the shared zod schema in the browser (jitless: no eval).
  await page.getByLabel('Duration').fill('5');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Duration: at least 10 s')).toBeVisible();
  expect(violations).toEqual([]);
});

test('signing in through the form works under the CSP and the CSRF check', async ({ browser }) => {
  const s = e2eState();
  const context = await browser.newContext();
  const page = await context.newPage();
  const violations = await watchCsp(page);
  await page.goto('/login?next=/topology');
  await loaded(page);
  await page.getByLabel('User name').fill(s.adminName);
  await page.getByLabel('Password').fill(s.adminPassword);
  await page.getByRole('button', { name: /sign in/i }).click();
  await expect(page).toHaveURL(/\/topology$/);
  await loaded(page);
  expect(violations).toEqual([]);
  await context.close();
});

test('pages and API answers carry the security headers; a cross-port form cannot change anything', async ({ adminPage: page }) => {
  for (const path of ['/', '/login', '/api/health', '/api/trpc/auth.me']) {
    const res = await page.request.get(path, { maxRedirects: 0 });
    const h = res.headers();
    expect(h['x-content-type-options'], path).toBe('nosniff');
    expect(h['referrer-policy'], path).toBe('same-origin');
    expect(h['x-frame-options'], path).toBe('DENY');
    expect(h['content-security-policy'], path).toContain("frame-ancestors 'none'");
  }
  const port = new URL(e2eState().url).port;
  const forged = await page.request.post('/api/trpc/sim.clear', { multipart: { x: '1' }, headers: { origin: `http://127.0.0.1:${Number(port) + 1}` } });
  expect(forged.status()).toBe(415);
  const crossOrigin = await page.request.post('/api/trpc/sim.clear', { data: { json: {} }, headers: { origin: `http://127.0.0.1:${Number(port) + 1}` } });
  expect(crossOrigin.status()).toBe(403);
});

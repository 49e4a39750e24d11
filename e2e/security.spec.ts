import { test, expect, createUserViaApi } from './support/fixtures';

// `next=` after signing in never leaves the site, and never breaks the login page.
const OFF_SITE = ['/%09/127.0.0.1:3999/x', '/%0a/127.0.0.1:3999/x', '/%E3%80%82/x', '//127.0.0.1:3999/x', '/%5C127.0.0.1:3999/x', 'https://127.0.0.1:3999/x', 'javascript:alert(1)'];

test('signing in through /login?next=/%09/… ends on the site itself', async ({ adminPage, browser, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const name = `sec${Date.now().toString(36)}`;
  const password = await createUserViaApi(adminPage, name, 'viewer');
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/login?next=/%09/127.0.0.1:3999/x');
  await page.getByLabel('User name').fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  expect(new URL(page.url()).origin).toBe(origin);
  await context.close();
});

test('a signed-in user sent to /login?next=… is redirected on the site, never to another origin and never with a 500', async ({ adminPage, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  for (const next of OFF_SITE) {
    const res = await adminPage.request.get(`/login?next=${next}`, { maxRedirects: 0 });
    expect(res.status(), next).toBe(307);
    const target = new URL(res.headers().location!, origin);
    expect(target.origin, next).toBe(origin);
  }
  // A good path keeps its query.
  const res = await adminPage.request.get(`/login?next=${encodeURIComponent('/audit?action=service.update')}`, { maxRedirects: 0 });
  expect(res.headers().location).toBe('/audit?action=service.update');
});

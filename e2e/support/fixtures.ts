import { test as base, expect, type Browser, type Page } from '@playwright/test';
import { e2eState } from './state';

/** Signs a fresh browser context in through the API (faster than the form; the form has its own test). */
export async function signedInPage(browser: Browser, name: string, password: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const res = await page.request.post('/api/trpc/auth.login', { data: { json: { name, password } } });
  expect(res.status(), await res.text()).toBe(200);
  return page;
}

export const test = base.extend<{ adminPage: Page }>({
  adminPage: async ({ browser }, use) => {
    const s = e2eState();
    const page = await signedInPage(browser, s.adminName, s.adminPassword);
    await use(page);
    await page.context().close();
  },
});

export { expect };

/** Creates a user as admin through the API; returns the generated password. */
export async function createUserViaApi(page: Page, name: string, role: 'viewer' | 'operator' | 'approver' | 'admin') {
  const res = await page.request.post('/api/trpc/users.create', { data: { json: { name, role } } });
  expect(res.status(), await res.text()).toBe(200);
  const body = (await res.json()) as { result: { data: { json: { generatedPassword: string } } } };
  return body.result.data.json.generatedPassword;
}

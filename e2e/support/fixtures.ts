import { randomBytes } from 'node:crypto';
import { test as base, expect, request, type APIRequestContext, type Browser, type BrowserContextOptions, type Page } from '@playwright/test';
import { e2eState } from './state';

export type RoleName = 'viewer' | 'operator' | 'approver' | 'admin';

/** The origin the tests browse (playwright.config's baseURL): the console sends it on every change. */
const origin = () => `http://127.0.0.1:${process.env.E2E_PORT ?? '3210'}`;

type StorageState = Awaited<ReturnType<APIRequestContext['storageState']>>;

/**
 * Session cookies by user name, one sign-in per user per worker (a worker is a process: this map
 * is its own). Each sign-in hashes the password with scrypt on the server, a fraction of a second
 * on a busy machine, and the tests asked for a signed-in page ~150 times; a session lives for hours
 * and no spec ends a shared one (the sign-out test signs in on its own, see `freshSignedInPage`).
 */
const sessions = new Map<string, Promise<StorageState>>();

async function signIn(name: string, password: string): Promise<StorageState> {
  const api = await request.newContext({ baseURL: origin() });
  try {
    const res = await api.post('/api/trpc/auth.login', { data: { json: { name, password } }, headers: { origin: origin() } });
    expect(res.status(), await res.text()).toBe(200);
    return await api.storageState();
  } finally {
    await api.dispose();
  }
}

/** The signed-in state of `name` (cookies), signed in once per worker; a failed sign-in is not kept. */
export function sessionState(name: string, password: string): Promise<StorageState> {
  const key = `${name}\n${password}`;
  let state = sessions.get(key);
  if (!state) {
    state = signIn(name, password);
    sessions.set(key, state);
    state.catch(() => sessions.delete(key));
  }
  return state;
}

/** A fresh browser context signed in as `name`, sharing the worker's session of that user (the form has its own test). */
export async function signedInPage(browser: Browser, name: string, password: string, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ ...options, storageState: await sessionState(name, password) });
  return context.newPage();
}

/** A browser context with a session of its own (for a test that ends it: signing out must not end the other tests' one). */
export async function freshSignedInPage(browser: Browser, name: string, password: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const res = await page.request.post('/api/trpc/auth.login', { data: { json: { name, password } }, headers: { origin: origin() } });
  expect(res.status(), await res.text()).toBe(200);
  return page;
}

interface Credentials {
  name: string;
  password: string;
}

/**
 * One page per role. The non-admin users are created once per worker through the admin API, with
 * names of their own, so tests that change users do not disturb them.
 */
export const test = base.extend<
  { adminPage: Page; viewerPage: Page; operatorPage: Page; approverPage: Page },
  { roleUsers: Record<Exclude<RoleName, 'admin'>, Credentials> }
>({
  roleUsers: [
    async ({ browser }, use) => {
      const s = e2eState();
      const admin = await signedInPage(browser, s.adminName, s.adminPassword);
      const tag = randomBytes(3).toString('hex');
      const users = {} as Record<Exclude<RoleName, 'admin'>, Credentials>;
      for (const role of ['viewer', 'operator', 'approver'] as const) {
        const name = `e2e-${role}-${tag}`;
        users[role] = { name, password: await createUserViaApi(admin, name, role) };
      }
      await admin.context().close();
      await use(users);
    },
    { scope: 'worker' },
  ],
  adminPage: async ({ browser }, use) => {
    const s = e2eState();
    const page = await signedInPage(browser, s.adminName, s.adminPassword);
    await use(page);
    await page.context().close();
  },
  viewerPage: async ({ browser, roleUsers }, use) => {
    const page = await signedInPage(browser, roleUsers.viewer.name, roleUsers.viewer.password);
    await use(page);
    await page.context().close();
  },
  operatorPage: async ({ browser, roleUsers }, use) => {
    const page = await signedInPage(browser, roleUsers.operator.name, roleUsers.operator.password);
    await use(page);
    await page.context().close();
  },
  approverPage: async ({ browser, roleUsers }, use) => {
    const page = await signedInPage(browser, roleUsers.approver.name, roleUsers.approver.password);
    await use(page);
    await page.context().close();
  },
});

export { expect };

/** A tRPC mutation from a signed-in page's context, as the console sends it (JSON, own origin). */
export function mutate(request: APIRequestContext, path: string, input: unknown) {
  return request.post(`/api/trpc/${path}`, { data: { json: input }, headers: { origin: origin() } });
}

/** A tRPC query through the API that must answer 200; its data. */
export async function query<T>(request: APIRequestContext, path: string, input?: unknown): Promise<T> {
  const qs = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  const res = await request.get(`/api/trpc/${path}${qs}`);
  expect(res.status(), await res.text()).toBe(200);
  return ((await res.json()) as { result: { data: { json: T } } }).result.data.json;
}

/** A tRPC mutation through the API that must answer 200; its data. */
export async function ok<T>(request: APIRequestContext, path: string, input: unknown): Promise<T> {
  const res = await mutate(request, path, input);
  expect(res.status(), await res.text()).toBe(200);
  return ((await res.json()) as { result: { data: { json: T } } }).result.data.json;
}

/** Creates a user as admin through the API; returns the generated password. */
export async function createUserViaApi(page: Page, name: string, role: RoleName) {
  const res = await mutate(page.request, 'users.create', { name, role });
  expect(res.status(), await res.text()).toBe(200);
  const body = (await res.json()) as { result: { data: { json: { generatedPassword: string } } } };
  return body.result.data.json.generatedPassword;
}

/**
 * Aborts every rollout still active on `service` (a spec that failed half-way must not hold the
 * service's routing for the specs after it: one rollout at a time owns a service).
 */
export async function abortActiveRollouts(request: APIRequestContext, service: string, reason: string) {
  const res = await request.get(`/api/trpc/rollouts.list?input=${encodeURIComponent(JSON.stringify({ json: { service } }))}`);
  expect(res.status(), await res.text()).toBe(200);
  const rows = ((await res.json()) as { result: { data: { json: Array<{ id: string; version: number; state: string }> } } }).result.data.json;
  for (const r of rows.filter((x) => ['progressing', 'paused', 'promoting'].includes(x.state))) {
    const aborted = await mutate(request, 'rollouts.abort', { id: r.id, version: r.version, reason });
    // 409: it ended (or moved) in between; the list is read again by the next spec anyway.
    expect([200, 409], await aborted.text()).toContain(aborted.status());
  }
}

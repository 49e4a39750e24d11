import { test, expect } from './support/fixtures';

// The API reference page (issue 13): rendered from /api/v1/openapi.json of the same origin (no
// CDN), endpoints by tag with the role they need, a filter kept in the URL, an anchor per
// operation that survives a reload; and /api/v1 itself answering through the real server.

test('the reference lists endpoints by tag with their role; the filter and the anchor live in the URL', async ({ viewerPage: page }) => {
  const external: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith('http://127.0.0.1')) external.push(r.url());
  });
  await page.goto('/api-docs');
  await expect(page.getByRole('heading', { name: 'API reference', level: 1 })).toBeVisible();
  await expect(page.getByText('curl -sS -H "Authorization: Bearer $SWITCHBACK_TOKEN"')).toBeVisible();
  const health = page.getByRole('article', { name: /GET\s*\/system\/health/ });
  await expect(health).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('heading', { name: 'system', level: 2 })).toBeVisible();
  await expect(health).toContainText('viewer role or higher');
  await expect(health.getByRole('list', { name: 'Answers of GET /system/health' })).toContainText('401');

  await page.getByLabel('Filter endpoints').fill('workers');
  await expect(page).toHaveURL(/[?&]q=workers/);
  await expect(health).toBeHidden();
  const workers = page.getByRole('article', { name: /GET\s*\/system\/workers/ });
  await expect(workers).toBeVisible();
  await expect(workers.getByRole('table', { name: 'Parameters of GET /system/workers' })).toContainText('limit');

  await workers.getByRole('link', { name: 'Link to GET /system/workers' }).click();
  await expect(page).toHaveURL(/#listWorkers$/);
  await page.reload();
  await expect(page.getByLabel('Filter endpoints')).toHaveValue('workers');
  await expect(workers).toBeFocused({ timeout: 30_000 });
  expect(external).toEqual([]);

  await page.getByLabel('Filter endpoints').fill('no such endpoint anywhere');
  await expect(page.getByRole('heading', { name: 'No endpoint matches this filter' })).toBeVisible();
});

test('the API is reachable from the nav, and /api/v1 answers through the real server', async ({ viewerPage: page }) => {
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API', exact: true }).click();
  await expect(page).toHaveURL(/\/api-docs$/);

  const doc = await page.request.get('/api/v1/openapi.json', { headers: { cookie: '' } });
  expect(doc.status()).toBe(200);
  expect(((await doc.json()) as { openapi: string }).openapi).toBe('3.1.0');
  // A console session is not a token: the REST API wants a bearer token.
  const noToken = await page.request.get('/api/v1/system/health');
  expect(noToken.status()).toBe(401);
  expect(noToken.headers()['content-type']).toBe('application/problem+json');
  expect(noToken.headers()['www-authenticate']).toMatch(/^Bearer/);
  const unknown = await page.request.get('/api/v1/no/such/thing');
  expect(unknown.status()).toBe(404);
});

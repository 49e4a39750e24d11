import { test, expect, mutate } from './support/fixtures';

// One signed-in page per role (fixtures): what each role is offered in the console matches what
// the API lets it do, so a button never invites a click the server will refuse.

test('a viewer reads policies but is offered no draft or publish, and the API refuses its commands', async ({ viewerPage: page }) => {
  await page.goto('/policies');
  await expect(page.getByLabel('Role: viewer')).toBeVisible();
  await expect(page.getByText('Viewers read policies; operators draft and preview.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Publish…' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Users' })).toHaveCount(0);
  const res = await mutate(page.request, 'sim.clear', {});
  expect(res.status()).toBe(403);
});

test('an operator drafts but does not publish; simulator commands are allowed', async ({ operatorPage: page }) => {
  await page.goto('/policies');
  await expect(page.getByLabel('Role: operator')).toBeVisible();
  await expect(page.getByText('Only an admin publishes; save a draft for them.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Publish…' })).toHaveCount(0);
  expect((await mutate(page.request, 'sim.clear', {})).status()).toBe(200);
  expect((await mutate(page.request, 'users.create', { name: 'nope', role: 'viewer' })).status()).toBe(403);
});

test('an approver is an operator and more, but not an admin', async ({ approverPage: page }) => {
  await page.goto('/');
  await expect(page.getByLabel('Role: approver')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Users' })).toHaveCount(0);
  expect((await page.request.get('/api/trpc/users.list')).status()).toBe(403);
});

test('an admin is offered publishing and user management', async ({ adminPage: page }) => {
  await page.goto('/policies');
  await expect(page.getByLabel('Role: admin')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Publish…' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Users' })).toBeVisible();
});

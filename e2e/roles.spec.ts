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

// The Safety page (issue 12): who is offered which lever matches the safety router's roles.
test('safety: a viewer reads freeze windows and limits with no control; the API refuses a halt and a window', async ({ viewerPage: page }) => {
  await page.goto('/safety');
  await expect(page.getByRole('heading', { name: 'Freeze windows', exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/Global blast-radius maximum: \d+ %/)).toBeVisible();
  await expect(page.getByRole('button', { name: /Halt all|New freeze window|Save maximum/ })).toHaveCount(0);
  expect((await mutate(page.request, 'safety.haltEngage', { reason: 'viewer tries' })).status()).toBe(403);
  expect((await mutate(page.request, 'safety.freezes.create', { window: { name: 'nope', reason: 'nope', kind: 'one_off', startsAt: Date.now() + 86_400_000, endsAt: Date.now() + 90_000_000 } })).status()).toBe(403);
});

test('safety: an operator may halt but not manage freeze windows or limits', async ({ operatorPage: page }) => {
  await page.goto('/safety');
  await expect(page.getByRole('heading', { name: 'Freeze windows', exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('button', { name: 'Halt all…' }).first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'New freeze window…' })).toHaveCount(0);
  await expect(page.getByLabel(/Global blast-radius maximum/)).toHaveCount(0);
  expect((await mutate(page.request, 'safety.limits.set', { version: 0, limits: { maxBlastRadiusPct: 10 } })).status()).toBe(403);
});

test('safety: an approver manages freeze windows (a cron in error is said next to its field; delete is confirmed), an admin sets the limit', async ({ approverPage: page, adminPage }) => {
  const name = `e2e window ${Date.now().toString(36)}`;
  // 12 hours from now, so the window never freezes the shared app while it exists.
  const cron = `0 ${(new Date().getUTCHours() + 12) % 24} * * *`;
  await page.goto('/safety');
  await page.getByRole('button', { name: 'New freeze window…' }).click();
  const form = page.getByRole('dialog', { name: 'New freeze window' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Reason').fill('quarter close');
  await form.getByRole('radio', { name: /^Recurring/ }).check();
  await form.getByLabel('Starts (cron, UTC)').fill('0 25 * * *');
  await form.getByLabel('Length (minutes)').fill('90');
  await form.getByRole('button', { name: 'Create window' }).click();
  await expect(form.getByText(/^Cron: .*hour/i)).toBeVisible();
  await form.getByLabel('Starts (cron, UTC)').fill(cron);
  await expect(form.getByText(/^Next starts: /)).toBeVisible();
  await form.getByRole('button', { name: 'Create window' }).click();
  await expect(form).toBeHidden({ timeout: 30_000 });
  const row = page.getByRole('table', { name: 'Freeze windows' }).getByRole('row').filter({ hasText: name });
  await expect(row).toContainText(`Every "${cron}" (UTC) for 1 h 30 min`);
  await expect(row.getByRole('list', { name: `Next occurrences of ${name}` }).getByRole('listitem')).toHaveCount(3);
  await row.getByRole('button', { name: `Delete ${name}` }).click();
  const confirm = page.getByRole('dialog', { name: `Delete freeze window: ${name}` });
  await confirm.getByRole('button', { name: 'Delete window' }).click();
  await expect(row).toHaveCount(0, { timeout: 30_000 });

  await adminPage.goto('/safety');
  const limit = adminPage.getByLabel(/Global blast-radius maximum/);
  await expect(limit).toBeVisible({ timeout: 30_000 });
  const before = await limit.inputValue();
  await limit.fill('101');
  await adminPage.getByRole('button', { name: 'Save maximum' }).click();
  await expect(adminPage.getByText('Enter a percentage from 1 to 100')).toBeVisible();
  await limit.fill(before);
  await adminPage.getByRole('button', { name: 'Save maximum' }).click();
  await expect(adminPage.getByRole('status').filter({ hasText: `experiments are now capped at ${before} %` })).toBeVisible({ timeout: 30_000 });
});

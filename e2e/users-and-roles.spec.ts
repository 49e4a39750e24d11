import { test, expect, signedInPage } from './support/fixtures';

test('an admin creates an operator, who can sign in but cannot open the Users page', async ({ adminPage: page, browser }) => {
  const name = `op${Date.now().toString(36)}`;
  await page.goto('/settings/users');
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();
  await page.getByRole('button', { name: 'New user' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('User name').fill('Bad Name');
  await dialog.getByLabel('Role').selectOption('operator');
  await dialog.getByRole('button', { name: 'Create user' }).click();
  // Field-level validation, in words, next to the field.
  await expect(dialog.getByText(/lowercase letters/)).toBeVisible();
  await dialog.getByLabel('User name').fill(name);
  await dialog.getByRole('button', { name: 'Create user' }).click();
  const shown = page.getByTestId('generated-password');
  await expect(shown).toHaveText(/^[A-Za-z0-9]{20}$/);
  const password = (await shown.textContent())!.trim();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('cell', { name, exact: true })).toBeVisible();

  const op = await signedInPage(browser, name, password);
  await op.goto('/');
  await expect(op.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await expect(op.getByRole('link', { name: 'Users' })).toHaveCount(0);
  await op.goto('/settings/users');
  await expect(op.getByText('You need the admin role to manage users')).toBeVisible();
  // The API refuses too, not just the page.
  const res = await op.request.get('/api/trpc/users.list');
  expect(res.status()).toBe(403);
  await op.context().close();
});

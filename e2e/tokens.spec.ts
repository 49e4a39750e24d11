import type { Page } from '@playwright/test';
import { axeViolations } from './support/axe';
import { test, expect, mutate, sessionState } from './support/fixtures';
import { e2eState } from './support/state';

// Settings → API tokens: a token is created with its role capped at the user's, its secret is
// shown once (never again after the dialog closes), the table shows its prefix, and revoking asks
// first. Tokens are for the REST API only: the console's tRPC endpoint ignores them.
test('an operator creates a token, sees the secret once, and revokes it after confirming', async ({ operatorPage: page, request }) => {
  const name = `deploy-${Date.now().toString(36)}`;
  await page.goto('/settings/tokens');
  await expect(page.getByRole('heading', { name: 'API tokens', level: 1 })).toBeVisible();
  // The operator is shared with other specs (the CLI's makes tokens for it): the page shows what
  // the API says it has — the empty state (what a token is for, how to call the API) when none.
  const own = (await (await page.request.get('/api/trpc/tokens.list')).json()) as { result: { data: { json: unknown[] } } };
  if (own.result.data.json.length === 0) {
    await expect(page.getByRole('heading', { name: 'You have no API tokens' })).toBeVisible();
    await expect(page.getByText(/curl -H "Authorization: Bearer \$SWITCHBACK_TOKEN" http:\/\/127\.0\.0\.1:\d+\/api\/v1\/tokens/)).toBeVisible();
  } else {
    await expect(page.getByRole('table', { name: 'Your API tokens' }).getByRole('row')).toHaveCount(own.result.data.json.length + 1);
  }

  await page.getByRole('button', { name: 'New token' }).click();
  const dialog = page.getByRole('dialog');
  // The role select offers no more than the operator's own role.
  await expect(dialog.getByLabel('Role').locator('option')).toHaveText(['viewer', 'operator']);
  // An empty name is refused in words next to the field.
  await dialog.getByRole('button', { name: 'Create token' }).click();
  await expect(dialog.getByText('Enter a name (e.g. deploy-bot)')).toBeVisible();
  // A date in the past is refused next to the date.
  await dialog.getByLabel('Expires').selectOption('date');
  await dialog.getByLabel(/Expiry date/).fill('2020-01-01T10:00');
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByRole('button', { name: 'Create token' }).click();
  await expect(dialog.getByText('The expiry must be in the future')).toBeVisible();
  await dialog.getByLabel('Expires').selectOption('30');
  await dialog.getByLabel('Role').selectOption('operator');
  await dialog.getByRole('button', { name: 'Create token' }).click();

  const shown = page.getByTestId('generated-token');
  await expect(shown).toHaveText(/^sbt_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
  const secret = (await shown.textContent())!.trim();
  await expect(page.getByRole('dialog')).toContainText('it will not be shown again');
  await expect(page.getByRole('button', { name: 'Copy token' })).toBeVisible();
  await page.getByRole('button', { name: 'Done' }).click();

  const table = page.getByRole('table', { name: 'Your API tokens' });
  const row = table.getByRole('row').filter({ hasText: name });
  await expect(row).toContainText(`sbt_${secret.slice(4, 12)}_…`);
  await expect(row).toContainText('operator');
  await expect(row).toContainText('never');
  await expect(row).toContainText('active');
  // Never shown again: not after a reload, not in what the API lists.
  await page.reload();
  await expect(table.getByRole('row').filter({ hasText: name })).toBeVisible();
  await expect(page.getByText(secret)).toHaveCount(0);
  const listed = await page.request.get('/api/trpc/tokens.list');
  expect(await listed.text()).not.toContain(secret.slice(13));

  // The token works for the REST API (and records its last use) …
  const viaRest = await request.get('/api/v1/tokens', { headers: { authorization: `Bearer ${secret}` } });
  expect(viaRest.status(), await viaRest.text()).toBe(200);
  expect(((await viaRest.json()) as { items: Array<{ name: string }> }).items.map((i) => i.name)).toContain(name);
  await page.reload();
  await expect(table.getByRole('row').filter({ hasText: name })).toContainText(/from (127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)/);
  // What a token does is audited as its user, naming the token.
  const child = `child-${Date.now().toString(36)}`;
  const made = await request.post('/api/v1/tokens', { headers: { authorization: `Bearer ${secret}` }, data: { name: child, role: 'viewer', expiresInDays: 1 } });
  expect(made.status(), await made.text()).toBe(201);
  await page.goto('/audit');
  await expect(page.getByRole('table', { name: 'Audit events' }).getByRole('row').filter({ hasText: child }).first()).toContainText(`via token ${name}`);
  await page.goto('/settings/tokens');
  // … but not for the console's own endpoint.
  const viaTrpc = await request.get('/api/trpc/tokens.list', { headers: { authorization: `Bearer ${secret}` } });
  expect(viaTrpc.status()).toBe(401);

  // A second live token of the same name: refused in words next to the name.
  await page.getByRole('button', { name: 'New token' }).click();
  await page.getByRole('dialog').getByLabel('Name').fill(name);
  await page.getByRole('dialog').getByRole('button', { name: 'Create token' }).click();
  await expect(page.getByRole('dialog').getByText('You already have a live token with this name')).toBeVisible();
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

  // Revoking asks first; cancelling changes nothing.
  await row.getByRole('button', { name: `Revoke ${name}` }).click();
  const confirm = page.getByRole('dialog', { name: `Revoke the token "${name}"?` });
  await expect(confirm).toContainText('cannot be undone');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(row).toContainText('active');
  await row.getByRole('button', { name: `Revoke ${name}` }).click();
  await confirm.getByLabel('Reason (optional)').fill('rotating');
  await confirm.getByRole('button', { name: 'Revoke token' }).click();
  await expect(confirm).toBeHidden();
  await expect(row).toContainText('revoked');
  await expect(row.getByRole('button', { name: /Revoke/ })).toHaveCount(0);
  const afterRevoke = await request.get('/api/v1/tokens', { headers: { authorization: `Bearer ${secret}` } });
  expect(afterRevoke.status()).toBe(401);
});

test("an admin sees every user's tokens with their owner and revokes one", async ({ operatorPage, adminPage }) => {
  const name = `ci-${Date.now().toString(36)}`;
  const made = await mutate(operatorPage.request, 'tokens.create', { name, role: 'viewer', expiresInDays: 7 });
  expect(made.status(), await made.text()).toBe(200);

  await adminPage.goto('/settings/tokens?view=all');
  await expect(adminPage.getByRole('button', { name: 'Every user’s' })).toHaveAttribute('aria-pressed', 'true');
  const row = adminPage.getByRole('table', { name: "Every user's API tokens" }).getByRole('row').filter({ hasText: name });
  await expect(row).toContainText('e2e-operator-');
  await row.getByRole('button', { name: new RegExp(`^Revoke ${name} of e2e-operator-`) }).click();
  await adminPage.getByRole('dialog').getByRole('button', { name: 'Revoke token' }).click();
  await expect(row).toContainText('revoked');
  await expect(row).toContainText(`by ${e2eState().adminName}`);

  // The audit page names the revocation.
  await adminPage.goto('/audit');
  await expect(adminPage.getByRole('table', { name: 'Audit events' }).getByRole('row').filter({ hasText: name }).first()).toContainText('token.revoke');
});

/** WCAG 2 A/AA violations of what the page shows now (the open dialog included). */
async function violations(page: Page): Promise<string[]> {
  return (await axeViolations(page)).flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${v.help}`));
}

for (const theme of ['light', 'dark'] as const) {
  test(`the tokens page, the new-token dialog and the secret meet WCAG 2 AA (${theme} theme)`, async ({ browser }) => {
    const s = e2eState();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, storageState: await sessionState(s.adminName, s.adminPassword) });
    await context.addInitScript((t) => localStorage.setItem('switchback-theme', t), theme);
    const page = await context.newPage();
    await page.goto('/settings/tokens?view=all');
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    await expect(page.getByRole('table', { name: "Every user's API tokens" }).or(page.getByRole('heading', { name: 'No user has an API token' }))).toBeVisible();
    const found = await violations(page);
    await page.getByRole('button', { name: 'Yours', exact: true }).click();
    await page.getByRole('button', { name: 'New token' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Create token' }).click();
    await expect(page.getByRole('dialog').getByText('Enter a name (e.g. deploy-bot)')).toBeVisible();
    found.push(...(await violations(page)));
    await page.getByRole('dialog').getByLabel('Name').fill(`a11y-${theme}-${Date.now().toString(36)}`);
    await page.getByRole('dialog').getByRole('button', { name: 'Create token' }).click();
    await expect(page.getByTestId('generated-token')).toBeVisible();
    found.push(...(await violations(page)));
    expect(found).toEqual([]);
    await context.close();
  });
}

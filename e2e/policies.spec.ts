import { createUserViaApi, signedInPage, test, expect, mutate } from './support/fixtures';

// Policies (issue 5): an override of the stage-break watermark for one service, previewed against
// the last minutes of the demo's telemetry, published by an admin; operators cannot publish.

test('an admin overrides the stage-break watermark of a service: field errors in words, what-if numbers, publish, history', async ({ adminPage: page }) => {
  test.setTimeout(90_000);
  await page.goto('/policies?kind=watermark');
  await page.getByLabel('Override for a service').selectOption({ label: 'payment-svc' });
  await expect(page).toHaveURL(/kind=watermark&scope=service%3A[0-9a-f-]{36}/);
  await expect(page.getByText('not overridden: inherits the global default')).toBeVisible();

  const breakAt = page.getByLabel('Stage-break watermark');
  await breakAt.fill('150');
  await page.getByRole('button', { name: 'Preview what-if (last 15 min)' }).click();
  await expect(page.getByText('Stage-break watermark: at most 100 %')).toBeVisible();

  await page.getByLabel('Degrade watermark').fill('70');
  await breakAt.fill('80');
  const yourChanges = page.getByRole('table', { name: 'Your changes' });
  await expect(yourChanges).toContainText('Stage-break watermark');
  await expect(yourChanges).toContainText('Degrade watermark');
  await expect(yourChanges).not.toContainText('degradePct');
  // The preview's request is held until the progress bar has been seen: it shows while the
  // preview is pending, and goes when the answer arrives.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const isPreview = (u: URL) => u.pathname === '/api/trpc/policies.preview';
  await page.route(isPreview, async (route) => {
    await held;
    await route.continue();
  });
  await page.getByRole('button', { name: 'Preview what-if (last 15 min)' }).click();
  const bar = page.getByRole('progressbar', { name: 'What-if preview progress' });
  await expect(bar).toBeVisible();
  await expect(page.getByText(/^(Reading the stored samples…|Replayed .*) · \d+ s$/)).toBeVisible();
  release();
  const preview = page.getByRole('region', { name: 'What-if preview' });
  await expect(preview).toBeVisible({ timeout: 20_000 });
  await expect(bar).toHaveCount(0);
  await page.unroute(isPreview);
  await expect(preview.getByRole('status')).toHaveText(/\.$/);
  await expect(preview).toContainText(/\b\d{1,3}(,\d{3})* instances, \d{1,3}(,\d{3})* stored samples, replayed twice \(published policy and this draft\) in (\d+ ms|[\d,]+\.\d s) on two threads\./);
  await expect(preview.getByRole('table', { name: 'What-if counts' })).toContainText('Stage-breaks');

  await page.getByRole('button', { name: 'Publish…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Publish version 1?' });
  await dialog.getByRole('button', { name: 'Publish' }).click();
  await expect(dialog.getByText('Say what changed and why')).toBeVisible();
  await dialog.getByLabel('Message').fill('payment-svc breaks stages earlier');
  await dialog.getByRole('button', { name: 'Publish' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('version 1', { exact: true })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Policy versions' })).toContainText('payment-svc breaks stages earlier');
  await expect(page.getByLabel('Stage-break watermark')).toHaveValue('80');

  // The change is on the timeline, with who and which version.
  await page.goto('/timeline?kinds=policy');
  await expect(page.getByRole('table', { name: 'Events' })).toContainText('Policy watermark · payment-svc v1');
  await expect(page.getByRole('table', { name: 'Events' })).toContainText('by admin: payment-svc breaks stages earlier');
  await expect(page.getByRole('button', { name: /^Policy watermark · payment-svc v1 at .*: by admin/ })).toBeVisible();

  // The new threshold is on the ladder's edge for a payment-svc instance; other services keep 95 %.
  await page.goto('/machines?machine=degradation&instance=payment-svc-euw-a-1-v1-1');
  await expect(page.getByRole('button', { name: /^Edge L0 → L2: a buffer ≥ 80 % for 5 s \(stage broken\), fired \d+ times?$/ })).toBeVisible();
  await page.goto('/machines?machine=degradation&instance=inventory-svc-euw-a-1-v1-1');
  await expect(page.getByRole('button', { name: /^Edge L0 → L2: a buffer ≥ 95 % for 5 s/ })).toBeVisible();
});

test('an operator can preview but not publish; the API refuses a publish too', async ({ adminPage: admin, browser }) => {
  const name = `op-pol-${Date.now() % 100000}`;
  const password = await createUserViaApi(admin, name, 'operator');
  const page = await signedInPage(browser, name, password);
  await page.goto('/policies?kind=breaker');
  await expect(page.getByRole('button', { name: 'Preview what-if (last 15 min)' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Publish…' })).toHaveCount(0);
  await expect(page.getByText('Only an admin publishes; save a draft for them.')).toBeVisible();
  const res = await mutate(page.request, 'policies.publish', { kind: 'breaker', scope: 'global', expectedVersion: 1, document: {}, message: 'x' });
  expect(res.status()).toBe(403);
  await page.context().close();
});

test('the override picker is styled like the editor’s own selects', async ({ adminPage: page }) => {
  // Issue 14: the "Override for a service" select was the browser's default control.
  await page.goto('/policies?kind=weight');
  const look = (name: string) =>
    page.getByRole('combobox', { name }).evaluate((el) => {
      const s = getComputedStyle(el);
      return { border: s.borderTopColor, radius: s.borderTopLeftRadius, background: s.backgroundColor, padding: s.paddingLeft, font: s.fontSize };
    });
  await expect(page.getByRole('combobox', { name: 'Model' })).toBeVisible({ timeout: 20_000 });
  expect(await look('Override for a service')).toEqual(await look('Model'));
});

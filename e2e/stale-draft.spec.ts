import { signedInPage, test, expect } from './support/fixtures';
import { e2eState } from './support/state';
import type { Page } from '@playwright/test';

// Issue 10, "Nothing lost": two admin tabs on Policies → Weight. Tab B edits the CPU alert
// threshold and leaves it unpublished; tab A publishes a CPU coefficient change. B must not be able
// to publish its stale form as the next version (that reverted A's change): the server refuses it
// against B's base version, B sees who changed what, rebases field by field, and then publishes
// both changes.

const versionOf = async (page: Page) => Number((await page.getByText(/^version \d+$/).textContent())!.replace('version ', ''));

async function policyDoc(page: Page) {
  const input = encodeURIComponent(JSON.stringify({ json: { kind: 'weight', scope: 'global' } }));
  const res = await page.request.get(`/api/trpc/policies.get?input=${input}`);
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { result: { data: { json: { version: number; document: { coefficients: { cpu: number }; thresholds: { cpuPct: number } } } } } };
  return body.result.data.json;
}

test('a stale tab cannot revert a newer version: B is shown A’s change, rebases, and publishes both', async ({ browser }) => {
  test.setTimeout(90_000);
  const s = e2eState();
  const a = await signedInPage(browser, s.adminName, s.adminPassword);
  const b = await signedInPage(browser, s.adminName, s.adminPassword);
  try {
    await a.goto('/policies?kind=weight');
    await b.goto('/policies?kind=weight');
    await expect(a.getByText(/^version \d+$/)).toBeVisible();
    await expect(b.getByText(/^version \d+$/)).toBeVisible();
    const v = await versionOf(a);
    expect(await versionOf(b)).toBe(v);
    const before = await policyDoc(a);
    const cpuA = before.document.coefficients.cpu === 0.55 ? 0.45 : 0.55;
    const thresholdB = before.document.thresholds.cpuPct === 70 ? 75 : 70;

    // B edits the CPU alert threshold and keeps it unpublished.
    await b.getByLabel('CPU alert threshold', { exact: true }).fill(String(thresholdB));
    await expect(b.getByRole('table', { name: 'Your changes' })).toContainText('CPU alert threshold');

    // A publishes a CPU coefficient change.
    await a.getByLabel('CPU coefficient', { exact: true }).fill(String(cpuA));
    await a.getByRole('button', { name: 'Publish…' }).click();
    const aDialog = a.getByRole('dialog', { name: `Publish version ${v + 1}?` });
    await aDialog.getByLabel('Message').fill('cpu matters more');
    await aDialog.getByRole('button', { name: 'Publish' }).click();
    await expect(aDialog).toBeHidden();
    await expect(a.getByText(`version ${v + 1}`, { exact: true })).toBeVisible();

    // B's badge follows, and B is told at once that its edit is based on the older version.
    await expect(b.getByText(`version ${v + 1}`, { exact: true })).toBeVisible();
    const panel = b.getByRole('region', { name: 'Newer version published' });
    await expect(panel).toContainText(`Version ${v + 1} was published while you edited version ${v}`);
    await expect(panel).toContainText(`v${v + 1} by ${s.adminName}`);
    await expect(panel.getByRole('table', { name: 'Their changes' })).toContainText('CPU coefficient');
    await expect(panel.getByRole('table', { name: 'Their changes' })).toContainText(String(cpuA));
    await expect(panel.getByRole('table', { name: 'Your changes, kept' })).toContainText('CPU alert threshold');

    // Publishing the stale form anyway is refused by the server against B's base version.
    await b.getByRole('button', { name: 'Publish…' }).click();
    const bDialog = b.getByRole('dialog', { name: `Publish version ${v + 1}?` });
    await bDialog.getByLabel('Message').fill('alert earlier');
    await bDialog.getByRole('button', { name: 'Publish' }).click();
    await expect(bDialog.getByRole('alert')).toContainText(`was changed by ${s.adminName} at`);
    await expect(bDialog.getByRole('alert')).toContainText(`it is now version ${v + 1}; your edit was based on version ${v}`);
    await expect(bDialog.getByRole('table', { name: 'What they changed' })).toContainText('CPU coefficient');
    expect((await policyDoc(b)).version).toBe(v + 1);
    expect((await policyDoc(b)).document.coefficients.cpu).toBe(cpuA);

    // B rebases: A's coefficient is taken, B's threshold kept; then B publishes against v+1.
    await bDialog.getByRole('button', { name: 'Review and rebase my edit' }).click();
    await expect(bDialog).toBeHidden();
    await panel.getByRole('button', { name: `Rebase my edit onto version ${v + 1}` }).click();
    await expect(panel).toBeHidden();
    await expect(b.getByLabel('CPU coefficient', { exact: true })).toHaveValue(String(cpuA));
    await expect(b.getByLabel('CPU alert threshold', { exact: true })).toHaveValue(String(thresholdB));
    await b.getByRole('button', { name: 'Publish…' }).click();
    const bDialog2 = b.getByRole('dialog', { name: `Publish version ${v + 2}?` });
    await bDialog2.getByLabel('Message').fill('alert earlier');
    await bDialog2.getByRole('button', { name: 'Publish' }).click();
    await expect(bDialog2).toBeHidden();
    await expect(b.getByText(`version ${v + 2}`, { exact: true })).toBeVisible();
    const after = await policyDoc(b);
    expect([after.version, after.document.coefficients.cpu, after.document.thresholds.cpuPct]).toEqual([v + 2, cpuA, thresholdB]);
  } finally {
    await a.context().close();
    await b.context().close();
  }
});

test('the policy form refuses -1 before sending: the message in words next to the field, which gets the focus', async ({ adminPage: page }) => {
  await page.goto('/policies?kind=weight');
  const cpu = page.getByLabel('CPU coefficient', { exact: true });
  await cpu.fill('-1');
  await expect(page.getByText('CPU coefficient: at least 0')).toBeVisible();
  await cpu.fill('');
  await expect(page.getByText('CPU coefficient: enter a number between 0 and 1')).toBeVisible();
  await page.getByRole('button', { name: 'Publish…' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(cpu).toBeFocused();
  await expect(cpu).toHaveAttribute('aria-invalid', 'true');
});

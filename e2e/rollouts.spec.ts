import type { APIRequestContext, Page } from '@playwright/test';
import { test, expect, mutate, signedInPage, query } from './support/fixtures';
import { e2eState } from './support/state';

// Canary rollouts in the browser: the wizard refuses a bad rollout next to the field and in the
// YAML; an operator authors one with an approval gate; its author cannot approve (the page says
// why, the API refuses); another user approves; a bad canary is rolled back by the analysis by
// itself, the fleet table says why and its page that the traffic moved back; the preview says when a
// step would overload the canary.

// payment-svc throughout: it has v2 instances, and e2e/live.spec.ts renames inventory-svc.
const T = { timeout: 30_000 };

/** A tRPC query from a signed-in context (GET with the superjson input envelope). */

async function okMutation(request: APIRequestContext, path: string, input: unknown) {
  const res = await mutate(request, path, input);
  expect(res.status(), await res.text()).toBe(200);
  return ((await res.json()) as { result: { data: { json: unknown } } }).result.data.json;
}

/** Removes every step of the wizard's starting rollout, so the test builds its own. */
async function clearSteps(page: Page) {
  const steps = page.getByRole('list', { name: 'Steps', exact: true }).getByRole('listitem');
  while ((await steps.count()) > 0) await page.getByRole('button', { name: 'Remove step 1' }).click();
}

async function addStep(page: Page, kind: string) {
  await page.getByLabel('New step').selectOption({ label: kind });
  await page.getByRole('button', { name: 'Add step' }).click();
}

const step = (page: Page, n: number) => page.getByRole('list', { name: 'Steps', exact: true }).getByRole('listitem').nth(n - 1);

test.describe('rollouts', () => {
  test.afterAll(async ({ browser }) => {
    // The bad canary behaviour is part of the simulated world: leave it as the demo had it.
    const s = e2eState();
    const admin = await signedInPage(browser, s.adminName, s.adminPassword);
    await mutate(admin.request, 'sim.resetVersion', { version: 'v2' });
    await admin.context().close();
  });

  test('the wizard names a bad field next to it and in the YAML, and both views edit one rollout', async ({ operatorPage: page }) => {
    await page.goto('/rollouts/new?service=payment-svc');
    await expect(page.getByRole('heading', { name: 'New rollout', level: 1 })).toBeVisible(T);
    await expect(page.getByLabel('Service', { exact: true })).toHaveValue('payment-svc', T);

    // A name is required, a weight at most 100 %: said next to the field, and nothing is sent.
    await step(page, 2).getByLabel('Canary weight').fill('120');
    await page.getByRole('button', { name: 'Save as draft' }).click();
    await expect(page.getByLabel('Name', { exact: true })).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByText('Enter a name')).toBeVisible();
    await expect(step(page, 2).getByText('Weight: at most 100 %')).toBeVisible();
    await expect(page.getByLabel('Name', { exact: true })).toBeFocused();

    // The same rollout as YAML: the bad value is there, and its problem names its line.
    await page.getByRole('tab', { name: 'YAML' }).click();
    const yaml = page.getByLabel('Rollout as YAML');
    await expect(yaml).toHaveValue(/weight: 120/);
    const text = await yaml.inputValue();
    const line = text.split('\n').findIndex((l) => l.includes('weight: 120')) + 1;
    await yaml.fill(text.replace('weight: 120', 'weight: 130'));
    await expect(page.getByRole('list', { name: 'Problems in the YAML' })).toContainText(`Line ${line}`);
    await expect(page.getByRole('list', { name: 'Problems in the YAML' })).toContainText('Weight: at most 100 %');

    // Fixed in the YAML, with a name: the form shows both edits.
    await yaml.fill(text.replace('weight: 120', 'weight: 35').replace(/^name: .*$/m, 'name: from yaml'));
    await expect(page.getByRole('list', { name: 'Problems in the YAML' })).toHaveCount(0);
    await page.getByRole('tab', { name: 'Form' }).click();
    await expect(page.getByLabel('Name', { exact: true })).toHaveValue('from yaml');
    await expect(step(page, 2).getByLabel('Canary weight')).toHaveValue('35');

    // Reorder by keyboard: the focused "down" button moves step 1 below step 2.
    const first = await step(page, 1).getAttribute('aria-label');
    await step(page, 1).getByRole('button', { name: 'Move step 1 down' }).focus();
    await page.keyboard.press('Enter');
    await expect(step(page, 2)).toHaveAttribute('aria-label', first!.replace('Step 1', 'Step 2'));

    // The preview of a valid rollout: per step, the split it will produce on today's fleet.
    await expect(page.getByRole('region', { name: 'Preview of step 1' })).toBeVisible(T);
    await expect(page.getByRole('region', { name: 'Preview of step 1' })).toContainText('35 %');
  });

  test('an author cannot approve; another approver does; a bad canary rolls back by itself and the fleet table says why', async ({ operatorPage, approverPage, roleUsers }) => {
    test.setTimeout(240_000);
    const tag = Date.now().toString(36);
    const name = `e2e canary ${tag}`;

    // The canary version errs far above stable in the simulated world.
    await okMutation(operatorPage.request, 'sim.setVersion', { version: 'v2', latencyFactor: 1, errorPct: 40, cpuFactor: 1 });

    // The operator authors it in the wizard: an approval gate, then 30 % with an analysis.
    const page = operatorPage;
    await page.goto('/rollouts/new?service=payment-svc');
    await expect(page.getByLabel('Service', { exact: true })).toHaveValue('payment-svc', T);
    await page.getByLabel('Name', { exact: true }).fill(name);
    await clearSteps(page);
    await addStep(page, 'Approval');
    await addStep(page, 'Set weight');
    await step(page, 2).getByLabel('Canary weight').fill('30');
    // Today's guards see an idle canary; the preview says that 30 % is more than v2's two instances
    // can serve (about 17 % of payment-svc's requests), not that no guard would hold it.
    const preview2 = page.getByRole('region', { name: 'Preview of step 2' });
    await expect(preview2).toContainText('overloads v2', T);
    await expect(preview2).toContainText('What v2 does under this share (its errors, its latency) shows only once it carries it');
    await expect(preview2).not.toContainText('No guard would hold it today');
    await addStep(page, 'Analysis');
    await step(page, 3).getByRole('button', { name: 'Remove metric 2 of metrics of step 3' }).click();
    await step(page, 3).getByLabel('Analysis budget').fill('600');
    await page.getByRole('button', { name: 'Save as draft' }).click();
    await expect(page.getByText(/Saved as a draft/)).toBeVisible(T);
    await page.getByRole('button', { name: 'Start rollout' }).click();
    await expect(page).toHaveURL(/\/rollouts\/[0-9a-f-]{36}$/, T);
    const id = page.url().split('/').pop()!;

    // Waiting at the gate: its author is told why they cannot decide, and the API refuses them.
    await expect(page.getByRole('status', { name: 'Rollout state' })).toHaveText(/Paused: waiting for approval/, { timeout: 60_000 });
    await expect(page.getByText('You created or started this rollout: an approver other than its author must decide.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);
    const detail = await query<{ approvals: Array<{ request: { id: string; state: string } }> }>(page.request, 'rollouts.get', { id });
    const requestId = detail.approvals.find((a) => a.request.state === 'open')!.request.id;
    const refused = await mutate(page.request, 'rollouts.decide', { requestId, decision: 'approve', reason: 'my own change' });
    expect(refused.status()).toBe(403);

    // The approver sees it waiting for them (navigation count, fleet table marker) and approves.
    await approverPage.goto('/rollouts');
    await expect(approverPage.getByRole('navigation', { name: 'Main' }).getByText(/waiting for your approval/)).toBeAttached(T);
    const row = approverPage.getByRole('row').filter({ hasText: name });
    await expect(row.getByText('waiting for your approval')).toBeVisible(T);
    await row.getByRole('link', { name }).click();
    await approverPage.getByLabel('Reason for your decision').fill('error budget is fine, go');
    await approverPage.getByRole('button', { name: 'Approve' }).click();
    await expect(approverPage.getByRole('list', { name: 'Decisions on step 1' })).toContainText(`approved by ${roleUsers.approver.name}`, T);
    await expect(approverPage.getByRole('list', { name: 'Decisions on step 1' })).toContainText('error budget is fine, go');

    // The analysis sees the canary's errors and rolls it back by itself; the fleet table says why.
    await page.goto(`/rollouts?service=payment-svc&q=${encodeURIComponent(tag)}`);
    const mine = page.getByRole('row').filter({ hasText: name });
    await expect(mine).toContainText('Rolled back', { timeout: 180_000 });
    await expect(mine).toContainText(/analysis failed/i);
    await expect(mine).toContainText(/canary errors [\d.]+ % vs stable [\d.]+ %/);

    // Its page: the traffic moved back, so the measured share is 0 %, not the canary's last minute.
    await page.goto(`/rollouts/${id}`);
    const share = page.locator('dt', { hasText: 'Canary desired / measured' }).locator('xpath=following-sibling::dd');
    await expect(share).toHaveText('0 % / 0 % (after the rollback)', { timeout: 60_000 });
  });

  test('an approver who started a rollout cannot approve it either', async ({ approverPage: page }) => {
    const spec = {
      name: `e2e self-approval ${Date.now().toString(36)}`,
      service: 'payment-svc',
      stableVersion: 'v1',
      canaryVersion: 'v2',
      steps: [{ kind: 'approval', quorum: 1, expiresInS: 600, onExpiry: 'stay-paused' }],
      backgroundAnalysis: null,
      alpha: 0.01,
    };
    const created = (await okMutation(page.request, 'rollouts.create', { spec })) as { id: string; version: number };
    await okMutation(page.request, 'rollouts.start', created);
    await page.goto(`/rollouts/${created.id}`);
    await expect(page.getByRole('status', { name: 'Rollout state' })).toHaveText(/waiting for approval/, { timeout: 60_000 });
    await expect(page.getByText('You created or started this rollout: an approver other than its author must decide.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);
    const detail = await query<{ version: number; approvals: Array<{ request: { id: string; state: string } }> }>(page.request, 'rollouts.get', { id: created.id });
    const refused = await mutate(page.request, 'rollouts.decide', { requestId: detail.approvals[0]!.request.id, decision: 'approve', reason: 'looks fine to me' });
    expect(refused.status()).toBe(403);
    expect(await refused.text()).toContain('its author may not decide its approvals');
    // Abort (confirmed, with a reason) leaves the service free for other tests.
    await page.getByRole('button', { name: 'Abort…' }).click();
    await page.getByRole('dialog').getByLabel('Reason').fill('cleanup after the test');
    await page.getByRole('dialog').getByRole('button', { name: 'Abort' }).click();
    await expect(page.getByRole('status', { name: 'Rollout state' })).toHaveText(/Rolled back|Aborted/, { timeout: 60_000 });
  });

  test('a stale draft is not saved over: the wizard names the version it is at now', async ({ operatorPage: page }) => {
    const spec = { name: `e2e stale ${Date.now().toString(36)}`, service: 'payment-svc', stableVersion: 'v1', canaryVersion: 'v2', steps: [{ kind: 'setWeight', weight: 10 }], backgroundAnalysis: null, alpha: 0.01 };
    const created = (await okMutation(page.request, 'rollouts.create', { spec })) as { id: string; version: number };
    await page.goto(`/rollouts/new?id=${created.id}`);
    await expect(page.getByRole('heading', { name: 'Edit rollout draft' })).toBeVisible(T);
    await expect(page.getByLabel('Name', { exact: true })).toHaveValue(spec.name);
    // Someone else saves the draft meanwhile.
    const theirs = (await okMutation(page.request, 'rollouts.update', { id: created.id, version: created.version, spec: { ...spec, steps: [{ kind: 'setWeight', weight: 15 }] } })) as { version: number };
    await step(page, 1).getByLabel('Canary weight').fill('25');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect(page.getByRole('alert').filter({ hasText: `it is at version ${theirs.version} now` })).toBeVisible(T);
    await page.getByRole('button', { name: `Load version ${theirs.version} (drops your changes)` }).click();
    await expect(step(page, 1).getByLabel('Canary weight')).toHaveValue('15');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect(page.getByText(`Draft saved (version ${theirs.version + 1}).`)).toBeVisible(T);
  });

  test('the fleet table filters live in the URL and say when nothing matches', async ({ viewerPage: page }) => {
    await page.goto('/rollouts?q=no-such-rollout-anywhere');
    await expect(page.getByRole('heading', { name: 'No rollout matches these filters' })).toBeVisible(T);
    await expect(page.getByRole('searchbox')).toHaveValue('no-such-rollout-anywhere');
    await page.getByLabel('State', { exact: true }).selectOption('succeeded');
    await expect(page).toHaveURL(/state=succeeded/);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect(page).not.toHaveURL(/state=|q=/);
    // A viewer reads; authoring is not offered.
    await expect(page.getByRole('link', { name: 'New rollout' })).toHaveCount(0);
  });
});

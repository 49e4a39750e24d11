import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, expect, mutate, abortActiveRollouts } from './support/fixtures';

// A run that failed half-way must not hold payment-svc's routing for the specs after this one.
test.afterEach(async ({ adminPage }, info) => {
  if (info.status !== info.expectedStatus) await abortActiveRollouts(adminPage.request, 'payment-svc', 'the webhooks spec failed half-way');
});

/** A real receiver on 127.0.0.1 (a free port) that records each request and answers 200 "ok 200". */
async function startReceiver() {
  const requests: Array<{ headers: IncomingHttpHeaders; rawBody: string }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ headers: req.headers, rawBody: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok 200');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    /** The first request whose JSON body has this event. */
    find: (event: string) => requests.map((r) => JSON.parse(r.rawBody) as { event: string; data: Record<string, unknown> }).find((b) => b.event === event),
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

test('an admin subscribes a local receiver, sends a test, sees it delivered and signed; removal is confirmed', async ({ adminPage: page }) => {
  const rx = await startReceiver();
  try {
    const name = `hook-${Date.now().toString(36)}`;
    await page.goto('/settings/webhooks');
    await expect(page.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible();
    await page.getByRole('button', { name: 'New webhook' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill(name);
    // Errors in words next to the field.
    await dialog.getByLabel('URL').fill('https://user:secret@hooks.example.com/x');
    await dialog.getByRole('button', { name: 'Create webhook' }).click();
    await expect(dialog.getByText('Do not put credentials in the URL')).toBeVisible();
    await dialog.getByLabel('URL').fill(rx.url);
    // Only halt-all (and tests): no other spec's rollout lands in this receiver.
    await dialog.getByLabel('Rollout waiting for approval').uncheck();
    await dialog.getByLabel('Halt-all engaged').check();
    await dialog.getByLabel('Body format').selectOption('json');
    await dialog.getByRole('button', { name: 'Create webhook' }).click();

    // The secret, once, with how to verify.
    const shown = page.getByTestId('webhook-secret');
    await expect(shown).toHaveText(/^whsec_[A-Za-z0-9_-]{43}$/);
    const secret = (await shown.textContent())!.trim();
    await expect(page.getByRole('dialog').getByText('How the receiver verifies a delivery')).toBeVisible();
    await page.getByRole('dialog').getByRole('button', { name: 'Done' }).click();
    await expect(page.getByRole('cell', { name: rx.url })).toBeVisible();

    await page.getByRole('button', { name: `Send a test to ${name}` }).click();
    await expect(page).toHaveURL(/[?&]webhook=/);
    await expect(page.getByTestId('test-result')).toHaveText(/Test: Delivered \(HTTP 200\) after 1 attempt/, { timeout: 30_000 });
    const log = page.getByRole('table', { name: `Deliveries of ${name}` });
    await expect(log.getByRole('row').filter({ hasText: 'Test delivery' }).filter({ hasText: 'delivered' })).toHaveCount(1);
    await expect(log.getByText('ok 200')).toBeVisible();

    // What the receiver got verifies with the secret the page showed.
    expect(rx.requests).toHaveLength(1);
    const req = rx.requests[0]!;
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(req.headers['switchback-signature']))!;
    expect(createHmac('sha256', secret).update(`${t}.${req.rawBody}`).digest('hex')).toBe(v1);
    expect(JSON.parse(req.rawBody)).toMatchObject({ event: 'test', data: { subscription: name } });

    // The view is in the URL: a reload shows the same log.
    await page.reload();
    await expect(page.getByRole('table', { name: `Deliveries of ${name}` })).toBeVisible();

    await page.getByRole('button', { name: `Delete ${name}` }).click();
    const confirm = page.getByRole('dialog');
    await expect(confirm.getByText(`Delete webhook “${name}”?`)).toBeVisible();
    await confirm.getByRole('button', { name: 'Delete webhook' }).click();
    await expect(page.getByRole('cell', { name: rx.url })).toHaveCount(0);
  } finally {
    await rx.close();
  }
});

test('a rollout at an approval gate sends its link; the link asks for sign-in, then opens the approval panel focused', async ({ adminPage, operatorPage, approverPage, browser }) => {
  const rx = await startReceiver();
  let rolloutId: string | null = null;
  try {
    const sub = await mutate(adminPage.request, 'webhooks.create', { name: `gate-${Date.now().toString(36)}`, url: rx.url, events: ['rollout_approval_requested'] });
    expect(sub.status(), await sub.text()).toBe(200);
    const spec = {
      name: `e2e webhook gate ${Date.now().toString(36)}`,
      service: 'payment-svc',
      stableVersion: 'v1',
      canaryVersion: 'v2',
      steps: [{ kind: 'approval', quorum: 1, expiresInS: 600, onExpiry: 'stay-paused' }],
      backgroundAnalysis: null,
      alpha: 0.01,
    };
    const created = await mutate(operatorPage.request, 'rollouts.create', { spec });
    expect(created.status(), await created.text()).toBe(200);
    const r = ((await created.json()) as { result: { data: { json: { id: string; version: number } } } }).result.data.json;
    rolloutId = r.id;
    expect((await mutate(operatorPage.request, 'rollouts.start', r)).status()).toBe(200);

    // The worker reaches the gate and the delivery job posts it to the receiver.
    await expect.poll(() => rx.find('rollout_approval_requested')?.data.rolloutId ?? null, { timeout: 60_000 }).toBe(r.id);
    const link = String(rx.find('rollout_approval_requested')!.data.approvalLink);
    expect(link).toMatch(new RegExp(`^https?://[^/]+/rollouts/${r.id}\\?approval=[0-9a-f-]{36}$`));
    const path = new URL(link).pathname + new URL(link).search;

    // Signed out: the sign-in page, which will come back to the approval.
    const anon = await browser.newContext();
    const anonPage = await anon.newPage();
    await anonPage.goto(path);
    await expect(anonPage).toHaveURL(/\/login\?next=/);
    expect(decodeURIComponent(new URL(anonPage.url()).searchParams.get('next') ?? '')).toBe(path);
    await anon.close();

    // An approver (not the author) lands on the approval panel, focused, with the decision form.
    await approverPage.goto(path);
    const panel = approverPage.getByRole('region', { name: 'Approvals' });
    await expect(panel).toBeFocused({ timeout: 30_000 });
    await expect(panel.getByRole('button', { name: 'Approve' })).toBeVisible();
  } finally {
    if (rolloutId) {
      const get = await operatorPage.request.get(`/api/trpc/rollouts.get?input=${encodeURIComponent(JSON.stringify({ json: { id: rolloutId } }))}`);
      const now = ((await get.json()) as { result: { data: { json: { version: number } } } }).result.data.json;
      await mutate(operatorPage.request, 'rollouts.abort', { id: rolloutId, version: now.version, reason: 'e2e cleanup after webhooks.spec' });
    }
    await rx.close();
  }
});

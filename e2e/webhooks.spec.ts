import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, expect } from './support/fixtures';

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

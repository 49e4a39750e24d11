import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, expect, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { startStack, watchFeed, type Feed, type Stack } from './scale-out-stack';

// Switchback scaled out (`npm run scale-out`): two web processes behind HAProxy and two workers
// on one PostgreSQL, started by this spec on free ports and stopped by its PIDs. Each test waits
// for conditions with a bound; none measures speed. The tests build on each other (a web process
// killed in one stays down), hence serial.
test.describe.configure({ mode: 'serial' });

let stack: Stack;
const tag = Date.now().toString(36);
let serial = 0;

let startedInS = 0;
test.beforeAll(async () => {
  test.setTimeout(480_000);
  const t0 = Date.now();
  stack = await startStack();
  startedInS = (Date.now() - t0) / 1000;
});
test.afterAll(async () => {
  test.setTimeout(60_000);
  await stack?.stop();
});

async function signedIn(browser: Browser, via: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  const res = await page.request.post(`${via}/api/trpc/auth.login`, { data: { json: { name: stack.admin.name, password: stack.admin.password } }, headers: { origin: via } });
  expect(res.status(), await res.text()).toBe(200);
  return page;
}

function mutate(request: APIRequestContext, via: string, path: string, input: unknown) {
  return request.post(`${via}/api/trpc/${path}`, { data: { json: input }, headers: { origin: via }, timeout: 30_000 });
}

/** A command that emits one live event (user.changed), made through `via`; returns the event's id. */
async function emit(request: APIRequestContext, via: string): Promise<string> {
  const name = `so-${tag}-${++serial}`;
  const res = await mutate(request, via, 'users.create', { name, role: 'viewer' });
  expect(res.status(), await res.text()).toBe(200);
  const { rows } = await stack.db.query<{ id: string }>(`SELECT id::text AS id FROM "LiveEvent" WHERE topic = 'user.changed' AND payload->>'name' = $1`, [name]);
  expect(rows).toHaveLength(1);
  return rows[0]!.id;
}

/** Every event committed with an id from `first` to `last`, whoever made it (workers emit too). */
async function committed(first: string, last: string): Promise<string[]> {
  const { rows } = await stack.db.query<{ id: string }>(`SELECT id::text AS id FROM "LiveEvent" WHERE id BETWEEN $1 AND $2 ORDER BY id`, [first, last]);
  return rows.map((r) => r.id);
}

/** Each of `ids` received exactly once by the feed (no gap, no repeat). */
function expectEachOnce(feed: Feed, ids: string[], who: string) {
  const got = feed.ids();
  const missing = ids.filter((id) => !got.includes(id));
  const repeated = ids.filter((id) => got.filter((g) => g === id).length > 1);
  if (missing.length || repeated.length) console.log(JSON.stringify(feed.streams, null, 1));
  expect({ who, missing, repeated }).toEqual({ who, missing: [], repeated: [] });
}

const pidOfWorkerId = (id: string) => Number(id.split(':').at(-2));

test('a browser on either web process sees the same live events, whichever process took the command', async ({ browser }) => {
  test.setTimeout(120_000);
  test.info().annotations.push({ type: 'scale-out-start-s', description: startedInS.toFixed(1) });
  const [w1, w2] = stack.webs;
  const a = await signedIn(browser, w1!.url);
  const b = await signedIn(browser, w2!.url);
  const [fa, fb] = [await watchFeed(a), await watchFeed(b)];
  await a.goto(`${w1!.url}/settings/users`);
  await b.goto(`${w2!.url}/settings/users`);
  await expect(a.getByText('Live', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(b.getByText('Live', { exact: true })).toBeVisible({ timeout: 30_000 });

  // One command through each process; both browsers see both, each exactly once.
  const ids = [await emit(a.request, w2!.url), await emit(b.request, w1!.url)];
  for (const [page, feed, who] of [[a, fa, 'web1 browser'], [b, fb, 'web2 browser']] as const) {
    await expect.poll(() => ids.every((id) => feed.ids().includes(id)), { timeout: 20_000, message: `${who} received both events` }).toBe(true);
    expectEachOnce(feed, ids, who);
    // The page itself changed: both new users are listed, without a reload.
    for (let n = serial - 1; n <= serial; n++) await expect(page.getByText(`so-${tag}-${n}`, { exact: true })).toBeVisible({ timeout: 20_000 });
  }
  await a.context().close();
  await b.context().close();
});

test('killing a web process moves its browsers to the other through HAProxy, resuming by event id without a gap', async ({ browser }) => {
  test.setTimeout(180_000);
  const pages = [await signedIn(browser, stack.front), await signedIn(browser, stack.front)];
  const feeds = await Promise.all(pages.map((p) => watchFeed(p)));
  for (const p of pages) await p.goto(`${stack.front}/`);
  for (const p of pages) await expect(p.getByText('Live', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect.poll(() => feeds.every((f) => f.current()?.server), { timeout: 20_000, message: 'HAProxy names the web process of each stream' }).toBe(true);
  const [watched, other] = [pages[0]!, pages[1]!];
  const [wf, of] = [feeds[0]!, feeds[1]!];
  const before = wf.current()!;
  const victim = stack.webs.find((w) => w.name === before.server)!;
  const survivor = stack.webs.find((w) => w !== victim)!;
  const cmd = other.request;

  const first = await emit(cmd, survivor.url);
  await expect.poll(() => wf.ids().includes(first) && of.ids().includes(first), { timeout: 20_000 }).toBe(true);
  const lastBeforeKill = wf.ids().at(-1)!;

  // The watched browser's reconnect is held until events have been committed meanwhile: those
  // can only reach it through the backlog of its resume (lastEventId), never live.
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let held = 0;
  await watched.route(
    (u) => u.pathname === '/api/trpc/live.events',
    async (route) => {
      held++;
      await gate;
      await route.continue();
    },
  );
  process.kill(victim.pid, 'SIGKILL');
  await expect.poll(() => held, { timeout: 30_000, message: 'the browser tries to reconnect' }).toBeGreaterThan(0);
  await expect(watched.getByText('Reconnecting…', { exact: true })).toBeVisible({ timeout: 10_000 });
  const whileAway = [await emit(cmd, survivor.url), await emit(cmd, survivor.url), await emit(cmd, survivor.url)];
  release();
  const after = [await emit(cmd, survivor.url), await emit(cmd, survivor.url)];
  const all = await committed(first, after.at(-1)!);
  expect(all.length).toBeGreaterThanOrEqual(6);

  for (const [feed, who] of [[wf, 'the moved browser'], [of, 'the other browser']] as const) {
    await expect.poll(() => all.every((id) => feed.ids().includes(id)), { timeout: 30_000, message: `${who} received every event` }).toBe(true);
    expectEachOnce(feed, all, who);
  }
  await expect(watched.getByText('Live', { exact: true })).toBeVisible({ timeout: 20_000 });
  // The resumed stream: served by the surviving process, asked for what followed the last event
  // the browser had, and delivered what was committed while it was away.
  const resumed = wf.streams.filter((s) => s !== before && s.ids.length > 0);
  expect(resumed.length).toBeGreaterThan(0);
  expect(resumed.every((s) => s.server === survivor.name)).toBe(true);
  expect(wf.resumedFrom(resumed[0]!)).toBe(lastBeforeKill);
  for (const id of whileAway) expect(resumed.some((s) => s.ids.includes(id))).toBe(true);
  expect(before.ids).not.toContain(whileAway[0]);
  // HAProxy took the dead process out of the rotation.
  await expect.poll(async () => (await stack.states())[victim.name], { timeout: 20_000 }).toMatch(/^DOWN/);
  test.info().annotations.push({ type: 'failover', description: `killed ${victim.name} (pid ${victim.pid}); ${whileAway.length} events arrived through the resume on ${survivor.name}` });
  for (const p of pages) await p.context().close();
});

test('jobs run once: webhook deliveries queued through HAProxy are each POSTed exactly once by the two workers', async ({ browser }) => {
  test.setTimeout(120_000);
  const N = 12;
  const hits = new Map<string, number>();
  const rx = createServer((req, res) => {
    const id = String(req.headers['switchback-delivery'] ?? '');
    hits.set(id, (hits.get(id) ?? 0) + 1);
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
  });
  await new Promise<void>((r) => rx.listen(0, '127.0.0.1', r));
  try {
    const { rows: beats } = await stack.db.query<{ id: string }>(`SELECT id FROM "WorkerHeartbeat"`);
    expect(beats.map((b) => pidOfWorkerId(b.id)).sort()).toEqual(stack.workers.map((w) => w.pid).sort());
    const page = await signedIn(browser, stack.front);
    const created = await mutate(page.request, stack.front, 'webhooks.create', {
      name: `scale-out-${tag}`,
      url: `http://127.0.0.1:${(rx.address() as AddressInfo).port}/hook`,
      events: ['halt_engaged'],
    });
    expect(created.status(), await created.text()).toBe(200);
    const hook = ((await created.json()) as { result: { data: { json: { id: string } } } }).result.data.json;
    const tests = await Promise.all(Array.from({ length: N }, () => mutate(page.request, stack.front, 'webhooks.test', { id: hook.id })));
    for (const r of tests) expect(r.status(), await r.text()).toBe(200);

    const settled = async () =>
      (await stack.db.query<{ state: string; attempts: number; response: string | null }>(`SELECT state, attempts, response FROM "WebhookDelivery" WHERE "subscriptionId" = $1`, [hook.id])).rows;
    await expect
      .poll(async () => (await settled()).filter((d) => d.state === 'delivered').length, { timeout: 60_000 })
      .toBe(N)
      .catch(async (err: unknown) => {
        // What the deliveries say, and what the receiver got: the post-mortem of a failure.
        console.log(JSON.stringify({ deliveries: await settled(), received: [...hits] }));
        throw err;
      });
    // Nothing left in the queue that could run one of them again.
    // (A job's row goes a moment after its delivery is written: waited for, not assumed.)
    const queued = async () => (await stack.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier = 'webhook_deliver'`)).rows[0]!.n;
    await expect.poll(queued, { timeout: 20_000 }).toBe(0);
    expect((await settled()).every((d) => d.attempts === 1)).toBe(true);
    expect(hits.size).toBe(N);
    expect([...hits.values()].every((n) => n === 1)).toBe(true);
    // Both workers counted their runs; together exactly N.
    const runs = await Promise.all(
      stack.workers.map(async (w) => {
        await expect.poll(() => w.metrics(), { timeout: 20_000, message: `${w.name} says where its metrics are` }).not.toBeNull();
        const text = await (await fetch(w.metrics()!)).text();
        return Number(/switchback_job_runs_total\{[^}]*task="webhook_deliver"[^}]*outcome="success"[^}]*\} (\d+)/.exec(text)?.[1] ?? 0);
      }),
    );
    expect(runs.reduce((a, b) => a + b, 0)).toBe(N);
    test.info().annotations.push({ type: 'deliveries-per-worker', description: runs.join(' + ') });
    await page.context().close();
  } finally {
    rx.closeAllConnections();
    await new Promise<void>((r) => rx.close(() => r()));
  }
});

test('the telemetry leadership moves to the other worker within two ticks when the leader is killed', async () => {
  test.setTimeout(120_000);
  const ticks = async () =>
    (await stack.db.query<{ at: Date; leader: string }>(`SELECT "startedAt" AS at, leader FROM "Tick" ORDER BY "startedAt"`)).rows;
  // Ticks are stamped with their slot: consecutive slots are one tick interval apart.
  await expect.poll(async () => (await ticks()).length, { timeout: 60_000, message: 'the leader ticks' }).toBeGreaterThanOrEqual(5);
  const recent = (await ticks()).slice(-5);
  const tickMs = Math.min(...recent.slice(1).map((t, i) => t.at.getTime() - recent[i]!.at.getTime()));
  expect(tickMs).toBeGreaterThan(0);
  const leaderId = recent.at(-1)!.leader;
  const leader = stack.workers.find((w) => w.pid === pidOfWorkerId(leaderId));
  expect(leader, `the leader ${leaderId} is one of this stack's workers`).toBeDefined();
  const follower = stack.workers.find((w) => w !== leader)!;

  process.kill(leader!.pid, 'SIGKILL');
  await expect.poll(async () => (await ticks()).filter((t) => pidOfWorkerId(t.leader) === follower.pid).length, { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
  const all = await ticks();
  const lastOld = all.filter((t) => t.leader === leaderId).at(-1)!;
  const firstNew = all.find((t) => t.at > lastOld.at)!;
  expect(pidOfWorkerId(firstNew.leader)).toBe(follower.pid);
  // In ticks: the new leader's first slot is at most two slots after the old leader's last.
  const slots = (firstNew.at.getTime() - lastOld.at.getTime()) / tickMs;
  test.info().annotations.push({ type: 'leadership-move-slots', description: String(slots) });
  expect(slots).toBeLessThanOrEqual(2);
  // One leader at a time: no slot was ticked twice, none by the dead worker after its last.
  expect(new Set(all.map((t) => t.at.getTime())).size).toBe(all.length);
  expect(all.filter((t) => t.at > lastOld.at).every((t) => pidOfWorkerId(t.leader) === follower.pid)).toBe(true);
});

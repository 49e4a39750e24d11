// Many live streams on one process, over the real HTTP handler (SSE, superjson, the session check):
// every stream gets each committed tick once and in order, the topology feed builds one map per
// tick however many streams are open (not one per stream), and closing the streams releases
// every per-stream subscription the process held (bus listeners, session watchers). The scale
// bench (bench/scale/streams.ts) measures the same with 500 streams; this checks the behaviour.
// The streams go over HTTP the way the web server serves them (scripts/lib/event-stream-route.mjs:
// past Next.js, straight to the route's handler, admitted a few per event-loop turn), so a client
// that hangs up is a closed socket.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isEventStreamRequest, serveEventStream, streamAdmission } from '../../scripts/lib/event-stream-route.mjs';
import { openTestDb, type TestDb } from '../../test/context';
import { httpApi } from '../../test/http';
import { deleteSession, getSessionUser, readCookie, SESSION_COOKIE } from '../auth/sessions';
import { sessionWatch } from '../auth/session-watch';
import { makeFleet } from '../db/factories';
import { makeTick } from '../db/telemetry-factories';
import { reloadEnv } from '../env';
import { liveBus } from '../live/bus';
import { handleTrpcRequest } from './handler';
import { topologyFeed } from './routers/topology-map';

const PER_FEED = 8;
const TICKS = 3;

let t: TestDb;
let cookie: string;
let instanceIds: string[];
let server: http.Server;
let base: string;
/** Stream opens wait for this before each admission turn (a test holds it to keep them queued). */
let admitting: Promise<void> = Promise.resolve();
const admission = streamAdmission(2, (drain) => void admitting.then(() => setImmediate(drain)));

beforeAll(async () => {
  t = await openTestDb();
  // The routers reach the live bus through the environment, as the web server does.
  process.env.DATABASE_URL = t.url;
  reloadEnv();
  await makeFleet(t.db, {
    regions: [{ name: 'r-many', zones: [{ name: 'z-many', clusters: ['c-many'] }] }],
    services: [{ name: 'svc-many', placement: [{ cluster: 'c-many', versions: { v1: 2 } }] }],
  });
  instanceIds = (await t.db.instance.findMany({ select: { id: true } })).map((i) => i.id);
  cookie = await httpApi(t).signIn('viewer');
  // The route's handler with the test database (the route itself reads the process's).
  const route = (req: Request) =>
    handleTrpcRequest(req, {
      createContext: async (r, resHeaders) => {
        const token = readCookie(r.headers.get('cookie'), SESSION_COOKIE);
        return { db: t.db, user: await getSessionUser(t.db, token), token, resHeaders, meta: { ip: '', userAgent: 'test' }, config: { sessionHours: 1, cookieSecure: false } };
      },
    });
  // As scripts/web-server.mjs: event streams through the admission, any other request straight on.
  server = http.createServer((req, res) => {
    if (isEventStreamRequest(req)) return admission.admit(() => void serveEventStream(req, res, route));
    void (async () => {
      const response = await route(new Request(new URL(req.url!, base), { headers: req.headers as Record<string, string> }));
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await liveBus(t.url).stop();
  await t.close();
});

interface Opened {
  /** The tick ids of the data messages, in the order received. */
  ticks: string[];
  /** The kinds of the SSE messages received (connected, data, serialized-error …). */
  kinds: string[];
  done: Promise<void>;
}

/** One SSE stream over HTTP through the web server's event-stream path, read until `signal` aborts or it ends. */
function open(path: string, input: unknown, signal: AbortSignal, as = cookie): Opened {
  const o: Opened = { ticks: [], kinds: [], done: Promise.resolve() };
  const q = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  o.done = (async () => {
    const res = await fetch(`${base}/api/trpc/${path}${q}`, { headers: { cookie: as, accept: 'text/event-stream' }, signal });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let pending = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      pending += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = pending.indexOf('\n\n')) >= 0) {
        const message = pending.slice(0, end);
        pending = pending.slice(end + 2);
        o.kinds.push(/^event: ?(.*)$/m.exec(message)?.[1] ?? 'data');
        const tickId = /"tickId":"(\d+)"/.exec(message)?.[1];
        if (tickId) o.ticks.push(tickId);
      }
    }
  })().catch((err: unknown) => {
    if (!signal.aborted) throw err;
  });
  return o;
}

it('many streams each get every tick once, share the topology work, and release what they held when closed', { timeout: 120_000 }, async () => {
  const bus = liveBus(t.url);
  await bus.ensureConnected();
  const watch = sessionWatch(t.db);
  const listenersBefore = bus.subscriberCount;
  const watchersBefore = watch.size;
  // A first tick, so the topology streams start from a known map (as a page does from its snapshot).
  const first = await makeTick(t.db, { at: new Date(Date.now() - 60_000), samples: instanceIds.map((instanceId) => ({ instanceId, rps: 1 })) });
  await t.db.$executeRaw`SELECT pg_notify('switchback_tick', ${first.toString()})`;
  await expect.poll(() => bus.latestTick, { timeout: 15_000 }).toBe(first);
  const feed = topologyFeed(t.db);
  await feed.map(first.toString());
  const mapsBefore = feed.computed.maps;

  const abort = new AbortController();
  const streams: Opened[] = [];
  try {
    for (let i = 0; i < PER_FEED; i++) {
      streams.push(open('telemetry.ticks', undefined, abort.signal));
      streams.push(open('topologyMap.live', { lastEventId: first.toString() }, abort.signal));
      streams.push(open('live.events', {}, abort.signal));
    }
    // Every stream subscribed (one bus listener and one session watcher each): from then on a
    // NOTIFY reaches all of them.
    await expect.poll(() => bus.subscriberCount, { timeout: 60_000, interval: 20 }).toBe(listenersBefore + streams.length);
    expect(watch.size).toBe(watchersBefore + streams.length);

    const ticks: string[] = [];
    for (let k = 1; k <= TICKS; k++) {
      const id = await makeTick(t.db, { at: new Date(Date.now() - 60_000 + k * 1000), samples: instanceIds.map((instanceId) => ({ instanceId, rps: 1 + k })) });
      ticks.push(id.toString());
      await t.db.$executeRaw`SELECT pg_notify('switchback_tick', ${id.toString()})`;
    }
    const tickFeeds = streams.filter((_, i) => i % 3 === 0);
    const topologyFeeds = streams.filter((_, i) => i % 3 === 1);
    const last = ticks[ticks.length - 1]!;
    await expect.poll(() => tickFeeds.filter((s) => s.ticks.length >= TICKS).length, { timeout: 60_000, interval: 20 }).toBe(tickFeeds.length);
    await expect.poll(() => topologyFeeds.filter((s) => s.ticks.includes(last)).length, { timeout: 60_000, interval: 20 }).toBe(topologyFeeds.length);
    // Each tick feed: exactly the committed ticks, each once, in order (no resync sent twice,
    // no tick lost), and no error.
    for (const s of tickFeeds) {
      expect(s.ticks).toEqual(ticks);
      expect(s.kinds.filter((k) => k !== 'connected' && k !== 'data')).toEqual([]);
    }
    // Each topology feed: committed ticks in order, each once, up to the last; one that was still
    // waiting for a map when newer ticks came goes straight to the newest (its delta covers them).
    for (const s of topologyFeeds) {
      expect(s.ticks.every((id) => ticks.includes(id))).toBe(true);
      expect(s.ticks).toEqual([...new Set(s.ticks)].sort((a, b) => ticks.indexOf(a) - ticks.indexOf(b)));
      expect(s.ticks[s.ticks.length - 1]).toBe(last);
      expect(s.kinds.filter((k) => k !== 'connected' && k !== 'data')).toEqual([]);
    }
    // The topology maps were read at most once per tick for the whole process, not once per stream.
    const reads = feed.computed.maps - mapsBefore;
    expect(reads).toBeGreaterThanOrEqual(1);
    expect(reads).toBeLessThanOrEqual(TICKS);
  } finally {
    abort.abort();
    await Promise.all(streams.map((s) => s.done));
  }
  // Closing the streams gave back every listener and watcher they held (a leak keeps them, and
  // with them each stream's queue, forever).
  await expect.poll(() => bus.subscriberCount, { timeout: 30_000, interval: 20 }).toBe(listenersBefore);
  await expect.poll(() => watch.size, { timeout: 30_000, interval: 20 }).toBe(watchersBefore);
});

it('a signed-out session ends its streams at the next session check; the others go on', { timeout: 60_000 }, async () => {
  const bus = liveBus(t.url);
  await bus.ensureConnected();
  const watch = sessionWatch(t.db);
  const listenersBefore = bus.subscriberCount;
  const leaving = await httpApi(t).signIn('viewer');
  const abort = new AbortController();
  const gone = [open('telemetry.ticks', undefined, abort.signal, leaving), open('live.events', {}, abort.signal, leaving)];
  const staying = open('telemetry.ticks', undefined, abort.signal);
  try {
    await expect.poll(() => bus.subscriberCount, { timeout: 30_000, interval: 20 }).toBe(listenersBefore + 3);
    await deleteSession(t.db, readCookie(leaving, SESSION_COOKIE));
    // One shared check for every open stream (what the 2 s timer runs).
    await watch.check();
    for (const s of gone) {
      await s.done;
      expect(s.kinds).toContain('serialized-error');
    }
    await expect.poll(() => bus.subscriberCount, { timeout: 10_000, interval: 20 }).toBe(listenersBefore + 1);
    const id = await makeTick(t.db, { at: new Date(), samples: instanceIds.map((instanceId) => ({ instanceId, rps: 9 })) });
    await t.db.$executeRaw`SELECT pg_notify('switchback_tick', ${id.toString()})`;
    await expect.poll(() => staying.ticks, { timeout: 15_000, interval: 20 }).toContain(id.toString());
    expect(staying.kinds).not.toContain('serialized-error');
  } finally {
    abort.abort();
    await Promise.all([...gone, staying].map((s) => s.done));
  }
  await expect.poll(() => bus.subscriberCount, { timeout: 30_000, interval: 20 }).toBe(listenersBefore);
});

it('a query is answered while stream opens wait for admission; once admitted they stream as usual', { timeout: 60_000 }, async () => {
  const bus = liveBus(t.url);
  await bus.ensureConnected();
  const listenersBefore = bus.subscriberCount;
  let admit!: () => void;
  admitting = new Promise((r) => (admit = r));
  const abort = new AbortController();
  const streams: Opened[] = [];
  try {
    for (let i = 0; i < PER_FEED; i++) streams.push(open('telemetry.ticks', undefined, abort.signal), open('live.events', {}, abort.signal));
    await expect.poll(() => admission.waiting, { timeout: 30_000, interval: 20 }).toBe(streams.length);
    const me = await fetch(`${base}/api/trpc/auth.me`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { result: { data: { json: { role: string } } } }).result.data.json.role).toBe('viewer');
    // Answered with every open still queued: none of them had subscribed yet.
    expect(admission.waiting).toBe(streams.length);
    expect(bus.subscriberCount).toBe(listenersBefore);
    admit();
    await expect.poll(() => bus.subscriberCount, { timeout: 30_000, interval: 20 }).toBe(listenersBefore + streams.length);
    expect(admission.waiting).toBe(0);
    const id = await makeTick(t.db, { at: new Date(), samples: instanceIds.map((instanceId) => ({ instanceId, rps: 5 })) });
    await t.db.$executeRaw`SELECT pg_notify('switchback_tick', ${id.toString()})`;
    const tickFeeds = streams.filter((_, i) => i % 2 === 0);
    await expect.poll(() => tickFeeds.filter((s) => s.ticks.includes(id.toString())).length, { timeout: 30_000, interval: 20 }).toBe(tickFeeds.length);
    for (const s of streams) expect(s.kinds.filter((k) => k !== 'connected' && k !== 'data')).toEqual([]);
  } finally {
    admit();
    admitting = Promise.resolve();
    abort.abort();
    await Promise.all(streams.map((s) => s.done));
  }
  await expect.poll(() => bus.subscriberCount, { timeout: 30_000, interval: 20 }).toBe(listenersBefore);
});

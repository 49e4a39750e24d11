// The web server's event-stream path (past Next.js): the route gets the request as the client
// sent it (but with the server's X-Forwarded-For), the client gets the route's status, headers and
// bytes as they come, and a client that leaves aborts the route's request and cancels its body,
// which is what ends a subscription and releases its listeners.
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterEach, expect, it, vi } from 'vitest';
import { isEventStreamRequest, serveEventStream, streamAdmission, type EventStreamRoute } from './event-stream-route.mjs';

let server: http.Server | null = null;
afterEach(async () => {
  const s = server;
  server = null;
  if (!s) return;
  vi.restoreAllMocks();
  s.closeAllConnections();
  await new Promise((r) => s.close(r));
});

async function serve(route: EventStreamRoute, listener?: http.RequestListener): Promise<string> {
  server = http.createServer(
    listener ??
      ((req, res) => {
        req.headers['x-forwarded-for'] = 'socket-address';
        void serveEventStream(req, res, route);
      }),
  );
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

it('takes only GET /api/trpc/… requests that ask for an event stream', () => {
  const sse = { accept: 'text/event-stream' };
  expect(isEventStreamRequest({ method: 'GET', url: '/api/trpc/live.events?input=x', headers: sse })).toBe(true);
  expect(isEventStreamRequest({ method: 'POST', url: '/api/trpc/live.events', headers: sse })).toBe(false);
  expect(isEventStreamRequest({ method: 'GET', url: '/api/trpc/auth.me', headers: {} })).toBe(false);
  expect(isEventStreamRequest({ method: 'GET', url: '/api/v1/instances', headers: sse })).toBe(false);
  expect(isEventStreamRequest({ method: 'GET', url: '/services', headers: sse })).toBe(false);
});

it('passes the request to the route and its answer back as it comes', async () => {
  let seen: Request | null = null;
  let push: ((s: string) => void) | null = null;
  const base = await serve((request) => {
    seen = request;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        push = (s) => c.enqueue(new TextEncoder().encode(s));
        push('event: connected\ndata: {}\n\n');
      },
    });
    const headers = new Headers({ 'content-type': 'text/event-stream', 'x-frame-options': 'DENY' });
    headers.append('set-cookie', 'a=1');
    headers.append('set-cookie', 'b=2');
    return Promise.resolve(new Response(body, { status: 200, headers }));
  });
  const res = await fetch(`${base}/api/trpc/live.events?input=%7B%7D`, { headers: { accept: 'text/event-stream', cookie: 'sid=t', 'x-forwarded-for': 'spoofed' } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/event-stream');
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
  expect(seen!.url).toBe(`${base}/api/trpc/live.events?input=%7B%7D`);
  expect(seen!.headers.get('cookie')).toBe('sid=t');
  // The server's own address, never what the client claimed (the sign-in throttle keys on it).
  expect(seen!.headers.get('x-forwarded-for')).toBe('socket-address');
  const reader = res.body!.getReader();
  const read = async () => new TextDecoder().decode((await reader.read()).value);
  expect(await read()).toBe('event: connected\ndata: {}\n\n');
  // A message sent later arrives while the stream stays open (nothing waits for the end).
  push!('data: {"tickId":"7"}\n\n');
  expect(await read()).toBe('data: {"tickId":"7"}\n\n');
  await reader.cancel();
});

it('a client that leaves aborts the route request and cancels its body', async () => {
  let signal: AbortSignal | null = null;
  let cancelled = false;
  const base = await serve((request) => {
    signal = request.signal;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode('event: connected\n\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    return Promise.resolve(new Response(body, { headers: { 'content-type': 'text/event-stream' } }));
  });
  const abort = new AbortController();
  const res = await fetch(`${base}/api/trpc/telemetry.ticks`, { headers: { accept: 'text/event-stream' }, signal: abort.signal });
  await res.body!.getReader().read();
  expect(signal!.aborted).toBe(false);
  abort.abort();
  await expect.poll(() => signal!.aborted && cancelled, { timeout: 5000 }).toBe(true);
});

it('a route that throws is a 500, not a hung request', async () => {
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  const base = await serve(() => Promise.reject(new Error('boom')));
  const res = await fetch(`${base}/api/trpc/live.events`, { headers: { accept: 'text/event-stream' } });
  expect(res.status).toBe(500);
});

// The web server admits stream opens a few per event-loop turn (scripts/web-server.mjs): a burst of
// opens must not hold back an ordinary request until every one of them is set up.
it('a plain request is answered while a burst of stream opens is still being admitted; then every open starts, in order', async () => {
  const base = await serve(() => Promise.reject(new Error('no streams here')), (_req, res) => res.end('ok'));
  const admission = streamAdmission(1);
  const started: number[] = [];
  for (let i = 0; i < 1000; i++) admission.admit(() => started.push(i));
  // Nothing starts in the turn that queued them.
  expect(started).toEqual([]);
  const res = await fetch(`${base}/api/trpc/auth.me`);
  expect(await res.text()).toBe('ok');
  // Answered with opens still waiting (all at once, the answer would have come after all 1000).
  expect(started.length).toBeLessThan(1000);
  expect(admission.waiting).toBe(1000 - started.length);
  await expect.poll(() => started.length, { timeout: 5000 }).toBe(1000);
  expect(started).toEqual([...Array(1000).keys()]);
  expect(admission.waiting).toBe(0);
});

it('an open whose client left while it waited for admission is never set up; the next one is', async () => {
  const turns: (() => void)[] = [];
  const admission = streamAdmission(1, (drain) => turns.push(drain));
  const routed: string[] = [];
  const closed: string[] = [];
  const route: EventStreamRoute = (request) => {
    routed.push(new URL(request.url).pathname);
    return Promise.resolve(new Response('event: connected\n\n', { headers: { 'content-type': 'text/event-stream' } }));
  };
  const base = await serve(route, (req, res) => {
    res.once('close', () => closed.push(req.url ?? ''));
    admission.admit(() => void serveEventStream(req, res, route));
  });
  const sse = { accept: 'text/event-stream' };
  const gone = new AbortController();
  const left = fetch(`${base}/api/trpc/live.events`, { headers: sse, signal: gone.signal }).catch(() => 'aborted');
  await expect.poll(() => admission.waiting, { timeout: 5000 }).toBe(1);
  gone.abort();
  expect(await left).toBe('aborted');
  await expect.poll(() => closed, { timeout: 5000 }).toEqual(['/api/trpc/live.events']);
  const stays = fetch(`${base}/api/trpc/telemetry.ticks`, { headers: sse });
  await expect.poll(() => admission.waiting, { timeout: 5000 }).toBe(2);
  // One open per turn: the first turn finds its client gone, the second sets its stream up.
  turns.shift()!();
  expect(routed).toEqual([]);
  turns.shift()!();
  const res = await stays;
  expect(routed).toEqual(['/api/trpc/telemetry.ticks']);
  expect(await res.text()).toBe('event: connected\n\n');
  expect(turns).toEqual([]);
});

it('the pieces of a message that come in one turn go out as one HTTP chunk; what comes later, in chunks of its own', async () => {
  const enc = new TextEncoder();
  let later: (() => void) | null = null;
  const base = await serve(() => {
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        // As tRPC's SSE producer sends a message: a line at a time.
        for (const piece of ['event: connected\n', 'data: {}\n', '\n\n']) c.enqueue(enc.encode(piece));
        later = () => {
          for (const piece of ['data: {"tickId":"7"}\n', 'id: 7\n', '\n\n']) c.enqueue(enc.encode(piece));
          c.close();
        };
      },
    });
    return Promise.resolve(new Response(body, { headers: { 'content-type': 'text/event-stream' } }));
  });
  // A raw HTTP/1.1 client, to see the chunked framing itself.
  const { port } = new URL(base);
  const socket = net.connect(Number(port), '127.0.0.1');
  let raw = '';
  socket.on('data', (d: Buffer) => (raw += d.toString()));
  const ended = new Promise((r) => socket.on('end', r));
  socket.write(`GET /api/trpc/live.events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\nConnection: close\r\n\r\n`);
  await expect.poll(() => raw.includes('\n\n\r\n'), { timeout: 5000 }).toBe(true);
  later!();
  await ended;
  const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
  const chunks: string[] = [];
  for (let at = 0; ; ) {
    const eol = body.indexOf('\r\n', at);
    const size = parseInt(body.slice(at, eol), 16);
    if (size === 0) break;
    chunks.push(body.slice(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  expect(chunks).toEqual(['event: connected\ndata: {}\n\n\n', 'data: {"tickId":"7"}\nid: 7\n\n\n']);
});

it('a message larger than the socket takes at once does not stall the messages after it', async () => {
  const enc = new TextEncoder();
  let push: ((s: string) => void) | null = null;
  const base = await serve(() => {
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        push = (s) => c.enqueue(enc.encode(s));
        // A topology snapshot: far more than the socket's buffer (its write asks to wait for 'drain').
        push(`data: ${'x'.repeat(1_000_000)}\n\n`);
      },
    });
    return Promise.resolve(new Response(body, { headers: { 'content-type': 'text/event-stream' } }));
  });
  const res = await fetch(`${base}/api/trpc/topologyMap.live`, { headers: { accept: 'text/event-stream' } });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const readUntil = async (ends: string) => {
    while (!text.endsWith(ends)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the stream ended before ${JSON.stringify(ends)}`);
      text += decoder.decode(value, { stream: true });
    }
  };
  await readUntil('x\n\n');
  // Each later message (a delta a tick) arrives once the client has read the big one; the stream
  // stalled here, at the second of them, when the server waited for a 'drain' that had come already.
  for (let k = 1; k <= 4; k++) {
    push!(`data: {"tickId":"${k}"}\n\n`);
    await readUntil(`data: {"tickId":"${k}"}\n\n`);
  }
  await reader.cancel();
});

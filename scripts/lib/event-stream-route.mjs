// Event streams (tRPC subscriptions over SSE) served by the web server without Next.js's request
// pipeline. Measured with 500 streams opening at once on one process (bench/scale/streams.ts):
// through Next.js each open cost about twice the CPU of the tRPC handler alone (routing, the
// proxy, tracing, a web Request/Response and three more web streams per request), so a plain query
// sent while they opened waited 4-5 s; the tRPC handler alone opened them in about half the time.
// The handler is the build's own /api/trpc route, loaded as Next.js loads it (the same require()
// cache, so the same modules: one database client, one live bus, one session watch). Only the
// transport changes: the route answers with the same status, headers and bytes.
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** GET /api/trpc/<procedure> asking for an event stream (what httpSubscriptionLink sends). */
export function isEventStreamRequest(req) {
  return req.method === 'GET' && typeof req.url === 'string' && req.url.startsWith('/api/trpc/') && (req.headers.accept ?? '').includes('text/event-stream');
}

/**
 * The build's /api/trpc route handler (its GET), or null when the build has none (then every
 * request goes through Next.js as before).
 */
export async function loadEventStreamRoute(distDir) {
  try {
    const mod = require(path.resolve(distDir, 'server/app/api/trpc/[trpc]/route.js'));
    await mod.routeModule.ensureUserland();
    const get = mod.routeModule.userland.GET;
    return typeof get === 'function' ? get : null;
  } catch (err) {
    console.warn(`[web] event streams go through Next.js: the /api/trpc route could not be loaded (${err instanceof Error ? err.message : String(err)})`);
    return null;
  }
}

/**
 * Answers `req` with `route(request)`: the request as a web Request whose signal aborts when the
 * client goes away (that is what ends the stream and releases its listeners), the response's
 * status and headers as they are, and its body written as it comes (what arrives in one turn in
 * one write), waiting for the socket to drain so a slow client holds at most one turn's chunks here.
 */
export async function serveEventStream(req, res, route) {
  // The client left while its open waited for admission: nothing to set up (and no 'close' to come).
  if (res.destroyed || req.socket.destroyed) return;
  const abort = new AbortController();
  const onClose = () => abort.abort();
  res.once('close', onClose);
  let response;
  try {
    const headers = new Headers();
    // req.headers, not rawHeaders: the web server replaces X-Forwarded-For there (the client's address).
    for (const [name, value] of Object.entries(req.headers)) {
      if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      else if (value !== undefined) headers.set(name, value);
    }
    const request = new Request(new URL(req.url, `http://${req.headers.host || 'localhost'}`), { method: 'GET', headers, signal: abort.signal });
    response = await route(request);
  } catch (err) {
    console.error('[web] event stream failed to start:', err);
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('Internal Server Error');
    return;
  }
  const outgoing = {};
  for (const [name, value] of response.headers) if (name !== 'set-cookie') outgoing[name] = value;
  const cookies = response.headers.getSetCookie();
  if (cookies.length) outgoing['set-cookie'] = cookies;
  res.writeHead(response.status, outgoing);
  res.flushHeaders();
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  // The client left: the route's signal aborted above; cancelling the reader ends the body too.
  res.once('close', () => void reader.cancel().catch(() => undefined));
  // tRPC's SSE body comes a line at a time (event, data, id and the blank line are separate
  // chunks, all within one turn): written as they come, each was an HTTP chunk of its own (size
  // line, bytes, CRLF), 3-5 per message. The chunks read in one turn go out as one write.
  let batch = null;
  const flush = () => {
    const chunks = batch;
    batch = null;
    if (!chunks || res.destroyed) return;
    res.write(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
  };
  try {
    for (;;) {
      if (res.destroyed) break;
      // Asked of the socket now, not remembered from the write: the write runs a tick after the
      // read that brought it, and its 'drain' may have come and gone before this loop looks (a
      // remembered "full" then waited for a drain that never came, and the stream stalled for good
      // after its first message larger than the socket's buffer: a topology snapshot).
      if (res.writableNeedDrain) await drained(res);
      const { value, done } = await reader.read();
      if (done) break;
      if (res.destroyed) break;
      if (batch) batch.push(value);
      else {
        batch = [value];
        process.nextTick(flush);
      }
    }
  } catch {
    // A body that fails mid-stream: the client sees the stream end and reconnects.
  }
  flush();
  res.end();
}

/**
 * Starts queued stream opens at most `perTurn` per event-loop turn (setImmediate between batches),
 * so that a burst of opens (every tab reconnecting after a deploy) does not run hundreds of
 * stream setups back to back while an ordinary request waits behind them: each turn, the I/O of
 * other requests (their sockets, their database answers) runs between two batches.
 * `nextTurn` schedules a batch (tests pass their own to run the turns by hand).
 */
export function streamAdmission(perTurn, nextTurn = setImmediate) {
  const waiting = [];
  let head = 0;
  let scheduled = false;
  const drain = () => {
    scheduled = false;
    const end = Math.min(head + perTurn, waiting.length);
    while (head < end) {
      const start = waiting[head];
      waiting[head++] = undefined;
      start();
    }
    if (head === waiting.length) {
      waiting.length = 0;
      head = 0;
    } else schedule();
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    nextTurn(drain);
  };
  return {
    /** Calls `start` in a later turn, after the opens queued before it. */
    admit(start) {
      waiting.push(start);
      schedule();
    },
    /** Opens queued and not yet started. */
    get waiting() {
      return waiting.length - head;
    },
  };
}

/** Resolves when `res` can take more (or is gone); leaves no listener behind. */
function drained(res) {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

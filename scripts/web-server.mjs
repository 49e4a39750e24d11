// The web server `npm start` runs: Next.js behind a plain Node HTTP server, for one reason —
// Next.js fills X-Forwarded-For with the socket's address only when the client did not send one,
// so a client could name any address it likes, and the sign-in throttle keys on that address.
// Here the header is replaced with the socket's own address, unless SWITCHBACK_TRUST_PROXY=true
// says a reverse proxy in front appends the real one (then its last entry is what the proxy saw).
// Usage: node scripts/web-server.mjs <port> <host>
import http from 'node:http';
import next from 'next';
import { measureHttpRequest } from '../server/metrics/shared-registry.mjs';
import { isEventStreamRequest, loadEventStreamRoute, serveEventStream, streamAdmission } from './lib/event-stream-route.mjs';

const port = Number(process.argv[2] ?? 3000);
const host = process.argv[3] ?? '0.0.0.0';
const trustProxy = process.env.SWITCHBACK_TRUST_PROXY === 'true';

const app = next({ dev: false, dir: process.cwd(), hostname: host, port });
await app.prepare();
const handle = app.getRequestHandler();
// Event streams skip Next.js's per-request work (see lib/event-stream-route.mjs for the figures).
const eventStreamRoute = await loadEventStreamRoute(process.env.SWITCHBACK_DIST_DIR || '.next');
// A few stream opens per event-loop turn, so ordinary requests are answered during a burst of opens.
// npm start checks the value (server/env.ts); checked again for a web server started by hand, since
// 0 or a negative count would admit no stream at all.
const opensPerTurn = Number(process.env.SWITCHBACK_STREAM_OPENS_PER_TURN || '2');
if (!Number.isInteger(opensPerTurn) || opensPerTurn < 1 || opensPerTurn > 1000) {
  console.error(`SWITCHBACK_STREAM_OPENS_PER_TURN: expected a whole number from 1 to 1000, got "${process.env.SWITCHBACK_STREAM_OPENS_PER_TURN}"`);
  process.exit(1);
}
const admission = streamAdmission(opensPerTurn);

const server = http.createServer((req, res) => {
  if (!trustProxy) req.headers['x-forwarded-for'] = req.socket.remoteAddress ?? '';
  measureHttpRequest(req, res);
  if (!eventStreamRoute || !isEventStreamRequest(req)) return void handle(req, res);
  // Never an unhandled rejection (that would end the process and every other client's stream).
  admission.admit(() =>
    serveEventStream(req, res, eventStreamRoute).catch((err) => {
      console.error('[web] event stream failed:', err);
      res.destroy();
    }),
  );
});
// Node closes an idle keep-alive connection after 5 s by default, and a client that sends its next
// request on it at that moment gets ECONNRESET (seen in the streams bench: a query failed while 500
// streams opened and the busy server's timers ran late). Browsers and proxies keep connections
// ~60 s, so the server keeps them a little longer than that and the client is the one to close.
// headersTimeout stays above it (Node requires it for a kept connection's next request).
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
// A stream's request is complete once its headers are in; requestTimeout (300 s by default)
// bounds only that, never how long the response (an event stream for hours) stays open.
server.listen(port, host, () => console.log(`listening on http://${host}:${port}${trustProxy ? ' (client address from X-Forwarded-For: trusted proxy)' : ''}`));

// SIGTERM from the supervisor: stop accepting, let requests in flight finish, end the long-lived
// event streams after a short grace (their browsers reconnect to whoever serves next), then exit.
let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => server.closeAllConnections(), 1500).unref();
});
process.on('SIGINT', () => process.kill(process.pid, 'SIGTERM'));

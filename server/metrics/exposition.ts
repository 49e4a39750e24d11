// Serving /metrics: the bearer check, and the answer of each process — the web process's shared
// registry plus the database figures, the worker's shared registry alone (its own port).
import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { databaseMetricsText, type Queryable } from './database-gauges';
import { sharedRegistry } from './shared-registry.mjs';

/** Prometheus text format 0.0.4, as prom-client writes it. */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Whether an Authorization header carries the configured token (`Bearer <token>`). No token
 * configured = open. Compared as digests in constant time (equal lengths, no early exit).
 */
export function metricsAuthorized(authorization: string | null | undefined, token: string | undefined): boolean {
  if (!token) return true;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!m) return false;
  return timingSafeEqual(digest(m[1]!), digest(token));
}

const REFUSAL = 'This /metrics endpoint needs the token of SWITCHBACK_METRICS_TOKEN: Authorization: Bearer <token>.\n';
const UNAUTHORIZED_HEADERS = { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer realm="switchback-metrics"', 'cache-control': 'no-store' };

/** The web process's /metrics answer: its own metrics (HTTP requests, process) and the database figures. */
export async function webMetricsResponse(opts: { authorization: string | null; token: string | undefined; db: Queryable; deadlineMs: number; log?: (line: string) => void }): Promise<Response> {
  if (!metricsAuthorized(opts.authorization, opts.token)) return new Response(REFUSAL, { status: 401, headers: UNAUTHORIZED_HEADERS });
  const [own, fromDb] = await Promise.all([sharedRegistry().metrics(), databaseMetricsText(opts.db, { deadlineMs: opts.deadlineMs, log: opts.log })]);
  return new Response(own + fromDb, { status: 200, headers: { 'content-type': EXPOSITION_CONTENT_TYPE, 'cache-control': 'no-store' } });
}

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The worker's metrics endpoint: GET /metrics on its own port (loopback by default), answering
 * this process's registry — tick durations, skipped ticks, adapter calls, job outcomes.
 */
export function startMetricsServer(opts: { port: number; host: string; token?: string; log?: (line: string) => void }): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?', 1)[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Only GET /metrics is served here.\n');
      return;
    }
    if (!metricsAuthorized(req.headers.authorization, opts.token)) {
      res.writeHead(401, UNAUTHORIZED_HEADERS).end(REFUSAL);
      return;
    }
    sharedRegistry()
      .metrics()
      .then(
        (text) => res.writeHead(200, { 'content-type': EXPOSITION_CONTENT_TYPE, 'cache-control': 'no-store' }).end(req.method === 'HEAD' ? undefined : text),
        (err: unknown) => {
          opts.log?.(`[metrics] could not collect: ${err instanceof Error ? err.message : String(err)}`);
          res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('The metrics could not be collected; see the worker log.\n');
        },
      );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
      resolve({
        url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}/metrics`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

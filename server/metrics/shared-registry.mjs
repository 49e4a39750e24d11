// The one prom-client registry of a Switchback process, and the HTTP request metric of the web
// process. Plain JavaScript on purpose: scripts/web-server.mjs (plain Node, no TypeScript loader)
// measures every request with it, while Next bundles its own copy of this module into the
// /metrics route. Both copies find the same registry on globalThis under a Symbol.for key, and
// prom-client is in next.config's serverExternalPackages, so both also use the same prom-client.
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

const KEY = Symbol.for('switchback.metrics.registry');

/** @returns {Registry} */
export function sharedRegistry() {
  /** @type {Record<symbol, Registry | undefined>} */
  const g = /** @type {never} */ (globalThis);
  let r = g[KEY];
  if (!r) {
    r = new Registry();
    // process_* and nodejs_* (CPU, memory, event-loop lag, handles) of this process.
    collectDefaultMetrics({ register: r });
    g[KEY] = r;
  }
  return r;
}

/**
 * A metric of the shared registry, made on first use: every copy of a defining module (Next's
 * bundles, the plain Node server) gets the one instance, and a process shows only what it uses.
 * @template T
 * @param {string} name
 * @param {(registry: Registry) => T} make
 * @returns {T}
 */
export function sharedMetric(name, make) {
  const r = sharedRegistry();
  return /** @type {T} */ (r.getSingleMetric(name) ?? make(r));
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** A request method as a label: the standard ones as sent, anything else `other`. @param {string | undefined} method */
export function methodLabel(method) {
  const m = (method ?? '').toUpperCase();
  return METHODS.has(m) ? m : 'other';
}

/**
 * The route class of a request path: never the path itself (ids and user input would make one
 * time series per URL). @param {string | undefined} url
 */
export function routeClass(url) {
  const path = (url ?? '').split(/[?#]/, 1)[0] ?? '';
  if (path === '/api/trpc' || path.startsWith('/api/trpc/')) return 'trpc';
  if (path === '/api/v1' || path.startsWith('/api/v1/')) return 'rest';
  if (path === '/metrics') return 'metrics';
  if (path.startsWith('/_next/') || path.startsWith('/api/') || path === '/api' || /\.[a-z0-9]{1,8}$/i.test(path)) return 'other';
  return 'page';
}

/** 2xx, 3xx, 4xx, 5xx (anything else: `other`). @param {number} status */
export function statusClass(status) {
  return status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'other';
}

/** @returns {Histogram<'method' | 'route' | 'status'>} */
export function httpRequestSeconds() {
  return sharedMetric('switchback_http_request_duration_seconds', (registry) =>
    new Histogram({
      name: 'switchback_http_request_duration_seconds',
      help: 'Web requests from arrival to the end of the answer, by method, route class (page, trpc, rest, metrics, other) and status class. Event streams count when they close.',
      labelNames: /** @type {const} */ (['method', 'route', 'status']),
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
  );
}

/**
 * Measures one request of a plain Node HTTP server: observed when the answer is finished (or the
 * client went away first: status class of what was sent, usually 2xx for a stream).
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 */
export function measureHttpRequest(req, res) {
  const end = httpRequestSeconds().startTimer();
  const method = methodLabel(req.method);
  const route = routeClass(req.url);
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    end({ method, route, status: statusClass(res.statusCode) });
  };
  res.once('finish', finish);
  res.once('close', finish);
}

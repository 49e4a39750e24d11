// A lab backend: a few lines of Node that serve requests with a configurable latency, jitter and
// error rate, and expose Prometheus metrics with a real latency histogram. Run as a child process:
//   node --import tsx lab/backend.ts <instance> <version> <port>
import http from 'node:http';
import { LATENCY_BUCKETS_MS } from '../server/domain/latency-buckets';

const [name = 'backend', version = 'v1', portArg = '0'] = process.argv.slice(2);
// Exactly Switchback's bounds (in seconds), so the buckets read through Prometheus are exact.
const BUCKETS = LATENCY_BUCKETS_MS.map((ms) => ms / 1000);
const knobs = { latencyMs: 20, jitterMs: 5, errorPct: 0 };
const counts = new Array<number>(BUCKETS.length).fill(0);
let sum = 0;
let total = 0;
let inFlight = 0;
const byCode = new Map<number, number>();

function observe(seconds: number) {
  for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) counts[i]!++;
  sum += seconds;
  total++;
}

function metrics(): string {
  const l = `sb_instance="${name}",version="${version}"`;
  const lines = ['# TYPE http_request_duration_seconds histogram'];
  BUCKETS.forEach((b, i) => lines.push(`http_request_duration_seconds_bucket{${l},le="${b}"} ${counts[i]}`));
  lines.push(`http_request_duration_seconds_bucket{${l},le="+Inf"} ${total}`, `http_request_duration_seconds_sum{${l}} ${sum}`, `http_request_duration_seconds_count{${l}} ${total}`);
  lines.push('# TYPE http_requests_total counter');
  for (const [code, n] of byCode) lines.push(`http_requests_total{${l},code="${code}"} ${n}`);
  lines.push('# TYPE http_requests_in_flight gauge', `http_requests_in_flight{${l}} ${inFlight}`);
  const cpu = process.cpuUsage();
  lines.push('# TYPE process_cpu_seconds_total counter', `process_cpu_seconds_total{${l}} ${(cpu.user + cpu.system) / 1e6}`);
  return `${lines.join('\n')}\n`;
}

/** Normal jitter (Box–Muller), never below zero. */
const delay = () => Math.max(0, knobs.latencyMs + knobs.jitterMs * Math.sqrt(-2 * Math.log(Math.random() || 1e-12)) * Math.cos(2 * Math.PI * Math.random()));

const server = http.createServer((req, res) => {
  if (req.url === '/metrics') {
    res.setHeader('content-type', 'text/plain; version=0.0.4');
    return void res.end(metrics());
  }
  if (req.url?.startsWith('/knobs') && req.method === 'POST') {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      try {
        const k = JSON.parse(body || '{}') as Partial<typeof knobs>;
        for (const key of ['latencyMs', 'jitterMs', 'errorPct'] as const) if (typeof k[key] === 'number' && k[key] >= 0) knobs[key] = k[key];
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(knobs));
      } catch {
        res.statusCode = 400;
        res.end('expected JSON { latencyMs, jitterMs, errorPct }');
      }
    });
    return;
  }
  const t0 = performance.now();
  inFlight++;
  setTimeout(() => {
    inFlight--;
    const code = Math.random() * 100 < knobs.errorPct ? 500 : 200;
    byCode.set(code, (byCode.get(code) ?? 0) + 1);
    observe((performance.now() - t0) / 1000);
    res.statusCode = code;
    res.setHeader('x-served-by', name);
    res.end(`${name} ${version}\n`);
  }, delay());
});
server.listen(Number(portArg), '127.0.0.1', () => {
  const a = server.address();
  // The parent waits for this line to know the backend is serving.
  console.log(`listening ${typeof a === 'object' && a ? a.port : portArg}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));

// A real HAProxy on loopback for tests and benchmarks: generated configuration in a temp dir,
// small in-process HTTP backends that say who served, bounded request bursts. Only the
// processes started here are stopped, by PID.
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateHaproxyLab, type LabSpec } from '../generate';
import type { HaproxyConfigInput } from '../config';
import { launchHaproxy, stopProcess } from '../process';
import { freePort } from '../../../../scripts/lib/free-port';

// The process's one port picker (it never hands out a port twice).
export { freePort };

export interface Backend {
  name: string;
  address: string;
  /** Milliseconds each response waits (for in-flight and drain tests). */
  delayMs: number;
  /**
   * Share of answers that are 500s, 0–100 (a bad canary). Spread evenly over the requests rather
   * than drawn at random, so a test sees the share it set within one request.
   */
  errorPct: number;
  served: number;
  /** Answers sent with status 500. */
  errors: number;
  /** Requests received and not yet answered. */
  inFlight: number;
  /** While set, answers wait for it: a test holds requests open as long as it needs, not for a guessed duration. */
  gate: Promise<void> | null;
  close(): Promise<void>;
}

/** Holds the backend's answers until the returned function is called. */
export function holdAnswers(b: Backend): () => void {
  let release = () => undefined as void;
  b.gate = new Promise<void>((r) => (release = r));
  return () => {
    b.gate = null;
    release();
  };
}

export async function startBackend(name: string): Promise<Backend> {
  const port = await freePort();
  const b: Backend = { name, address: `127.0.0.1:${port}`, delayMs: 0, errorPct: 0, served: 0, errors: 0, inFlight: 0, gate: null, close: () => Promise.resolve() };
  // Error credit: each request adds errorPct; a request that brings it to 100 is answered 500.
  let credit = 0;
  const server = http.createServer((req, res) => {
    b.served++;
    b.inFlight++;
    credit += Math.min(100, Math.max(0, b.errorPct));
    const fail = credit >= 100;
    if (fail) credit -= 100;
    const reply = () => {
      b.inFlight--;
      res.setHeader('x-served-by', name);
      if (fail) {
        b.errors++;
        res.statusCode = 500;
      }
      res.end(name);
    };
    const gate = b.gate;
    if (gate) void gate.then(reply);
    else if (b.delayMs > 0) setTimeout(reply, b.delayMs);
    else reply();
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  b.close = () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r())));
  return b;
}

export interface HaproxyLab {
  dir: string;
  adapterConfig: HaproxyConfigInput;
  frontends: Record<string, string>;
  backends: Map<string, Backend>;
  pid(): number;
  start(): Promise<void>;
  /** A reload: a new process replaces the old one (-sf), loading the configuration and map files again. */
  reload(): Promise<void>;
  stop(): Promise<void>;
  close(): Promise<void>;
}

/** `services`: name → versions → server count. Instance / server names are `${service}-${version}-${n}`. */
export async function startHaproxyLab(services: Record<string, Record<string, number>>): Promise<HaproxyLab> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sb-haproxy-'));
  const backends = new Map<string, Backend>();
  const spec: LabSpec = { dir, services: [] };
  const frontends: Record<string, string> = {};
  for (const [svc, versions] of Object.entries(services)) {
    const bindPort = await freePort();
    frontends[svc] = `http://127.0.0.1:${bindPort}`;
    const vs: LabSpec['services'][number]['versions'] = [];
    for (const [version, n] of Object.entries(versions)) {
      const servers = [];
      for (let i = 1; i <= n; i++) {
        const b = await startBackend(`${svc}-${version}-${i}`);
        backends.set(b.name, b);
        servers.push({ name: b.name, address: b.address });
      }
      vs.push({ version, servers });
    }
    spec.services.push({ name: svc, bindPort, versions: vs });
  }
  const { files, adapterConfig } = generateHaproxyLab(spec);
  for (const [f, content] of Object.entries(files)) await writeFile(path.join(dir, f), content);
  let proc: ChildProcess | null = null;
  const cfg = path.join(dir, 'haproxy.cfg');
  const socket = path.join(dir, 'admin.sock');
  const launch = (extra: string[]) => launchHaproxy(cfg, socket, extra);
  const kill = stopProcess;
  const lab: HaproxyLab = {
    dir,
    adapterConfig,
    frontends,
    backends,
    pid: () => proc?.pid ?? 0,
    async start() {
      proc = await launch([]);
    },
    async reload() {
      const old = proc;
      await rm(socket, { force: true });
      // -sf: the new process tells the old one to finish its connections and exit.
      proc = await launch(old?.pid ? ['-sf', String(old.pid)] : []);
      if (old && old.exitCode === null) await new Promise<void>((r) => (old.once('exit', () => r()), setTimeout(r, 3000)));
    },
    async stop() {
      await kill(proc);
      proc = null;
      await rm(socket, { force: true });
    },
    async close() {
      await lab.stop();
      for (const b of backends.values()) await b.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  await lab.start();
  return lab;
}

export interface Burst {
  byServer: Record<string, number>;
  byStatus: Record<number, number>;
  latenciesMs: number[];
  failures: number;
}

/** `n` requests, at most `concurrency` at a time, each on its own connection (no keep-alive skew). */
export async function burst(url: string, n: number, opts: { concurrency?: number; headers?: Record<string, string> } = {}): Promise<Burst> {
  const out: Burst = { byServer: {}, byStatus: {}, latenciesMs: [], failures: 0 };
  let next = 0;
  const agent = new http.Agent({ keepAlive: false });
  const one = () =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const req = http.get(url, { agent, headers: opts.headers }, (res) => {
        res.resume();
        res.on('end', () => {
          out.latenciesMs.push(performance.now() - t0);
          const by = String(res.headers['x-served-by'] ?? '-');
          out.byServer[by] = (out.byServer[by] ?? 0) + 1;
          out.byStatus[res.statusCode ?? 0] = (out.byStatus[res.statusCode ?? 0] ?? 0) + 1;
          resolve();
        });
      });
      req.on('error', () => (out.failures++, resolve()));
      req.setTimeout(10_000, () => req.destroy());
    });
  const worker = async () => {
    while (next < n) {
      next++;
      await one();
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, opts.concurrency ?? 8) }, worker));
  agent.destroy();
  return out;
}

/**
 * Steady load while something runs: bursts of 40 requests (4 at a time), alternating without and
 * with `altHeaders`, until stop() — bounded by a request count and a time limit, whichever comes
 * first, so a test that never stops it still ends.
 */
export function steadyLoad(url: string, bounds: { maxRequests: number; maxMs: number; altHeaders?: Record<string, string> }) {
  let stopped = false;
  let sent = 0;
  const t0 = Date.now();
  const done = (async () => {
    for (let i = 0; !stopped && sent < bounds.maxRequests && Date.now() - t0 < bounds.maxMs; i++) {
      await burst(url, 40, { concurrency: 4, headers: i % 2 === 1 ? bounds.altHeaders : undefined });
      sent += 40;
    }
  })();
  return {
    sent: () => sent,
    async stop() {
      stopped = true;
      await done;
    },
  };
}

// HAProxy in front of the web processes of `npm run scale-out`: one front port balancing the web
// ports with health checks, tuned for the console's long-lived event streams (SSE).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { HAPROXY_BIN } from '../../server/platform/haproxy/process';

export interface WebTierSpec {
  frontHost: string;
  frontPort: number;
  /** The web processes, in order: named web1, web2 … in HAProxy (the name is in X-Switchback-Web). */
  webPorts: number[];
}

/**
 * The configuration. Why each part:
 * - Health: /api/health answers 503 while a worker or the telemetry is down; the web process is
 *   fine then, so both 200 and 503 count as "up" — only a web process that does not answer is
 *   taken out (after 2 failed checks about a second apart; a refused connection fails at once),
 *   and its streams are cut (on-marked-down shutdown-sessions) so their browsers reconnect to the
 *   other one. A check may take 5 s: on a busy machine a slow answer is not a dead process
 *   (with the default — the check interval — both processes were taken out under load).
 * - A request that finds its server gone (refused, reset before an answer) is retried on the
 *   other server (retries + redispatch), so a reconnect in the seconds before the health check
 *   notices is not lost.
 * - Event streams: `timeout server`/`timeout tunnel` of an hour, so a quiet feed is not cut
 *   (if it is, the browser reconnects with its last event id and misses nothing); HAProxy
 *   forwards chunks as they come (no response buffering, no compression configured).
 * - Balancing per request (roundrobin): the console keeps no state in the web process (sessions,
 *   events and the backlog of a reconnect are in PostgreSQL), so no stickiness is needed.
 */
export function webTierConfig(spec: WebTierSpec, socket: string): string {
  return `global
  maxconn 4096
  stats socket ${socket} mode 600 level admin

defaults
  mode http
  log global
  option dontlognull
  option http-server-close
  option redispatch 1
  retries 3
  retry-on conn-failure empty-response
  timeout connect 2s
  timeout queue 10s
  timeout http-request 15s
  timeout http-keep-alive 15s
  timeout client 1h
  timeout server 1h
  timeout tunnel 1h
  timeout client-fin 5s
  timeout server-fin 5s

frontend switchback
  bind ${spec.frontHost}:${spec.frontPort}
  option forwardfor
  default_backend switchback_web

backend switchback_web
  balance roundrobin
  option httpchk
  http-check send meth GET uri /api/health
  http-check expect rstatus ^(200|503)$
  timeout check 5s
  default-server inter 1s fastinter 500ms downinter 1s fall 2 rise 2 on-marked-down shutdown-sessions
  http-response set-header X-Switchback-Web %[srv_name]
${spec.webPorts.map((p, i) => `  server web${i + 1} 127.0.0.1:${p} check`).join('\n')}
`;
}

// HAProxy runs under a small sh, like PostgreSQL in embedded-pg.ts: it stops HAProxy when its
// stdin — a pipe only the supervisor writes to — ends, so a SIGKILLed supervisor leaves no
// HAProxy holding the front port. fd 3 keeps the pipe for the watcher.
const TETHER = `exec 3<&0
"$@" </dev/null 3<&- &
child=$!
echo "$child"
trap 'kill -TERM "$child" 2>/dev/null' INT TERM
{ while read -r _ <&3; do :; done; kill -TERM "$child" 2>/dev/null; } &
watcher=$!
exec 3<&-
while :; do
  wait "$child"; code=$?
  kill -0 "$child" 2>/dev/null || break
done
kill "$watcher" 2>/dev/null
exit "$code"`;

export interface WebTier {
  /** HAProxy's own pid (not the tether's). */
  pid: number;
  tether: ChildProcess;
  socket: string;
  stop(): Promise<void>;
}

const answers = (socket: string) =>
  new Promise<boolean>((r) => {
    const s = net.createConnection(socket);
    s.on('connect', () => s.end('show info\n'));
    s.on('data', () => (s.destroy(), r(true)));
    s.on('error', () => r(false));
  });

/** One command on the admin socket, its whole answer. */
export function adminCommand(socket: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.createConnection(socket);
    let out = '';
    s.on('connect', () => s.end(`${command}\n`));
    s.on('data', (d: Buffer) => (out += d.toString()));
    s.on('end', () => resolve(out));
    s.on('error', reject);
    s.setTimeout(2000, () => (s.destroy(), reject(new Error(`haproxy admin socket: no answer to "${command}"`))));
  });
}

/** HAProxy's view of each web server: web1 → UP / DOWN / … */
export async function serverStates(socket: string): Promise<Record<string, string>> {
  const csv = await adminCommand(socket, 'show stat');
  const states: Record<string, string> = {};
  for (const line of csv.split('\n')) {
    const f = line.split(',');
    if (f[0] === 'switchback_web' && f[1] && f[1] !== 'BACKEND') states[f[1]] = f[17] ?? '?';
  }
  return states;
}

/** Writes the configuration under `dir` and starts HAProxy; resolves once its admin socket answers. */
export async function startWebTier(spec: WebTierSpec, dir: string, onLine: (line: string) => void): Promise<WebTier> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const socket = join(dir, 'haproxy.sock');
  const cfg = join(dir, 'haproxy.cfg');
  writeFileSync(cfg, webTierConfig(spec, socket), { mode: 0o600 });
  const tether = spawn('/bin/sh', ['-c', TETHER, 'switchback-haproxy', HAPROXY_BIN, '-f', cfg, '-db'], { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  tether.stdin?.on('error', () => undefined);
  let err = '';
  tether.stderr?.on('data', (d: Buffer) => {
    const text = d.toString();
    err = (err + text).slice(-4000);
    // "Terminated": the tether's shell reporting its watcher, stopped on purpose.
    for (const l of text.split('\n')) if (l.trim() && l.trim() !== 'Terminated') onLine(l);
  });
  const pid = await new Promise<number>((resolve, reject) => {
    tether.stdout?.once('data', (b: Buffer) => resolve(Number(b.toString().trim().split('\n')[0])));
    tether.once('exit', (code) => reject(new Error(`haproxy exited (${code}): ${err.trim()}`)));
  });
  const stop = async () => {
    if (tether.exitCode !== null || tether.signalCode !== null) return;
    const exited = new Promise<void>((r) => tether.once('exit', () => r()));
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    const t = setTimeout(() => {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, 3000);
    await exited;
    clearTimeout(t);
  };
  for (let i = 0; i < 200; i++) {
    if (tether.exitCode !== null) throw new Error(`haproxy exited: ${err.trim()}`);
    if (await answers(socket)) return { pid, tether, socket, stop };
    await new Promise((r) => setTimeout(r, 50));
  }
  await stop();
  throw new Error(`haproxy did not open its admin socket ${socket}: ${err.trim()}`);
}

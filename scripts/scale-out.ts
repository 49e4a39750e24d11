// `npm run scale-out`: Switchback scaled out on one machine — two web processes behind HAProxy
// (one front port, health-checked) and two workers, on one PostgreSQL (embedded unless
// DATABASE_URL). Start-up is npm start's (migrations, first-run seed, build if the sources
// changed); every child runs in a process group of its own and stops by itself if this process
// dies; Ctrl-C stops HAProxy, the web processes, the workers and PostgreSQL, by PID, in that order.
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createDb } from '../server/db/client';
import { env as loadEnv, EnvError, type Env } from '../server/env';
import { seedIfEmpty } from '../prisma/seed';
import { selectPlatform } from '../server/services/platform/platform-select';
import { dataDirOf, redact, resolveDatabase, runningSupervisor, writeSupervisorLock } from './lib/database';
import { PG_STOP_BOUND_MS } from './lib/embedded-pg';
import { freePort } from './lib/free-port';
import { describeRestart, RestartTracker } from './lib/restart-policy';
import { buildIfNeeded, parsePorts } from './lib/scale-out-start';
import { waitForHttp } from './lib/next-build';
import { startWebTier, type WebTier } from './lib/scale-out-haproxy';
import { KILL_WAIT_MS, running, spawnNode, stopChild, WORKER_NODE_ARGS } from './lib/supervised';

const root = process.cwd();
const t0 = performance.now();
const since = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
const say = (line: string) => console.log(`switchback │ ${line}`);
const prefix = (name: string) => (line: string) => console.log(`${name.padEnd(10)}│ ${line}`);

const WEBS = 2;
const WORKERS = 2;
const WEB_STOP_MS = 4_000;
const WORKER_STOP_MS = 7_000;
/** HAProxy's stop, then the web processes together, then the workers together, then PostgreSQL. */
const STOP_BOUND_MS = 4_000 + WEB_STOP_MS + KILL_WAIT_MS + WORKER_STOP_MS + KILL_WAIT_MS + PG_STOP_BOUND_MS;

/** One supervised process (web1, worker2 …): restarted when it exits, until the stop. */
interface Slot {
  name: string;
  kind: 'web' | 'worker';
  port?: number;
  child?: ChildProcess;
  restarts: RestartTracker;
  timer?: NodeJS.Timeout;
}

let stopAll: ((reason: string, code: number) => Promise<void>) | null = null;

async function main() {
  let e: Env;
  try {
    e = loadEnv();
  } catch (err) {
    if (err instanceof EnvError) {
      console.error(`${err.message}\nSee "Configuration" in README.md for every variable.`);
      process.exit(2);
    }
    throw err;
  }
  const other = runningSupervisor(e);
  if (other) {
    console.error(`Switchback is already running from this data folder (pid ${other.pid}). Stop it first (Ctrl-C in its terminal, or kill ${other.pid}).`);
    process.exit(1);
  }
  const webPorts = parsePorts(process.env.SWITCHBACK_SCALE_OUT_WEB_PORTS, WEBS) ?? (await Promise.all(Array.from({ length: WEBS }, () => freePort())));
  if (webPorts.includes(e.PORT)) throw new Error(`SWITCHBACK_SCALE_OUT_WEB_PORTS must not include PORT (${e.PORT}): HAProxy listens there`);

  say(`Switchback scale-out starting: HAProxy on ${e.PORT} → ${WEBS} web processes (ports ${webPorts.join(', ')}), ${WORKERS} workers, one PostgreSQL`);
  const database = await resolveDatabase(e, (l) => say(l), { ownProcessGroup: true });
  say(`database: ${database.describe}`);
  const lock = database.embedded ? writeSupervisorLock(e, { port: e.PORT, pgPort: e.SWITCHBACK_PG_PORT, processes: { postgres: database.pid ?? undefined } }) : null;

  const slots: Slot[] = [
    ...webPorts.map((port, i): Slot => ({ name: `web${i + 1}`, kind: 'web', port, restarts: new RestartTracker() })),
    ...Array.from({ length: WORKERS }, (_, i): Slot => ({ name: `worker${i + 1}`, kind: 'worker', restarts: new RestartTracker() })),
  ];
  let tier: WebTier | null = null;
  let stopping: Promise<void> | null = null;
  const shutdown = (reason: string, code: number): Promise<void> =>
    (stopping ??= (async () => {
      const began = performance.now();
      say(`${reason}: stopping HAProxy, the web processes, the workers, then PostgreSQL (at most ${STOP_BOUND_MS / 1000} s)…`);
      for (const s of slots) if (s.timer) clearTimeout(s.timer);
      if (tier) await tier.stop().then(() => say('HAProxy stopped'));
      for (const kind of ['web', 'worker'] as const) {
        const ofKind = slots.filter((s) => s.kind === kind && s.child);
        const outcomes = await Promise.all(ofKind.map((s) => stopChild(s.child!, kind === 'web' ? WEB_STOP_MS : WORKER_STOP_MS)));
        ofKind.forEach((s, i) => say(`${s.name} ${outcomes[i]}`));
      }
      if (database.pid) say('stopping PostgreSQL…');
      await database.stop().catch((err: unknown) => say(`PostgreSQL stop: ${err instanceof Error ? err.message : String(err)}`));
      lock?.release();
      say(`stopped in ${((performance.now() - began) / 1000).toFixed(1)} s.`);
      process.exit(code);
    })());
  stopAll = shutdown;
  process.on('SIGINT', () => void shutdown('Ctrl-C', 0));
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
  process.on('SIGHUP', () => void shutdown('SIGHUP (terminal closed)', 0));

  const db = createDb(database.url, 2);
  const seed = await seedIfEmpty(db, { adminName: e.SWITCHBACK_ADMIN_NAME, demo: e.SWITCHBACK_SEED === 'demo' });
  if (seed.seeded) say(e.SWITCHBACK_SEED === 'demo' ? 'first start: demo platform seeded' : 'first start: empty platform (SWITCHBACK_SEED=none)');
  if (e.SWITCHBACK_PLATFORM) {
    try {
      const p = await selectPlatform(db, e.SWITCHBACK_PLATFORM, e.SWITCHBACK_DATA_DIR);
      say(`platform  ${p.name} (${p.kind}) is active`);
    } catch (err) {
      await db.$disconnect();
      return void shutdown(err instanceof Error ? err.message : String(err), 1);
    }
  }
  await db.$disconnect();

  // PORT is the front port for every child: links the workers put in webhooks point at HAProxy.
  // The web processes trust X-Forwarded-For: HAProxy appends the client's address to it.
  const childEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: database.url, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', PORT: String(e.PORT), SWITCHBACK_TRUST_PROXY: 'true' };
  await buildIfNeeded(root, e, childEnv, say, prefix('build'));
  if (stopping) return;

  // Off: a process that exits stays down (the scale-out test kills some and watches the rest).
  const restart = process.env.SWITCHBACK_SCALE_OUT_RESTART !== 'false';
  const start = async (s: Slot) => {
    s.timer = undefined;
    if (stopping) return;
    if (s.kind === 'web') {
      s.child = spawnNode([], 'scripts/web-server.mjs', [String(s.port), '127.0.0.1'], { cwd: root, env: childEnv, onLine: prefix(s.name) });
    } else {
      // Each worker serves its own metrics, on a port of its own.
      const metricsPort = String(await freePort(e.SWITCHBACK_WORKER_METRICS_HOST));
      s.child = spawnNode(WORKER_NODE_ARGS, 'server/jobs/main.ts', [], { cwd: root, env: { ...childEnv, SWITCHBACK_WORKER_METRICS_PORT: metricsPort }, onLine: prefix(s.name) });
    }
    const child = s.child;
    child.on('exit', (code, signal) => {
      if (stopping) return;
      // The others carry on (HAProxy sends everything to the live web process; the other worker
      // takes the jobs and the telemetry leadership); this one comes back after a wait.
      if (!restart) return say(`${s.name} (pid ${child.pid}) exited (${signal ?? code}); not restarted (SWITCHBACK_SCALE_OUT_RESTART=false)`);
      const d = s.restarts.crashed(Date.now());
      say(`${s.name} (pid ${child.pid}) exited (${signal ?? code}); ${describeRestart(d)}`);
      s.timer = setTimeout(() => void start(s).then(() => say(`${s.name} restarted: pid ${s.child?.pid}`)), d.delayMs);
    });
  };
  for (const s of slots) await start(s);

  const webs = slots.filter((s) => s.kind === 'web');
  await Promise.all(webs.map((s) => waitForHttp(`http://127.0.0.1:${s.port}/api/health`, () => (s.child && running(s.child) ? null : `${s.name} exited before it was ready`))));
  tier = await startWebTier({ frontHost: e.SWITCHBACK_HOST, frontPort: e.PORT, webPorts }, join(dataDirOf(e), 'scale-out'), prefix('haproxy'));
  // Without HAProxy nothing reaches the web processes: stop everything rather than look up.
  tier.tether.on('exit', (code, signal) => void shutdown(`HAProxy exited (${signal ?? code})`, 1));
  const front = `http://${e.SWITCHBACK_HOST === '0.0.0.0' ? '127.0.0.1' : e.SWITCHBACK_HOST}:${e.PORT}`;
  await waitForHttp(`${front}/api/health`, () => null);

  const host = e.SWITCHBACK_HOST === '0.0.0.0' || e.SWITCHBACK_HOST === '127.0.0.1' ? 'localhost' : e.SWITCHBACK_HOST;
  const url = e.SWITCHBACK_PUBLIC_URL ?? `http://${host}:${e.PORT}`;
  console.log('');
  say(`ready in ${since()}`);
  say(`open      ${url}   (HAProxy → ${webs.map((s) => `${s.name} 127.0.0.1:${s.port}`).join(', ')})`);
  if (seed.admin) {
    say(`user      ${seed.admin.name}`);
    say(`password  ${seed.admin.password}`);
    say('          (shown this once: keep it. Lost it? npm run user -- reset-password ' + seed.admin.name + ')');
  } else {
    say(`user      ${e.SWITCHBACK_ADMIN_NAME} (its password was printed on the first start; npm run user -- reset-password ${e.SWITCHBACK_ADMIN_NAME})`);
  }
  say(`database  ${redact(database.url)}`);
  say(`haproxy   admin socket ${tier.socket} (echo "show stat" | socat - ${tier.socket})`);
  say(`processes supervisor ${process.pid} · ${slots.map((s) => `${s.name} ${s.child?.pid ?? '-'}`).join(' · ')} · haproxy ${tier.pid} · PostgreSQL ${database.pid ?? '-'}`);
  say('stop      Ctrl-C');
  console.log('');
}

main().catch(async (err: unknown) => {
  console.error(`switchback │ could not start: ${err instanceof Error ? err.message : String(err)}`);
  if (stopAll) await stopAll('start-up failed', 1);
  process.exit(1);
});

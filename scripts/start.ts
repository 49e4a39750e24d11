// `npm start`: the supervisor. PostgreSQL (embedded unless DATABASE_URL) → migrations → first-run
// seed, with the build (if the sources changed) running beside the seed → web + worker → on Ctrl-C
// a stop in order: build, web, worker, PostgreSQL, within a stated bound. Each step's line says
// when it happened (seconds since the start), so a slow first start shows where the time goes.
// Every child runs in a process group of its own, so the terminal's Ctrl-C reaches only this
// process, and stops by itself if this process dies.
import type { ChildProcess } from 'node:child_process';
import { createDb } from '../server/db/client';
import { env as loadEnv, EnvError, type Env } from '../server/env';
import { seedIfEmpty } from '../prisma/seed';
import { selectPlatform } from '../server/services/platform/platform-select';
import { buildIsCurrent } from './lib/build-stamp';
import { startBuild, waitForHttp } from './lib/next-build';
import { lockFileOf, redact, resolveDatabase, runningSupervisor, writeSupervisorLock } from './lib/database';
import { PG_STOP_BOUND_MS } from './lib/embedded-pg';
import { describeRestart, RestartTracker } from './lib/restart-policy';
import { KILL_WAIT_MS, running, spawnNode, stopChild, WORKER_NODE_ARGS } from './lib/supervised';
import { freePort } from './lib/free-port';

const root = process.cwd();
const t0 = performance.now();
const since = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
const say = (line: string) => console.log(`switchback │ ${line}`);
/** A step done: the line, and when (seconds since `npm start`). */
const step = (line: string) => say(`${line} · at ${since()}`);
const prefix = (name: string) => (line: string) => console.log(`${name.padEnd(10)}│ ${line}`);

/** Stop budgets: the web server drains its requests; the worker finishes or hands back its jobs (5 s, server/jobs/main.ts). */
const WEB_STOP_MS = 4_000;
const WORKER_STOP_MS = 7_000;
/** A build stops at once when asked: nothing of it is worth keeping. It runs before the web server
 * and the worker start, never beside them, so its stop fits in theirs and the bound below holds. */
const BUILD_STOP_MS = 1_000;
/** The longest a stop takes, stated when it starts: each step's grace, its SIGKILL wait, and PostgreSQL's. */
const STOP_BOUND_MS = WEB_STOP_MS + KILL_WAIT_MS + WORKER_STOP_MS + KILL_WAIT_MS + PG_STOP_BOUND_MS;

/** Set once PostgreSQL is up, so a failure later in start-up still stops what was started. */
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

  say(`Switchback starting (Node ${process.versions.node})`);
  const database = await resolveDatabase(e, (l) => say(l), { ownProcessGroup: true });
  step(`database: ${database.describe}`);
  const lock = database.embedded ? writeSupervisorLock(e, { port: e.PORT, pgPort: e.SWITCHBACK_PG_PORT, processes: { postgres: database.pid ?? undefined } }) : null;

  const procs: { build?: ChildProcess; web?: ChildProcess; worker?: ChildProcess } = {};
  let restartTimer: NodeJS.Timeout | null = null;
  let stopping: Promise<void> | null = null;
  // One stop, however many signals and failures ask for it; it ends the process.
  const shutdown = (reason: string, code: number): Promise<void> =>
    (stopping ??= (async () => {
      const began = performance.now();
      say(`${reason}: stopping the web server, then the worker, then PostgreSQL (at most ${STOP_BOUND_MS / 1000} s)…`);
      if (restartTimer) clearTimeout(restartTimer);
      if (procs.build && running(procs.build)) say(`build ${await stopChild(procs.build, BUILD_STOP_MS)}`);
      if (procs.web) say(`web server ${await stopChild(procs.web, WEB_STOP_MS)}`);
      if (procs.worker) say(`worker ${await stopChild(procs.worker, WORKER_STOP_MS)}`);
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

  const childEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: database.url, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' };
  // The worker serves its own metrics (server/metrics/exposition.ts): a free port unless configured.
  childEnv.SWITCHBACK_WORKER_METRICS_PORT = String(e.SWITCHBACK_WORKER_METRICS_PORT ?? (await freePort(e.SWITCHBACK_WORKER_METRICS_HOST)));
  // The build needs no database: it runs while the seed fills it (a large demo fleet takes a while).
  let building: Promise<Error | null> = Promise.resolve(null);
  if (e.SWITCHBACK_SKIP_BUILD) {
    say('SWITCHBACK_SKIP_BUILD=true: using the existing build');
  } else if (buildIsCurrent(root)) {
    say('build is up to date');
  } else {
    step('building the web app (sources changed or no build yet; about 1–2 minutes on 2 cores)…');
    const build = startBuild(root, childEnv, step, prefix('build'));
    procs.build = build.child;
    building = build.done;
  }

  const db = createDb(database.url, 2);
  const seed = await seedIfEmpty(db, { adminName: e.SWITCHBACK_ADMIN_NAME, demo: e.SWITCHBACK_SEED === 'demo' });
  if (seed.seeded) step(e.SWITCHBACK_SEED === 'demo' ? 'first start: demo platform seeded' : 'first start: empty platform (SWITCHBACK_SEED=none)');
  if (e.SWITCHBACK_PLATFORM) {
    try {
      const p = await selectPlatform(db, e.SWITCHBACK_PLATFORM, e.SWITCHBACK_DATA_DIR);
      const what = p.imported ? ` (registry: ${p.imported.services} services and ${p.imported.instances} instances added, ${p.imported.updated} updated)` : '';
      step(`platform  ${p.name} (${p.kind}) is active${what}`);
    } catch (err) {
      await db.$disconnect();
      return void shutdown(err instanceof Error ? err.message : String(err), 1);
    }
  }
  await db.$disconnect();

  if (procs.build && running(procs.build)) say('database ready; waiting for the build…');
  const buildError = await building;
  if (stopping) return;
  if (buildError) throw buildError;

  const w = spawnNode([], 'scripts/web-server.mjs', [String(e.PORT), e.SWITCHBACK_HOST], { cwd: root, env: childEnv, onLine: prefix('web') });
  procs.web = w;
  lock?.processes({ web: w.pid });
  w.on('exit', (code, signal) => void shutdown(`the web server exited (${signal ?? code})`, 1));
  step(`web server starting (pid ${w.pid})`);

  // A worker that exits is restarted, with a wait that grows while it keeps exiting; the web
  // server stays up meanwhile and /api/health shows the worker as down.
  const restarts = new RestartTracker();
  const startWorkerProcess = () => {
    restartTimer = null;
    if (stopping) return;
    const child = spawnNode(WORKER_NODE_ARGS, 'server/jobs/main.ts', [], { cwd: root, env: childEnv, onLine: prefix('worker') });
    procs.worker = child;
    lock?.processes({ worker: child.pid });
    child.on('exit', (code, signal) => {
      if (stopping) return;
      lock?.processes({ worker: undefined });
      const d = restarts.crashed(Date.now());
      say(`the worker exited (${signal ?? code}); ${describeRestart(d)}`);
      restartTimer = setTimeout(startWorkerProcess, d.delayMs);
    });
  };
  startWorkerProcess();

  const host = e.SWITCHBACK_HOST === '0.0.0.0' || e.SWITCHBACK_HOST === '127.0.0.1' ? 'localhost' : e.SWITCHBACK_HOST;
  const url = e.SWITCHBACK_PUBLIC_URL ?? `http://${host}:${e.PORT}`;
  await waitForHttp(`http://${e.SWITCHBACK_HOST === '0.0.0.0' ? '127.0.0.1' : e.SWITCHBACK_HOST}:${e.PORT}/api/health`, () => (running(w) ? null : `the web server exited with code ${w.exitCode} before it was ready`), 60_000);
  console.log('');
  say(`ready in ${since()}`);
  say(`open      ${url}`);
  say(`fleet     ${seed.fleet}`);
  if (seed.admin) {
    say(`user      ${seed.admin.name}`);
    say(`password  ${seed.admin.password}`);
    say('          (shown this once: keep it. Lost it? npm run user -- reset-password ' + seed.admin.name + ')');
  } else {
    say(`user      ${e.SWITCHBACK_ADMIN_NAME} (its password was printed on the first start; npm run user -- reset-password ${e.SWITCHBACK_ADMIN_NAME})`);
  }
  say(`database  ${redact(database.url)}`);
  say(`metrics   ${url}/metrics (web) · http://${e.SWITCHBACK_WORKER_METRICS_HOST}:${childEnv.SWITCHBACK_WORKER_METRICS_PORT}/metrics (worker)`);
  if (lock) say(`processes supervisor ${process.pid} · web ${w.pid} · worker ${procs.worker?.pid ?? '-'} · PostgreSQL ${database.pid} (${lockFileOf(e)})`);
  say('stop      Ctrl-C');
  console.log('');
}

main().catch(async (err: unknown) => {
  console.error(`switchback │ could not start: ${err instanceof Error ? err.message : String(err)}`);
  if (stopAll) await stopAll('start-up failed', 1);
  process.exit(1);
});

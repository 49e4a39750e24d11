// `npm start`: the supervisor. PostgreSQL (embedded unless DATABASE_URL) → migrations → first-run
// seed → build if the sources changed → web + worker → a clean stop of all of it on Ctrl-C.
import { spawn, type ChildProcess } from 'node:child_process';
import { createDb } from '../server/db/client';
import { env as loadEnv, EnvError, type Env } from '../server/env';
import { seedIfEmpty } from '../prisma/seed';
import { selectPlatform } from '../server/services/platform/platform-select';
import { buildIsCurrent, writeBuildStamp } from './lib/build-stamp';
import { redact, resolveDatabase, runningSupervisor, writeSupervisorLock } from './lib/database';

const root = process.cwd();
const t0 = performance.now();
const since = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
const say = (line: string) => console.log(`switchback │ ${line}`);
/** Set once PostgreSQL is up, so a failure later in start-up still stops what was started. */
let stopAll: ((reason: string, code: number) => Promise<void>) | null = null;

function prefixed(child: ChildProcess, name: string) {
  for (const stream of [child.stdout, child.stderr]) {
    let buf = '';
    stream?.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) if (l.trim()) console.log(`${name.padEnd(10)}│ ${l}`);
    });
  }
}

function runToEnd(cmd: string, args: string[], extraEnv: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    prefixed(child, 'build');
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`next build exited with code ${code}`))));
  });
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the web server exited with code ${child.exitCode} before it was ready`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  throw new Error(`the web server did not answer at ${url} within ${timeoutMs / 1000} s`);
}

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
  const database = await resolveDatabase(e, (l) => say(l));
  say(`database: ${database.describe}`);
  const releaseLock = database.embedded ? writeSupervisorLock(e, database.url) : () => {};

  const children: ChildProcess[] = [];
  let stopping = false;
  const shutdown = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    say(`${reason}: stopping web and worker…`);
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            const kill = setTimeout(() => c.kill('SIGKILL'), 10_000);
            c.once('exit', () => (clearTimeout(kill), resolve()));
            c.kill('SIGTERM');
          }),
      ),
    );
    if (database.embedded) say('stopping PostgreSQL…');
    await database.stop().catch((err: unknown) => say(`PostgreSQL stop: ${err instanceof Error ? err.message : String(err)}`));
    releaseLock();
    say('stopped.');
    process.exit(code);
  };
  stopAll = shutdown;
  process.on('SIGINT', () => void shutdown('Ctrl-C', 0));
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));

  const db = createDb(database.url, 2);
  const seed = await seedIfEmpty(db, { adminName: e.SWITCHBACK_ADMIN_NAME, demo: e.SWITCHBACK_SEED === 'demo' });
  if (seed.seeded) say(e.SWITCHBACK_SEED === 'demo' ? 'first start: demo platform seeded' : 'first start: empty platform (SWITCHBACK_SEED=none)');
  if (e.SWITCHBACK_PLATFORM) {
    try {
      const p = await selectPlatform(db, e.SWITCHBACK_PLATFORM, e.SWITCHBACK_DATA_DIR);
      const what = p.imported ? ` (registry: ${p.imported.services} services and ${p.imported.instances} instances added, ${p.imported.updated} updated)` : '';
      say(`platform  ${p.name} (${p.kind}) is active${what}`);
    } catch (err) {
      await db.$disconnect();
      return void shutdown(err instanceof Error ? err.message : String(err), 1);
    }
  }
  await db.$disconnect();

  const childEnv: NodeJS.ProcessEnv = { DATABASE_URL: database.url, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' };
  if (e.SWITCHBACK_SKIP_BUILD) {
    say('SWITCHBACK_SKIP_BUILD=true: using the existing build');
  } else if (buildIsCurrent(root)) {
    say('build is up to date');
  } else {
    say('building the web app (sources changed or no build yet; about 3–4 minutes on 2 cores)…');
    const b = performance.now();
    // Next prints little while it compiles: say every 15 s that the build is still going.
    const progress = setInterval(() => say(`still building… ${((performance.now() - b) / 1000).toFixed(0)} s so far`), 15_000);
    await runToEnd(process.execPath, ['node_modules/next/dist/bin/next', 'build'], childEnv).finally(() => clearInterval(progress));
    writeBuildStamp(root);
    say(`built in ${((performance.now() - b) / 1000).toFixed(0)} s`);
  }

  const web = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-p', String(e.PORT), '-H', e.SWITCHBACK_HOST], {
    cwd: root,
    env: { ...process.env, ...childEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(web);
  prefixed(web, 'web');
  web.on('exit', (code, signal) => void shutdown(`the web server exited (${signal ?? code})`, 1));

  let workerRestarts = 0;
  const startWorkerProcess = () => {
    const w = spawn(process.execPath, ['--import', 'tsx', 'server/jobs/main.ts'], { cwd: root, env: { ...process.env, ...childEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(w);
    prefixed(w, 'worker');
    w.on('exit', (code, signal) => {
      if (stopping) return;
      children.splice(children.indexOf(w), 1);
      // A crashed worker is restarted: its jobs are retried and its heartbeat resumes.
      if (++workerRestarts > 5) return void shutdown(`the worker keeps exiting (${signal ?? code})`, 1);
      say(`the worker exited (${signal ?? code}); restarting it (${workerRestarts}/5)`);
      setTimeout(startWorkerProcess, 1000 * workerRestarts);
    });
  };
  startWorkerProcess();

  const host = e.SWITCHBACK_HOST === '0.0.0.0' || e.SWITCHBACK_HOST === '127.0.0.1' ? 'localhost' : e.SWITCHBACK_HOST;
  const url = e.SWITCHBACK_PUBLIC_URL ?? `http://${host}:${e.PORT}`;
  await waitForHttp(`http://${e.SWITCHBACK_HOST === '0.0.0.0' ? '127.0.0.1' : e.SWITCHBACK_HOST}:${e.PORT}/api/health`, web);
  console.log('');
  say(`ready in ${since()}`);
  say(`open      ${url}`);
  if (seed.admin) {
    say(`user      ${seed.admin.name}`);
    say(`password  ${seed.admin.password}`);
    say('          (shown this once: keep it. Lost it? npm run user -- reset-password ' + seed.admin.name + ')');
  } else {
    say(`user      ${e.SWITCHBACK_ADMIN_NAME} (its password was printed on the first start; npm run user -- reset-password ${e.SWITCHBACK_ADMIN_NAME})`);
  }
  say(`database  ${redact(database.url)}`);
  say('stop      Ctrl-C');
  console.log('');
}

main().catch(async (err: unknown) => {
  console.error(`switchback │ could not start: ${err instanceof Error ? err.message : String(err)}`);
  if (stopAll) await stopAll('start-up failed', 1);
  process.exit(1);
});

// A throwaway database with a fleet of about `instances` instances and the real telemetry loop
// (the simulator) ticking in this process; optionally the production web server (`npm start`'s
// scripts/web-server.mjs, from the existing build) in a child process, with a signed-in viewer.
// Shared by the live-feed parts of the scale bench (streams, payload).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { demoFleet } from '../../../prisma/demo-fleet';
import { createDb, type Db } from '../../../server/db/client';
import { makeFleet, makeUser } from '../../../server/db/factories';
import { defaultPolicies } from '../../../server/domain/policy-defaults';
import { activeAdapterConfig, createAdapter, feedSimControls } from '../../../server/services/platform/active-adapter';
import { TelemetryLoop } from '../../../server/jobs/telemetry/loop';
import { benchDatabase, freePort } from '../../lib';
import { syntheticFleet } from '../../fleets';

export interface LiveFleet {
  url: string;
  db: Db;
  /** Ids of committed ticks, in order, as the loop commits them. */
  ticks: string[];
  /** Each committed tick's duration (ms), in order, beside `ticks`. */
  tickDurations: number[];
  /** Slots the loop skipped so far (a tick that started too late). */
  skipped(): number;
  stop(): Promise<void>;
}

export interface WebUnderTest {
  base: string;
  cookie: string;
  pid: number;
  /** The web process's resident set, in MB (Linux /proc). */
  rssMb(): number;
  log(): string;
}

/** The demo fleet (80) for small sizes, the synthetic one (≥ 480) above. */
const fleetFor = (n: number) => (n <= 100 ? demoFleet : syntheticFleet(n));

export async function liveFleet(instances: number, tickMs: number): Promise<LiveFleet> {
  const database = await benchDatabase();
  const db = createDb(database.url, 4);
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  // PostgreSQL ends idle connections when it stops: not an error of the bench.
  pool.on('error', () => undefined);
  for (const [kind, document] of Object.entries(defaultPolicies)) await db.policy.create({ data: { kind: kind as keyof typeof defaultPolicies, scope: 'global', document } });
  await db.adapterConfig.create({ data: { name: 'simulator', kind: 'sim', active: true, config: {} } });
  await makeFleet(db, fleetFor(instances));
  const ticks: string[] = [];
  const tickDurations: number[] = [];
  const loop = new TelemetryLoop({
    url: database.url, pool, db, tickMs, log: () => undefined, workerId: 'bench', electionPollMs: 100,
    openAdapter: async () => createAdapter(await activeAdapterConfig(pool)), beforeTick: feedSimControls,
    onTick: (t) => {
      ticks.push(t.tickId.toString());
      tickDurations.push(t.totalMs);
    },
  });
  loop.start();
  return {
    url: database.url,
    db,
    ticks,
    tickDurations,
    skipped: () => loop.stats.skipped,
    async stop() {
      await loop.stop();
      await pool.end();
      await db.$disconnect();
      await database.stop();
    },
  };
}

/** Waits for `cond`, polling; throws after `ms` (a hang bound, not a speed bound). */
export async function until(cond: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Which web process: `next` (the production server `npm start` runs; builds first when there is
 * no build) or `trpc` (the API's handler in a plain Node server, lib/trpc-server.ts: no build, and
 * no Next.js cost per request). SCALE_WEB chooses; by default `next` when a build exists.
 */
export const webKind = (): 'next' | 'trpc' => {
  const chosen = process.env.SCALE_WEB;
  if (chosen === 'next' || chosen === 'trpc') return chosen;
  return existsSync(`${process.env.SWITCHBACK_DIST_DIR || '.next'}/BUILD_ID`) ? 'next' : 'trpc';
};

export async function startWeb(fleet: LiveFleet): Promise<WebUnderTest & { stop(): Promise<void> }> {
  const kind = webKind();
  const dist = process.env.SWITCHBACK_DIST_DIR || '.next';
  if (kind === 'next' && !existsSync(`${dist}/BUILD_ID`)) {
    const b = spawnSync(process.execPath, ['node_modules/next/dist/bin/next', 'build'], { stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
    if (b.status !== 0) throw new Error('next build failed');
  }
  // On a shared machine each engineer has their own port: SCALE_APP_PORT (else any free one).
  const port = Number(process.env.SCALE_APP_PORT) || (await freePort());
  // SCALE_WEB_NODE_ARGS: extra node flags for the web process only (e.g. --cpu-prof --cpu-prof-dir=…).
  const nodeArgs = (process.env.SCALE_WEB_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const args = kind === 'next' ? [...nodeArgs, 'scripts/web-server.mjs', String(port), '127.0.0.1'] : [...nodeArgs, '--import', 'tsx', 'bench/scale/lib/trpc-server.ts', String(port)];
  const web: ChildProcess = spawn(process.execPath, args, {
    env: { ...process.env, DATABASE_URL: fleet.url, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  web.stdout!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  web.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  const base = `http://127.0.0.1:${port}`;
  try {
    // Any answer will do: health is 503 until a worker runs.
    await until(async () => {
      if (web.exitCode !== null) throw new Error(`the web server exited:\n${log}`);
      return fetch(`${base}/api/health`).then(() => true, () => false);
    }, 120_000, 'the web server');
    const { user, password } = await makeUser(fleet.db, { role: 'viewer' });
    const login = await fetch(`${base}/api/trpc/auth.login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ json: { name: user.name, password } }) });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    if (!login.ok || !cookie) throw new Error(`login failed: ${login.status}`);
    return {
      base,
      cookie,
      pid: web.pid!,
      rssMb: () => Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${web.pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024),
      log: () => log,
      async stop() {
        web.kill('SIGTERM');
        await until(() => web.exitCode !== null || web.signalCode !== null, 15_000, 'the web server to stop').catch(() => web.kill('SIGKILL'));
      },
    };
  } catch (err) {
    web.kill('SIGKILL');
    throw err;
  }
}

// Live latency (issue 3): from a tick's COMMIT to the tick's event arriving at an SSE client of
// the running web server (tRPC subscription over HTTP, the browser's path), over ≥ 200 ticks.
// Starts the web server `npm start` runs (scripts/web-server.mjs: Next.js behind a plain Node
// server) from the existing production build (builds it first when missing) against a
// throwaway embedded PostgreSQL, and runs the real telemetry loop in this process.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import pg from 'pg';
import { demoFleet } from '../prisma/demo-fleet';
import { createDb } from '../server/db/client';
import { makeFleet, makeUser } from '../server/db/factories';
import { defaultPolicies } from '../server/domain/policy-defaults';
import { activeAdapterConfig, createAdapter, feedSimControls } from '../server/services/platform/active-adapter';
import { TelemetryLoop } from '../server/jobs/telemetry/loop';
import { benchDatabase, freePort, summary } from './lib';

const EVENTS = 200;

export async function run(): Promise<Record<string, unknown>> {
  const dist = process.env.SWITCHBACK_DIST_DIR || '.next';
  if (!existsSync(`${dist}/BUILD_ID`)) {
    const b = spawnSync(process.execPath, ['node_modules/next/dist/bin/next', 'build'], { stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
    if (b.status !== 0) throw new Error('next build failed');
  }
  const database = await benchDatabase();
  const db = createDb(database.url, 4);
  const port = await freePort();
  const web = spawn(process.execPath, ['scripts/web-server.mjs', String(port), '127.0.0.1'], {
    env: { ...process.env, DATABASE_URL: database.url, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let webLog = '';
  web.stdout.on('data', (d: Buffer) => (webLog = (webLog + d.toString()).slice(-4000)));
  web.stderr.on('data', (d: Buffer) => (webLog = (webLog + d.toString()).slice(-4000)));
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  let loop: TelemetryLoop | null = null;
  const abort = new AbortController();
  try {
    for (const [kind, document] of Object.entries(defaultPolicies)) await db.policy.create({ data: { kind: kind as keyof typeof defaultPolicies, scope: 'global', document } });
    await db.adapterConfig.create({ data: { name: 'simulator', kind: 'sim', active: true, config: {} } });
    await makeFleet(db, demoFleet);
    const { user, password } = await makeUser(db, { role: 'viewer' });
    const instance = await db.instance.findFirstOrThrow({ orderBy: { name: 'asc' } });
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      // Any answer will do: health is 503 until a worker and the loop run, which start below.
      const ok = await fetch(`${base}/api/health`).then(() => true, () => false);
      if (ok) break;
      if (i > 600 || web.exitCode !== null) throw new Error(`web server did not start:\n${webLog}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const login = await fetch(`${base}/api/trpc/auth.login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ json: { name: user.name, password } }) });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    if (!login.ok || !cookie) throw new Error(`login failed: ${login.status}`);

    const committed = new Map<string, number>();
    const latencies: number[] = [];
    loop = new TelemetryLoop({
      url: database.url, pool, db, tickMs: 250, log: () => undefined, workerId: 'bench', electionPollMs: 100,
      openAdapter: async () => createAdapter(await activeAdapterConfig(pool)), beforeTick: feedSimControls,
      onTick: (t) => committed.set(t.tickId.toString(), t.committedAt),
    });
    loop.start();
    const input = encodeURIComponent(JSON.stringify({ json: { instanceId: instance.id } }));
    const res = await fetch(`${base}/api/trpc/telemetry.instanceLive?input=${input}`, { headers: { cookie, accept: 'text/event-stream' }, signal: abort.signal });
    if (!res.ok || !res.body) throw new Error(`subscription failed: ${res.status}`);
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    while (latencies.length < EVENTS) {
      const { value, done } = await reader.read();
      if (done) throw new Error('the event stream ended');
      const at = Date.now();
      buffer += value;
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        const m = /^id: ?(\d+)$/.exec(line.trim());
        if (!m) continue;
        // The commit callback runs right after COMMIT returns; the event can be faster than that.
        for (let i = 0; i < 50 && !committed.has(m[1]!); i++) await new Promise((r) => setTimeout(r, 2));
        const c = committed.get(m[1]!);
        if (c !== undefined) latencies.push(Math.max(0, at - c));
      }
    }
    return { bench: 'live', tickCommitToSseClientMs: summary(latencies), tickMs: 250, instances: await db.instance.count() };
  } finally {
    abort.abort();
    await loop?.stop();
    await pool.end();
    web.kill('SIGTERM');
    await db.$disconnect();
    await database.stop();
  }
}

// The scale-out stack of e2e/scale-out.spec.ts: `npm run scale-out` as the README says, on free
// ports and a fresh data folder, with what the spec needs to watch it — the PIDs it prints, the
// database, the HAProxy admin socket — and the event feed a browser page receives (read through
// the DevTools protocol, so the console's own client code is what is under test).
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import pg from 'pg';
import { alive, embeddedUrl } from '../scripts/lib/embedded-pg';
import { freePort } from '../scripts/lib/free-port';
import { serverStates } from '../scripts/lib/scale-out-haproxy';

export interface Proc {
  name: string;
  pid: number;
}

export interface Stack {
  front: string;
  webs: Array<Proc & { url: string }>;
  workers: Array<Proc & { metrics: () => string | null }>;
  admin: { name: string; password: string };
  db: pg.Pool;
  states(): Promise<Record<string, string>>;
  output(): string;
  stop(): Promise<void>;
}

const waitFor = async (what: string, ok: () => boolean, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

export async function startStack(): Promise<Stack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchback-scale-out-'));
  const [frontPort, pgPort] = [await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SWITCHBACK_DATA_DIR: dataDir,
    PORT: String(frontPort),
    SWITCHBACK_PG_PORT: String(pgPort),
    SWITCHBACK_HOST: '127.0.0.1',
    // A killed process stays down: the spec watches the others take over.
    SWITCHBACK_SCALE_OUT_RESTART: 'false',
  };
  for (const k of ['DATABASE_URL', 'SWITCHBACK_PUBLIC_URL', 'SWITCHBACK_SCALE_OUT_WEB_PORTS', 'SWITCHBACK_TICK_MS']) delete env[k];
  // Its own process group: the stop signals npm and the supervisor together, by that group's id.
  const child: ChildProcess = spawn('npm', ['run', 'scale-out'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
  let out = '';
  // Its whole output, for a failure's post-mortem (like global setup's .tmp/e2e-start.log).
  mkdirSync('.tmp', { recursive: true });
  const log = createWriteStream('.tmp/e2e-scale-out.log');
  for (const s of [child.stdout, child.stderr]) {
    s?.on('data', (b: Buffer) => {
      out += b.toString();
      log.write(b);
    });
  }
  let exited = false;
  child.on('exit', () => (exited = true));
  const stop = async () => {
    if (!exited && child.pid && alive(child.pid)) {
      process.kill(-child.pid, 'SIGINT'); // Ctrl-C, as a user stops it
      await waitFor('the scale-out stack to stop', () => exited, 45_000).catch(() => process.kill(-child.pid!, 'SIGKILL'));
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    // The build is current in `npm test` (global setup's npm start made it); else it is built here.
    await waitFor('npm run scale-out to be ready', () => /switchback │ stop\s+Ctrl-C/.test(out) || exited, 420_000);
    if (exited) throw new Error(`npm run scale-out exited:\n${out.slice(-3000)}`);
  } catch (err) {
    await stop();
    throw err;
  }
  const open = /switchback │ open\s+(\S+)\s+\(HAProxy → ([^)]*)\)/.exec(out);
  const user = /switchback │ user\s+(\S+)/.exec(out)?.[1];
  const password = /switchback │ password\s+(\S+)/.exec(out)?.[1];
  const procs = /switchback │ processes (.*)/.exec(out)?.[1] ?? '';
  const socket = /switchback │ haproxy\s+admin socket (\S+)/.exec(out)?.[1];
  if (!open || !user || !password || !socket) throw new Error(`npm run scale-out did not print its URL, login and admin socket:\n${out}`);
  const pidOf = (name: string) => Number(new RegExp(`\\b${name} (\\d+)`).exec(procs)?.[1]);
  const webs = [...open[2]!.matchAll(/(web\d) ([\d.]+:\d+)/g)].map((m) => ({ name: m[1]!, url: `http://${m[2]}`, pid: pidOf(m[1]!) }));
  const workers = ['worker1', 'worker2'].map((name) => ({
    name,
    pid: pidOf(name),
    // Read when asked: a worker may print it after the supervisor said it was ready.
    metrics: () => new RegExp(`${name}\\s*│ \\[worker\\] metrics at (\\S+)`).exec(out)?.[1] ?? null,
  }));
  const db = new pg.Pool({ connectionString: embeddedUrl(join(dataDir, 'pg'), pgPort, 'switchback'), max: 3 });
  db.on('error', () => undefined);
  return {
    front: `http://127.0.0.1:${frontPort}`,
    webs,
    workers,
    admin: { name: user, password },
    db,
    states: () => serverStates(socket),
    output: () => out,
    stop: async () => {
      await db.end().catch(() => undefined);
      await stop();
    },
  };
}

export interface Stream {
  requestId: string;
  url: string;
  /** The web process HAProxy chose (X-Switchback-Web); absent on a direct connection. */
  server?: string;
  /** Event ids in arrival order. */
  ids: string[];
  /** The Last-Event-ID header the browser sent (a native EventSource reconnect resumes with it). */
  lastEventIdHeader?: string;
  ended: boolean;
}

/** The change feed (live.events) of one page as the browser received it, stream by stream. */
export async function watchFeed(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  const streams: Stream[] = [];
  const byId = new Map<string, Stream>();
  cdp.on('Network.requestWillBeSent', (e) => {
    if (!new URL(e.request.url).pathname.endsWith('/api/trpc/live.events') || byId.has(e.requestId)) return;
    const s: Stream = { requestId: e.requestId, url: e.request.url, ids: [], ended: false };
    streams.push(s);
    byId.set(e.requestId, s);
  });
  cdp.on('Network.requestWillBeSentExtraInfo', (e) => {
    const s = byId.get(e.requestId);
    const h = Object.entries(e.headers).find(([k]) => k.toLowerCase() === 'last-event-id');
    if (s && h) s.lastEventIdHeader = h[1];
  });
  cdp.on('Network.responseReceived', (e) => {
    const s = byId.get(e.requestId);
    if (!s) return;
    const h = Object.entries(e.response.headers).find(([k]) => k.toLowerCase() === 'x-switchback-web');
    s.server = h?.[1];
  });
  cdp.on('Network.eventSourceMessageReceived', (e) => {
    // Data only: tRPC's own events (connected, ping …) may repeat the last id without an event.
    if (e.eventName === 'message' && e.eventId) byId.get(e.requestId)?.ids.push(e.eventId);
  });
  const end = (e: { requestId: string }) => {
    const s = byId.get(e.requestId);
    if (s) s.ended = true;
  };
  cdp.on('Network.loadingFinished', end);
  cdp.on('Network.loadingFailed', end);
  await cdp.send('Network.enable');
  return {
    streams,
    /** Every event id received, over all streams. */
    ids: () => streams.flatMap((s) => s.ids),
    /** The stream open now (the last one started). */
    current: () => streams.at(-1),
    /**
     * The event id a stream's request resumed from: the Last-Event-ID header of the browser's own
     * EventSource reconnect, or the lastEventId tRPC puts in the input when it opens a new one.
     */
    resumedFrom: (s: Stream) => {
      if (s.lastEventIdHeader) return s.lastEventIdHeader;
      const input = new URL(s.url).searchParams.get('input');
      const parsed = input ? (JSON.parse(input) as { json?: { lastEventId?: string } }) : null;
      return parsed?.json?.lastEventId ?? null;
    },
  };
}

export type Feed = Awaited<ReturnType<typeof watchFeed>>;

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { freePort } from '../../lib';

// The console started the README way (`npm start` on a fresh data folder, as the e2e global setup
// does) and a system Chromium signed in to it: for the benchmarks that measure pages in a browser.

export interface RunningApp {
  url: string;
  adminName: string;
  adminPassword: string;
  /** Everything `npm start` printed (its build and seed lines say what the figures rest on). */
  output: () => string;
  stop(): Promise<void>;
}

/** `npm start` with `env` added (e.g. SWITCHBACK_DEMO_INSTANCES); resolves when it prints its banner. */
export async function startApp(env: Record<string, string> = {}, readyBoundMs = 900_000): Promise<RunningApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchback-bench-app-'));
  // On a shared machine each engineer has their own ports: SCALE_APP_PORT / SCALE_APP_PG_PORT.
  const port = Number(process.env.SCALE_APP_PORT) || (await freePort());
  const pgPort = Number(process.env.SCALE_APP_PG_PORT) || (await freePort());
  const child = spawn('npm', ['start'], {
    detached: true, // its own process group: stop() reaches npm, web, worker and PostgreSQL together
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SWITCHBACK_DATA_DIR: dataDir, PORT: String(port), SWITCHBACK_PG_PORT: String(pgPort), DATABASE_URL: '', ...env },
  });
  let out = '';
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    try {
      process.kill(-child.pid!, 'SIGINT');
    } catch {
      // already gone
    }
    const bound = new Promise<'late'>((r) => setTimeout(() => r('late'), 30_000).unref());
    if ((await Promise.race([exited.then(() => 'done' as const), bound])) === 'late') {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start was not ready within ${readyBoundMs / 1000} s:\n${out.slice(-2000)}`)), readyBoundMs);
    const onData = (b: Buffer) => {
      out += b.toString();
      if (/switchback │ stop\s+Ctrl-C/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code} before it was ready:\n${out.slice(-2000)}`));
    });
  }).catch(async (err: unknown) => {
    await stop();
    throw err;
  });
  const adminName = /switchback │ user\s+(\S+)/.exec(out)?.[1];
  const adminPassword = /switchback │ password\s+(\S+)/.exec(out)?.[1];
  if (!adminName || !adminPassword) {
    await stop();
    throw new Error(`npm start printed no user and password:\n${out.slice(-2000)}`);
  }
  return { url: `http://127.0.0.1:${port}`, adminName, adminPassword, output: () => out, stop };
}

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The system Chromium with the flags the e2e suite uses (a closed network, no GPU). */
export function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? CANDIDATES.find((p) => existsSync(p));
  if (!executablePath) throw new Error('No Chromium found: install one (apt-get install -y chromium) or set CHROMIUM_PATH.');
  return chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** A fresh context (empty cache: a first visit) signed in through the API, as the e2e fixtures do. */
export async function signedInPage(browser: Browser, app: RunningApp, viewport = { width: 1440, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ baseURL: app.url, viewport });
  const page = await context.newPage();
  const res = await page.request.post('/api/trpc/auth.login', { data: { json: { name: app.adminName, password: app.adminPassword } }, headers: { origin: app.url } });
  if (res.status() !== 200) throw new Error(`sign-in failed: ${res.status()} ${await res.text()}`);
  return page;
}

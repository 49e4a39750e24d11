import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STATE_FILE, type E2EState } from './state';

// Starts Switchback exactly as the README says (`npm start`) on a fresh data folder, so the
// first-start output (URL, admin name, generated password) is part of what is tested.
export default async function globalSetup() {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchback-e2e-'));
  const port = process.env.E2E_PORT ?? '3210';
  mkdirSync('.tmp', { recursive: true });
  const logFile = '.tmp/e2e-start.log';
  const log = createWriteStream(logFile);
  const child = spawn('npm', ['start'], {
    detached: true, // its own process group, so teardown can stop npm, web, worker and PostgreSQL together
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      SWITCHBACK_DATA_DIR: dataDir,
      PORT: port,
      SWITCHBACK_PG_PORT: process.env.E2E_PG_PORT ?? '54391',
      DATABASE_URL: '',
      // The e2e fleet is small: its what-if previews still go through the replay thread, as a
      // large fleet's do, in the built web process.
      SWITCHBACK_PREVIEW_THREAD_FROM: '1',
    },
  });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      log.write(chunk);
      if (/switchback │ stop\s+Ctrl-C/.test(output)) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`npm start exited with ${code} before it was ready:\n${output.slice(-3000)}`)));
    setTimeout(() => reject(new Error(`npm start was not ready after 5 minutes:\n${output.slice(-3000)}`)), 300_000).unref();
  });
  await ready;
  const user = /switchback │ user\s+(\S+)/.exec(output)?.[1];
  const password = /switchback │ password\s+(\S+)/.exec(output)?.[1];
  const url = /switchback │ open\s+(\S+)/.exec(output)?.[1];
  if (!user || !password || !url) throw new Error(`first start did not print URL, user and password:\n${output}`);
  const state: E2EState = { pid: child.pid!, dataDir, adminName: user, adminPassword: password, url, startOutput: output };
  writeFileSync(STATE_FILE, JSON.stringify(state));
}

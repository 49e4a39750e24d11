import { existsSync, readFileSync, rmSync } from 'node:fs';
import { STATE_FILE, type E2EState } from './state';
import { alive } from '../../scripts/lib/embedded-pg';


// Ctrl-C, as a user would: SIGINT to the process group of `npm start`, then wait for it.
export default async function globalTeardown() {
  if (!existsSync(STATE_FILE)) return;
  const state = JSON.parse(readFileSync(STATE_FILE, 'utf8')) as E2EState;
  try {
    process.kill(-state.pid, 'SIGINT');
  } catch {
    return;
  }
  const deadline = Date.now() + 30_000;
  while (alive(state.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  if (alive(state.pid)) process.kill(-state.pid, 'SIGKILL');
  rmSync(state.dataDir, { recursive: true, force: true });
  rmSync(STATE_FILE, { force: true });
}

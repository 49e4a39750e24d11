// Start-up steps of `npm run scale-out` that `npm start` (scripts/start.ts) does the same way:
// build the web app when its sources changed, wait for a server to answer.
import { spawn } from 'node:child_process';
import type { Env } from '../../server/env';
import { buildIsCurrent, writeBuildStamp } from './build-stamp';

/** "3001,3002" → [3001, 3002] (exactly `count` distinct ports), unset → null. */
export function parsePorts(text: string | undefined, count: number): number[] | null {
  if (!text?.trim()) return null;
  const ports = text.split(',').map((p) => Number(p.trim()));
  if (ports.length !== count || new Set(ports).size !== count || ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) {
    throw new Error(`SWITCHBACK_SCALE_OUT_WEB_PORTS: expected ${count} different ports separated by a comma, such as 3001,3002`);
  }
  return ports;
}

/** Builds the web app unless the build is current (or SWITCHBACK_SKIP_BUILD), saying so. */
export async function buildIfNeeded(root: string, e: Env, childEnv: NodeJS.ProcessEnv, say: (l: string) => void, out: (l: string) => void): Promise<void> {
  if (e.SWITCHBACK_SKIP_BUILD) return say('SWITCHBACK_SKIP_BUILD=true: using the existing build');
  if (buildIsCurrent(root)) return say('build is up to date');
  say('building the web app (sources changed or no build yet; a few minutes on 2 cores)…');
  const b = performance.now();
  const progress = setInterval(() => say(`still building… ${((performance.now() - b) / 1000).toFixed(0)} s so far`), 15_000);
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'build'], { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
      for (const s of [child.stdout, child.stderr]) s.on('data', (d: Buffer) => d.toString().split('\n').filter((l) => l.trim()).forEach(out));
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`next build exited with code ${code}`))));
    });
  } finally {
    clearInterval(progress);
  }
  writeBuildStamp(root);
  say(`built in ${((performance.now() - b) / 1000).toFixed(0)} s`);
}

/** Polls `url` until it answers (any status); `gone()` names a reason to give up early. */
export async function waitForHttp(url: string, gone: () => string | null, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const why = gone();
    if (why) throw new Error(why);
    try {
      await fetch(url, { signal: AbortSignal.timeout(2000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

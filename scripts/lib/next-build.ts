// `next build` and "wait until a server answers": the start-up steps `npm start` and
// `npm run scale-out` share.
import type { ChildProcess } from 'node:child_process';
import { BuildOutput } from './build-progress';
import { writeBuildStamp } from './build-stamp';
import { spawnNode } from './supervised';

/**
 * `next build` in a process group of its own, its output passed through with the seconds since it
 * began, and a line every 15 s while Next is silent. Resolves with an error instead of rejecting,
 * so that it can run beside the seed unawaited.
 */
export function startBuild(
  root: string,
  env: NodeJS.ProcessEnv,
  say: (line: string) => void,
  out: (line: string) => void,
): { child: ChildProcess; done: Promise<Error | null> } {
  const b = performance.now();
  const secs = () => ((performance.now() - b) / 1000).toFixed(0);
  const output = new BuildOutput((line) => out(`${secs().padStart(4)} s  ${line}`));
  const child = spawnNode([], 'node_modules/next/dist/bin/next', ['build'], { cwd: root, env, onLine: (l) => output.line(l) });
  const progress = setInterval(() => say(`still building… ${secs()} s so far (${output.phase})`), 15_000);
  const done = new Promise<Error | null>((resolve) => {
    child.on('error', (err) => resolve(err));
    child.on('exit', (code, signal) => {
      clearInterval(progress);
      if (code !== 0) return resolve(new Error(`next build exited with ${signal ?? `code ${code}`} (its output is above)`));
      writeBuildStamp(root);
      const summary = output.summary();
      say(`built in ${secs()} s${summary ? ` (${summary})` : ''}`);
      resolve(null);
    });
  });
  return { child, done };
}

/** Polls `url` until it answers (any status); `gone()` names a reason to give up early (the server exited). */
export async function waitForHttp(url: string, gone: () => string | null, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const why = gone();
    if (why) throw new Error(why);
    try {
      await fetch(url, { signal: AbortSignal.timeout(2000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

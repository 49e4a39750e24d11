// Start-up steps of `npm run scale-out` that `npm start` (scripts/start.ts) does the same way:
// build the web app when its sources changed.
import type { Env } from '../../server/env';
import { buildIsCurrent } from './build-stamp';
import { startBuild } from './next-build';

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
  say('building the web app (sources changed or no build yet; about 1–2 minutes on 2 cores)…');
  const failed = await startBuild(root, childEnv, say, out).done;
  if (failed) throw failed;
}

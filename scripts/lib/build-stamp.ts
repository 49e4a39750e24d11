import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// What the production build depends on. A change to any of these rebuilds on `npm start`.
const INPUTS = ['app', 'components', 'server', 'public', 'proxy.ts', 'next.config.ts', 'tsconfig.json', 'package-lock.json', 'prisma/schema.prisma'];
// SWITCHBACK_DIST_DIR (read by next.config.ts too) lets several checkouts or engineers build side
// by side in one tree without overwriting each other's .next.
const DIST = process.env.SWITCHBACK_DIST_DIR || '.next';
const SKIP = new Set(['node_modules', '.next', DIST, 'generated']);
const STAMP = `${DIST}/switchback-build-stamp`;

function walk(path: string, out: string[]) {
  if (!existsSync(path)) return;
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).sort()) if (!SKIP.has(name)) walk(join(path, name), out);
  } else if (!/\.test\.tsx?$/.test(path)) out.push(path);
}

export function sourceHash(root: string): string {
  const files: string[] = [];
  for (const input of INPUTS) walk(join(root, input), files);
  const h = createHash('sha256');
  for (const f of files) h.update(f).update('\0').update(readFileSync(f)).update('\0');
  return h.digest('hex');
}

export function buildIsCurrent(root: string): boolean {
  const stamp = join(root, STAMP);
  return existsSync(join(root, DIST, 'BUILD_ID')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === sourceHash(root);
}

export function writeBuildStamp(root: string): void {
  writeFileSync(join(root, STAMP), sourceHash(root));
}

#!/usr/bin/env node
// The `switchback` command (package.json "bin"). The CLI is TypeScript (cli/); it runs from one
// JavaScript bundle that esbuild (the compiler tsx itself uses) writes on first use and again
// whenever a cli/ source is newer than it. Loading the sources through tsx's loader costs ~0.6 s
// more per call (0.9–1.1 s against 0.3 s for `--help` at load 6), and pipelines call the CLI often.
// If the bundle cannot be written (a read-only install), the CLI runs through tsx as before.
// The CLI only talks HTTP to the API (cli/README.md).
import { mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const sources = path.join(root, 'cli');
const bundle = path.join(root, '.cli-build', 'switchback.mjs');

/** The newest modification time of the CLI's sources (tests are not in the bundle). */
function newestSource(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function isFresh() {
  try {
    return statSync(bundle).mtimeMs >= newestSource(sources);
  } catch {
    return false;
  }
}

async function writeBundle() {
  const { build } = await import('esbuild');
  mkdirSync(path.dirname(bundle), { recursive: true });
  // Written aside and renamed: CLI calls that start together never read a half-written bundle.
  const tmp = `${bundle}.${process.pid}.tmp`;
  try {
    await build({ entryPoints: [path.join(sources, 'index.ts')], outfile: tmp, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'silent' });
    renameSync(tmp, bundle);
  } finally {
    rmSync(tmp, { force: true });
  }
}

let ready = isFresh();
if (!ready) {
  try {
    await writeBundle();
    ready = true;
  } catch {
    ready = false;
  }
}
if (ready) {
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../cli/index.ts');
}

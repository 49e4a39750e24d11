#!/usr/bin/env node
// The `switchback` command (package.json "bin"). The CLI is TypeScript (cli/); it runs from one
// JavaScript bundle that esbuild (the compiler tsx itself uses) writes on first use and again
// whenever a cli/ source, this file or the installed packages are newer than it. Loading the
// sources through tsx's loader costs ~0.6 s more per call (0.9–1.1 s against 0.3 s for `--help` at
// load 6), and pipelines call the CLI often. The packages it uses (zod, yaml) are in the bundle
// too: resolving and compiling zod's ~100 ES modules from node_modules was a quarter of a call
// (median CPU of 12 interleaved runs at load 15: --help 0.375 → 0.27 s, `halt --json` 0.735 →
// 0.55 s). If the bundle cannot be written (a read-only install), the CLI runs through tsx as
// before. The CLI only talks HTTP to the API (cli/README.md).
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

/** When packages were last installed (npm rewrites its hidden lockfile on every install): the bundle holds their code. */
function installedAt() {
  try {
    return statSync(path.join(root, 'node_modules', '.package-lock.json')).mtimeMs;
  } catch {
    return 0;
  }
}

function isFresh() {
  try {
    // This file too: it says how the bundle is built.
    const inputs = Math.max(newestSource(sources), installedAt(), statSync(fileURLToPath(import.meta.url)).mtimeMs);
    return statSync(bundle).mtimeMs >= inputs;
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
    await build({
      entryPoints: [path.join(sources, 'index.ts')],
      outfile: tmp,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'silent',
      // yaml is CommonJS and requires node's own modules: an ES module has no `require` of its own.
      banner: { js: "import { createRequire as __cliRequire } from 'node:module'; const require = __cliRequire(import.meta.url);" },
    });
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

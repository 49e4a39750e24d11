// bin/switchback.mjs runs the CLI from a bundle it writes on first use; a bundle older than a cli/
// source must be written again, or a changed CLI would keep running its old code.
import { execFile } from 'node:child_process';
import { statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const bundle = path.join(root, '.cli-build', 'switchback.mjs');
const help = () => run(process.execPath, [path.join(root, 'bin', 'switchback.mjs'), '--help'], { cwd: root });

describe('bin/switchback.mjs', () => {
  it('writes the bundle, reuses it while fresh, and writes it again when a source is newer', async () => {
    const first = await help();
    expect(first.stdout).toContain('switchback — the Switchback console');
    const written = statSync(bundle).mtimeMs;

    await help();
    expect(statSync(bundle).mtimeMs).toBe(written);

    // Dated before every source: stale, as after an edit of cli/.
    utimesSync(bundle, new Date(2000, 0, 1), new Date(2000, 0, 1));
    const again = await help();
    expect(again.stdout).toBe(first.stdout);
    expect(statSync(bundle).mtimeMs).toBeGreaterThan(new Date(2001, 0, 1).getTime());
  });

  it('gives one answer when several calls start together on a stale bundle', async () => {
    utimesSync(bundle, new Date(2000, 0, 1), new Date(2000, 0, 1));
    const outs = await Promise.all([help(), help(), help(), help()]);
    for (const o of outs) expect(o.stdout).toContain('switchback — the Switchback console');
  });
});

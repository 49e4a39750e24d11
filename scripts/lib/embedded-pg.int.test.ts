// The embedded PostgreSQL supervisor against real binaries: a data dir behind a 0700 folder,
// password auth over TCP, and recovery from what a SIGKILLed parent leaves behind.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPg } from './embedded-pg';
import { freePort } from '../../test/free-port';

const isRoot = process.getuid?.() === 0;
const cleanup: Array<() => unknown> = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});


/** Like `mktemp -d`: a 0700 folder owned by us (root here), which the postgres user cannot enter. */
function privateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchback-epg-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function start(dataDir: string, lines: string[] = []): Promise<EmbeddedPg> {
  const pgServer = await startEmbeddedPostgres({ dataDir, port: await freePort(), log: (l) => lines.push(l) });
  cleanup.push(() => pgServer.stop());
  return pgServer;
}

/**
 * A stopped cluster as a first start leaves it, initialised once for the file. Only the first case
 * is about initdb; the others are about what happens around a running cluster, so each gets its own
 * copy (cp -a: the postgres user's ownership and 0700 kept, as the supervisor left them) instead of
 * an initdb of its own (seconds each on a loaded machine).
 */
let template: string | undefined;
async function initialisedDataDir(): Promise<string> {
  if (!template) {
    const dir = join(privateDir(), 'pg');
    await (await start(dir)).stop();
    template = dir;
  }
  const dataDir = join(privateDir(), 'pg');
  const r = spawnSync('cp', ['-a', template, dataDir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cp -a ${template} ${dataDir}: ${r.stderr}`);
  return dataDir;
}

async function selectOne(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one;
  } finally {
    await c.end();
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const postmasterPid = (dataDir: string) => Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);

/** A separate Node process that starts the cluster and stays up until killed: the "parent" we SIGKILL. */
function startInChild(dataDir: string, port: number, opts: { exitWithParent: boolean; ownProcessGroup?: boolean }): Promise<ChildProcess> {
  const mod = pathToFileURL(join(import.meta.dirname, 'embedded-pg.ts')).href;
  const code = `const { startEmbeddedPostgres } = await import(${JSON.stringify(mod)});
    await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, port: ${port}, ...${JSON.stringify(opts)} });
    console.log('READY'); setInterval(() => {}, 60_000);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
  cleanup.push(() => child.exitCode === null && child.kill('SIGKILL'));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('READY')) resolve(child);
    });
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    child.once('exit', (c) => reject(new Error(`child exited (${c}) before READY: ${out}`)));
  });
}

describe('startEmbeddedPostgres', () => {
  it('initialises a data dir behind a 0700 folder, serves password-authenticated TCP, stops, and reuses it', async () => {
    const outer = privateDir();
    mkdirSync(join(outer, 'inner'), { mode: 0o700 });
    const dataDir = join(outer, 'inner', 'pg');
    const lines: string[] = [];
    const server = await start(dataDir, lines);
    expect(lines.join('\n')).toMatch(/initialised/);
    expect(await selectOne(server.urlFor('postgres'))).toBe(1);

    const wrong = new URL(server.urlFor('postgres'));
    wrong.password = 'not-the-password';
    await expect(selectOne(wrong.toString())).rejects.toMatchObject({ code: '28P01' }); // invalid_password

    if (isRoot) {
      // Only the traverse bit was granted to others: no read (listing) and no write.
      expect(statSync(outer).mode & 0o777).toBe(0o701);
      expect(statSync(join(outer, 'inner')).mode & 0o777).toBe(0o701);
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    }

    await server.stop();
    await expect(selectOne(server.urlFor('postgres'))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(false);

    const again: string[] = [];
    const second = await start(dataDir, again);
    expect(again.join('\n')).toMatch(/reused/);
    expect(await selectOne(second.urlFor('postgres'))).toBe(1);
    await second.stop();
  });

  it('stops by itself when the process that started it is SIGKILLed (nothing left behind)', async () => {
    const dataDir = await initialisedDataDir();
    const child = await startInChild(dataDir, await freePort(), { exitWithParent: true, ownProcessGroup: true });
    const postmaster = postmasterPid(dataDir);
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    await expect.poll(() => alive(postmaster), { timeout: 15_000, interval: 100 }).toBe(false);
    // A clean shutdown, not a crash: PostgreSQL removed its pid file itself.
    expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(false);
  });

  it('refuses a cluster whose owner is alive, and recovers one left running by a SIGKILLed parent', async () => {
    const dataDir = await initialisedDataDir();
    // An orphan on purpose, as a version without the parent watch (or a SIGKILLed watcher) leaves.
    const child = await startInChild(dataDir, await freePort(), { exitWithParent: false });
    const orphan = postmasterPid(dataDir);

    await expect(start(dataDir)).rejects.toThrow(new RegExp(`in use by the running process ${child.pid}`));
    expect(alive(orphan)).toBe(true);

    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    expect(alive(orphan)).toBe(true); // precondition: PostgreSQL outlived its parent

    const lines: string[] = [];
    const server = await start(dataDir, lines);
    expect(lines.join('\n')).toMatch(new RegExp(`recovered: stopped the PostgreSQL \\(pid ${orphan}\\)`));
    expect(alive(orphan)).toBe(false);
    expect(postmasterPid(dataDir)).not.toBe(orphan);
    expect(await selectOne(server.urlFor('postgres'))).toBe(1);
    await server.stop();
  });

  it('recovers a stale postmaster.pid whose pid is gone or now belongs to an unrelated process', async () => {
    const dataDir = await initialisedDataDir();
    const stale = (pid: number) =>
      writeFileSync(join(dataDir, 'postmaster.pid'), `${pid}\n${dataDir}\n1700000000\n5432\n\n127.0.0.1\n  1234567   98304\nready   \n`);

    const gone = spawnSync('true').pid; // has exited by now
    stale(gone);
    const lines: string[] = [];
    await (await start(dataDir, lines)).stop();
    expect(lines.join('\n')).toMatch(new RegExp(`removed a stale postmaster.pid \\(pid ${gone} `));

    // PostgreSQL alone refuses this one ("lock file already exists"): the pid is alive, but not a postmaster.
    const unrelated = spawn('sleep', ['60']);
    cleanup.push(() => unrelated.kill('SIGKILL'));
    stale(unrelated.pid!);
    const again: string[] = [];
    const server = await start(dataDir, again);
    expect(again.join('\n')).toMatch(new RegExp(`removed a stale postmaster.pid \\(pid ${unrelated.pid} `));
    expect(alive(unrelated.pid!)).toBe(true); // never kill what is not ours
    expect(await selectOne(server.urlFor('postgres'))).toBe(1);
    await server.stop();
  });
});

// The child processes of `npm start` (web server, worker): each in a process group of its own,
// so a terminal's Ctrl-C — SIGINT to the whole foreground group — reaches only the supervisor,
// which then stops them in order; each watches a pipe from the supervisor and stops by itself
// if the supervisor dies (exit-with-parent.mjs).
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const EXIT_WITH_PARENT = fileURLToPath(new URL('./exit-with-parent.mjs', import.meta.url));

export interface SupervisedOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Every output line, without its newline. */
  onLine: (line: string) => void;
}

/**
 * The worker's Node flags. A 64 MB young generation (V8's default caps it at 16 MB): a 10,000-instance
 * telemetry tick allocates ~50 MB, so with the default each tick ran several scavenges and promoted
 * the instance runtimes that live one tick into the old generation (mark-compact pauses later).
 * Paired bench (`SCALE_PARTS=tick SCALE_SIZES=10000 SCALE_TICKS=120`, 3 rounds interleaved on a busy
 * machine, load 5-20): GC per tick p50 78/39/64 ms against 154/148/147 ms; tick p99 2220/1624/1948 against
 * 2788/2957/1769 ms (lower in 2 of 3 rounds; unconfirmed on a quiet machine). Costs up
 * to ~150 MB more resident memory (three semi-spaces of 64 MB at most, grown only when used).
 */
export const WORKER_NODE_ARGS: readonly string[] = ['--max-semi-space-size=64', '--import', 'tsx'];

/** `node [nodeArgs…] script [args…]` with the parent watch preloaded. */
export function spawnNode(nodeArgs: readonly string[], script: string, args: string[], o: SupervisedOptions): ChildProcess {
  const child = spawn(process.execPath, [...nodeArgs, '--import', EXIT_WITH_PARENT, script, ...args], {
    cwd: o.cwd,
    env: o.env,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin?.on('error', () => undefined);
  for (const stream of [child.stdout, child.stderr]) {
    let buf = '';
    stream?.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) if (l.trim()) o.onLine(l);
    });
  }
  return child;
}

export const running = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;

function signalGroup(c: ChildProcess, signal: NodeJS.Signals) {
  try {
    // The whole group: anything the child started goes too.
    process.kill(-c.pid!, signal);
  } catch {
    c.kill(signal);
  }
}

/**
 * SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited (or KILL_WAIT_MS
 * after the SIGKILL at the latest). Says how it ended.
 */
export const KILL_WAIT_MS = 1000;
export async function stopChild(c: ChildProcess, graceMs: number): Promise<'not running' | 'stopped' | 'killed'> {
  if (!running(c)) return 'not running';
  const exited = new Promise<void>((r) => c.once('exit', () => r()));
  const within = async (ms: number) => {
    let t: NodeJS.Timeout | undefined;
    const ok = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => (t = setTimeout(() => r(false), ms)))]);
    clearTimeout(t);
    return ok;
  };
  signalGroup(c, 'SIGTERM');
  if (await within(graceMs)) {
    signalGroup(c, 'SIGKILL'); // stragglers of the group, if any
    return 'stopped';
  }
  signalGroup(c, 'SIGKILL');
  await within(KILL_WAIT_MS);
  return 'killed';
}

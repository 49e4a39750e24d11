// The preview's replay thread (replay-thread.ts), started on the first large preview and kept
// while previews come (a preview of 10,000 instances is two threads' work, and this machine class
// has two cores), ended after IDLE_MS without one. When it cannot start (its source is not where
// the process runs from, or it fails), previews replay in their own thread: the same figures,
// only slower.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ThreadAnswer, ThreadRequest } from './replay-thread-protocol';

const DIR = join('server', 'services', 'policies');
const IDLE_MS = 10 * 60_000;
/** How long a new thread may take to say it is ready (about half a second; far more on a busy machine). */
const READY_MS = 20_000;

type Waiter = { resolve: (counts: Int32Array) => void; reject: (e: Error) => void };

/** One preview's traffic with the thread. */
export interface ThreadJob {
  /** Posts a chunk; the answer is its counts (replay-counts.ts's layout, the chunk's instance order). */
  post(request: Omit<Extract<ThreadRequest, { type: 'chunk' }>, 'type' | 'job'>): Promise<Int32Array>;
  end(): void;
}

export class ReplayThread {
  private readonly waiting = new Map<string, Waiter>();
  private jobs = 0;
  private lastJob = 0;
  private idle: NodeJS.Timeout | null = null;
  private broken: Error | null = null;

  constructor(
    private readonly worker: Worker,
    private readonly onGone: () => void,
  ) {
    worker.on('message', (m: ThreadAnswer) => {
      if (m.type === 'ready') return;
      const key = `${m.job}:${m.seq}`;
      const w = this.waiting.get(key);
      this.waiting.delete(key);
      if (m.type === 'counts') w?.resolve(m.counts);
      else w?.reject(new Error(`the replay thread failed: ${m.message}`));
    });
    worker.on('error', (e) => this.gone(e));
    worker.on('exit', (code) => this.gone(new Error(`the replay thread exited (code ${code})`)));
    this.armIdle();
  }

  private gone(e: Error): void {
    if (this.broken !== null) return;
    this.broken = e;
    this.onGone();
    for (const w of this.waiting.values()) w.reject(e);
    this.waiting.clear();
  }

  private armIdle(): void {
    // No preview running: the thread does not keep the process alive, and ends if none comes.
    this.worker.unref();
    this.idle = setTimeout(() => this.stop('idle'), IDLE_MS);
    this.idle.unref();
  }

  /**
   * Ends the thread: a preview on it fails, the next one starts another. Gone at once, not at
   * the thread's exit event: a preview starting meanwhile would post to a thread that drops it.
   */
  stop(why = 'stopped'): void {
    this.gone(new Error(`the replay thread was ${why}`));
    void this.worker.terminate();
  }

  startJob(from: number, to: number, parts: number): ThreadJob {
    if (this.broken !== null) throw this.broken;
    const job = ++this.lastJob;
    if (this.jobs++ === 0) {
      if (this.idle !== null) clearTimeout(this.idle);
      this.worker.ref();
    }
    this.send({ type: 'start', job, from, to, parts });
    let ended = false;
    return {
      post: (request) =>
        new Promise<Int32Array>((resolve, reject) => {
          if (this.broken !== null) return reject(this.broken);
          this.waiting.set(`${job}:${request.seq}`, { resolve, reject });
          this.send({ type: 'chunk', job, ...request });
        }),
      end: () => {
        if (ended) return;
        ended = true;
        for (const [key, w] of this.waiting) {
          if (!key.startsWith(`${job}:`)) continue;
          this.waiting.delete(key);
          w.reject(new Error('the preview ended'));
        }
        if (this.broken === null) this.send({ type: 'end', job });
        if (--this.jobs === 0 && this.broken === null) this.armIdle();
      },
    };
  }

  private send(m: ThreadRequest): void {
    this.worker.postMessage(m);
  }
}

let thread: Promise<ReplayThread | null> | null = null;
let warned = false;

/** The folders of the thread's source (its imports stay inside them). */
const SOURCES = [DIR, join('server', 'services', 'telemetry'), join('server', 'domain')];

/**
 * Whether a source file of the thread changed after this process started: the thread runs the
 * source, the web process its build of the source as it was, and the two must agree.
 */
function sourceChangedSinceStart(): string | null {
  const started = Date.now() - process.uptime() * 1000;
  for (const dir of SOURCES) {
    for (const name of readdirSync(join(process.cwd(), dir))) {
      if (!/\.(ts|mjs)$/.test(name)) continue;
      if (statSync(join(process.cwd(), dir, name)).mtimeMs > started) return join(dir, name);
    }
  }
  return null;
}

async function start(): Promise<ReplayThread | null> {
  const entry = join(process.cwd(), DIR, 'replay-thread-entry.mjs');
  const file = join(process.cwd(), DIR, 'replay-thread.ts');
  if (!existsSync(entry) || !existsSync(file)) throw new Error(`${entry} is not there`);
  const changed = sourceChangedSinceStart();
  if (changed !== null) throw new Error(`${changed} changed after this process started (restart it to use the new source)`);
  // Not `new Worker(…)`: the bundler would follow that into the entry and bundle tsx and esbuild
  // with it (and fail); the thread runs the source as it is (replay-thread-entry.mjs).
  const worker: Worker = Reflect.construct(Worker, [entry, { workerData: { file } }]);
  const ready = await new Promise<Error | null>((resolve) => {
    const onMessage = (m: ThreadAnswer) => done(m.type === 'ready' ? null : new Error(`unexpected ${m.type}`));
    const onExit = (code: number) => done(new Error(`exited with code ${code}`));
    // One that never says so would hold every large preview: they replay in one thread instead.
    const late = setTimeout(() => done(new Error(`not ready after ${READY_MS / 1000} s`)), READY_MS);
    const done = (e: Error | null) => {
      clearTimeout(late);
      worker.off('message', onMessage).off('error', done).off('exit', onExit);
      resolve(e);
    };
    worker.on('message', onMessage).on('error', done).on('exit', onExit);
  });
  if (ready !== null) {
    void worker.terminate();
    throw ready;
  }
  const t = new ReplayThread(worker, () => {
    thread = null;
  });
  return t;
}

/** The replay thread if one is started or starting, else null (asking starts none). */
export const runningThread = (): Promise<ReplayThread | null> | null => thread;

/** The replay thread, started if need be; null when it cannot run here (the preview then replays alone). */
export function replayThread(): Promise<ReplayThread | null> {
  // A thread that cannot start here is not tried again (one that ran and ended is: onGone).
  thread ??= start().catch((e: unknown) => {
    if (!warned) {
      warned = true;
      console.warn(`[preview] replay thread unavailable, previews replay in one thread: ${e instanceof Error ? e.message : String(e)}`);
    }
    return null;
  });
  return thread;
}

// When the supervisor restarts a worker that exited: crashes are counted over a sliding window
// and each one inside it doubles the wait, up to a cap. It never gives up — the web server stays
// up and /api/health shows the worker as down — and a worker that stays up for a whole window is
// back to the shortest wait. Pure: the clock is passed in, so it is tested without waiting.

export interface RestartPolicy {
  /** Crashes older than this are forgotten. */
  windowMs: number;
  /** Wait before the first restart in a window. */
  baseDelayMs: number;
  /** The longest wait, however many crashes. */
  maxDelayMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = { windowMs: 10 * 60_000, baseDelayMs: 1000, maxDelayMs: 60_000 };

export interface RestartDecision {
  /** Wait this long, then start the worker again. */
  delayMs: number;
  /** Crashes inside the window, this one included. */
  crashesInWindow: number;
}

/** The wait before restarting after the n-th crash inside the window (n ≥ 1). */
export function restartDelay(n: number, p: RestartPolicy = DEFAULT_RESTART_POLICY): number {
  if (n < 1) return 0;
  // 2 ** (n - 1) overflows to Infinity for huge n; min() caps that too.
  return Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** (n - 1));
}

/** Remembers recent crash times; one instance per supervised process. */
export class RestartTracker {
  private crashes: number[] = [];

  constructor(private readonly policy: RestartPolicy = DEFAULT_RESTART_POLICY) {}

  /** Records a crash at `now` (ms) and says how long to wait before the restart. */
  crashed(now: number): RestartDecision {
    this.crashes = this.crashes.filter((t) => now - t < this.policy.windowMs);
    this.crashes.push(now);
    const n = this.crashes.length;
    return { delayMs: restartDelay(n, this.policy), crashesInWindow: n };
  }
}

export const describeRestart = (d: RestartDecision, p: RestartPolicy = DEFAULT_RESTART_POLICY) =>
  `restarting it in ${Math.round(d.delayMs / 100) / 10} s (${d.crashesInWindow} ${d.crashesInWindow === 1 ? 'exit' : 'exits'} in the last ${Math.round(p.windowMs / 60_000)} min)`;

import { describe, expect, it } from 'vitest';
import { describeRestart, restartDelay, RestartTracker, type RestartPolicy } from './restart-policy';

const p: RestartPolicy = { windowMs: 60_000, baseDelayMs: 1000, maxDelayMs: 8000 };

describe('worker restart policy', () => {
  it('doubles the wait with each crash inside the window, up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 50, 5000].map((n) => restartDelay(n, p))).toEqual([1000, 2000, 4000, 8000, 8000, 8000, 8000, 8000]);
  });

  it('never gives up: a hundred crashes in a row still get a restart, at the capped wait', () => {
    const r = new RestartTracker(p);
    let last = { delayMs: 0, crashesInWindow: 0 };
    for (let i = 0; i < 100; i++) last = r.crashed(i * 100);
    expect(last).toEqual({ delayMs: 8000, crashesInWindow: 100 });
  });

  it('counts over a sliding window: crashes older than the window are forgotten one by one', () => {
    const r = new RestartTracker(p);
    expect(r.crashed(0)).toEqual({ delayMs: 1000, crashesInWindow: 1 });
    expect(r.crashed(30_000)).toEqual({ delayMs: 2000, crashesInWindow: 2 });
    // The crash at 0 has left the window; the one at 30 s has not.
    expect(r.crashed(61_000)).toEqual({ delayMs: 2000, crashesInWindow: 2 });
    // A worker that stayed up a whole window is back to the shortest wait.
    expect(r.crashed(200_000)).toEqual({ delayMs: 1000, crashesInWindow: 1 });
  });

  it('six crashes, ever, are not a reason to stop anything', () => {
    const r = new RestartTracker(p);
    const waits = [0, 1, 2, 3, 4, 5, 6].map((k) => r.crashed(k * 10 * 60_000).delayMs);
    expect(waits).toEqual([1000, 1000, 1000, 1000, 1000, 1000, 1000]);
  });

  it('says what it does in words', () => {
    expect(describeRestart({ delayMs: 4000, crashesInWindow: 3 }, { ...p, windowMs: 600_000 })).toBe('restarting it in 4 s (3 exits in the last 10 min)');
    expect(describeRestart({ delayMs: 1000, crashesInWindow: 1 }, { ...p, windowMs: 600_000 })).toBe('restarting it in 1 s (1 exit in the last 10 min)');
  });
});

import { describe, expect, it } from 'vitest';
import { FaultSyncer } from './fault-sync';

/** A sync whose runs the test finishes one by one. */
function controlled() {
  const runs: Array<{ finish: (err?: Error) => void }> = [];
  const syncer = new FaultSyncer(
    () =>
      new Promise<void>((resolve, reject) => {
        runs.push({ finish: (err) => (err ? reject(err) : resolve()) });
      }),
  );
  return { syncer, runs };
}

const settled = () => new Promise((r) => setImmediate(r));

describe('FaultSyncer', () => {
  it('coalesces requests made during a sync into one more sync that starts after it', async () => {
    const { syncer, runs } = controlled();
    const first = syncer.sync();
    const later = [syncer.sync(), syncer.sync(), syncer.sync()];
    await settled();
    expect(runs).toHaveLength(1);
    runs[0]!.finish();
    await first;
    await settled();
    // The three requests share one sync, started only once the first ended.
    expect(runs).toHaveLength(2);
    runs[1]!.finish();
    await Promise.all(later);
    expect(runs).toHaveLength(2);
    await syncer.idle();
  });

  it('a failed sync fails its callers only; the pending sync still runs', async () => {
    const { syncer, runs } = controlled();
    const first = syncer.sync();
    const second = syncer.sync();
    await settled();
    runs[0]!.finish(new Error('platform unreachable'));
    await expect(first).rejects.toThrow('platform unreachable');
    await settled();
    expect(runs).toHaveLength(2);
    runs[1]!.finish();
    await expect(second).resolves.toBeUndefined();
    const third = syncer.sync();
    await settled();
    expect(runs).toHaveLength(3);
    runs[2]!.finish();
    await third;
  });
});

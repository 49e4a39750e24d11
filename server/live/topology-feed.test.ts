import superjson from 'superjson';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { safeSuperjson } from '../api/transformer';
import { TopologyFeed } from './topology-feed';
import { applyFeedMessage } from './topology-delta';

interface TestMap {
  tickId: string | null;
  instances: Array<{ id: string; weight: number }>;
}
const mapOf = (tickId: string): TestMap => ({ tickId, instances: Array.from({ length: 20 }, (_, i) => ({ id: `i${i}`, weight: Number(tickId) * 100 + i })) });

function counting() {
  const loads = new Map<string, number>();
  const feed = new TopologyFeed<TestMap>(
    async (tickId) => {
      loads.set(tickId, (loads.get(tickId) ?? 0) + 1);
      await Promise.resolve();
      return mapOf(tickId);
    },
    { keepMaps: 3 },
  );
  return { feed, loads };
}

/** What tRPC writes per subscriber on the SSE data line. */
const dataLine = (v: unknown) => JSON.stringify(safeSuperjson.output.serialize(v));

afterEach(() => vi.restoreAllMocks());

describe('TopologyFeed: one build per tick for all subscribers', () => {
  it('N subscribers on the same tick: one map read per tick, one delta, one message, serialised once', async () => {
    const { feed, loads } = counting();
    await feed.map('1');
    const N = 50;
    const messages = await Promise.all(Array.from({ length: N }, () => feed.message('1', '2')));
    expect(Object.fromEntries(loads)).toEqual({ 1: 1, 2: 1 });
    expect(feed.computed.deltas).toBe(1);
    expect(new Set(messages).size).toBe(1);
    expect(messages[0]).toMatchObject({ kind: 'delta', baseTickId: '1', tickId: '2' });

    const walk = vi.spyOn(superjson, 'serialize');
    const lines = messages.map(dataLine);
    expect(walk).toHaveBeenCalledTimes(1);
    expect(new Set(lines).size).toBe(1);
    vi.restoreAllMocks();
    // The shared line is what serialising this message on its own gives, and it applies.
    expect(lines[0]).toBe(JSON.stringify(superjson.serialize(messages[0])));
    const received = superjson.deserialize<(typeof messages)[0]>(JSON.parse(lines[0]!) as Parameters<typeof superjson.deserialize>[0]);
    expect(applyFeedMessage(mapOf('1'), received)).toEqual(mapOf('2'));
  });

  it('N new subscribers (no base) get one snapshot message, serialised once', async () => {
    const { feed } = counting();
    const messages = await Promise.all(Array.from({ length: 30 }, () => feed.message(null, '7')));
    expect(new Set(messages).size).toBe(1);
    expect(messages[0]).toEqual({ kind: 'snapshot', tickId: '7', map: mapOf('7') });
    expect(feed.computed.snapshots).toBe(1);
    const walk = vi.spyOn(superjson, 'serialize');
    messages.forEach(dataLine);
    expect(walk).toHaveBeenCalledTimes(1);
  });

  it('what is not a feed message is serialised on every call (a mutable result is never reused)', () => {
    const walk = vi.spyOn(superjson, 'serialize');
    const result = { tickId: '1', n: 1 };
    const first = dataLine(result);
    result.n = 2;
    expect(dataLine(result)).not.toBe(first);
    expect(walk).toHaveBeenCalledTimes(2);
  });

  it('a subscriber whose base this process does not have gets a snapshot of the newest tick it has (resync)', async () => {
    const { feed } = counting();
    for (const id of ['4', '5', '6']) await feed.map(id);
    expect(await feed.message('1', '5')).toEqual({ kind: 'snapshot', tickId: '6', map: mapOf('6') });
    expect(await feed.message(null, '4')).toMatchObject({ kind: 'snapshot', tickId: '6' });
    // A base it has: the delta to the newest tick the process has (the tick asked for, or further).
    expect(await feed.message('4', '5')).toMatchObject({ kind: 'delta', baseTickId: '4', tickId: '6' });
  });

  it('an old tick asked for by a subscriber behind is served the newest map: nothing is read, nothing pushed out', async () => {
    const { feed, loads } = counting();
    for (const id of ['5', '6', '7']) await feed.map(id);
    expect(await feed.map('2')).toEqual(mapOf('7')); // someone far behind
    expect(loads.has('2')).toBe(false);
    const m = await feed.message('5', '6');
    expect(m).toMatchObject({ kind: 'delta', baseTickId: '5', tickId: '7' });
    expect(applyFeedMessage(mapOf('5'), m)).toEqual(mapOf('7'));
    expect(loads.get('5')).toBe(1);
  });
});

/** A feed whose reads finish when the test says so, each call recorded. */
function gated() {
  const reads: Array<{ tickId: string; resolve: () => void; reject: (e: Error) => void }> = [];
  const feed = new TopologyFeed<TestMap>((tickId) => new Promise<TestMap>((res, rej) => reads.push({ tickId, resolve: () => res(mapOf(tickId)), reject: rej })));
  return { feed, reads };
}

describe('TopologyFeed: one read at a time', () => {
  it('ticks asked for while a read runs wait for it, then are read once, at the newest tick asked for', async () => {
    const { feed, reads } = gated();
    const first = feed.map('1');
    const waiting = [feed.map('2'), feed.map('4'), feed.map('3')];
    expect(reads.map((r) => r.tickId)).toEqual(['1']);
    reads[0]!.resolve();
    expect(await first).toEqual(mapOf('1'));
    await expect.poll(() => reads.length).toBe(2);
    expect(reads[1]!.tickId).toBe('4');
    reads[1]!.resolve();
    for (const m of await Promise.all(waiting)) expect(m).toEqual(mapOf('4'));
    expect(feed.computed.maps).toBe(2);
  });

  it('orPrevious: a read of the tick just before in flight serves the call; two ticks before, or one done, does not', async () => {
    const { feed, reads } = gated();
    const running = feed.map('5');
    const joined = feed.map('6', { orPrevious: true });
    const later = feed.map('7', { orPrevious: true });
    reads[0]!.resolve();
    expect(await joined).toEqual(mapOf('5'));
    expect(await running).toEqual(mapOf('5'));
    await expect.poll(() => reads.length).toBe(2);
    expect(reads[1]!.tickId).toBe('7');
    reads[1]!.resolve();
    expect(await later).toEqual(mapOf('7'));
    // A map read before tick 8 (not in flight any more) does not serve it.
    const eight = feed.map('8', { orPrevious: true });
    await expect.poll(() => reads.length).toBe(3);
    reads[2]!.resolve();
    expect(await eight).toEqual(mapOf('8'));
  });

  it('after a read the next one rests as long as the read took (restFactor), then reads the newest tick asked for', async () => {
    const reads: string[] = [];
    const feed = new TopologyFeed<TestMap>(async (tickId) => {
      reads.push(tickId);
      await new Promise((r) => setTimeout(r, 40));
      return mapOf(tickId);
    });
    await feed.map('1');
    // Resting: nothing is read yet, however long the microtasks run.
    const next = [feed.map('2'), feed.map('3')];
    for (let k = 0; k < 20; k++) await Promise.resolve();
    expect(reads).toEqual(['1']);
    for (const m of await Promise.all(next)) expect(m).toEqual(mapOf('3'));
    expect(reads).toEqual(['1', '3']);
  });

  it('a failed read reaches every caller waiting on it, the queued read still runs, and the next call reads again', async () => {
    const { feed, reads } = gated();
    const callers = [feed.map('1'), feed.map('1'), feed.map('1')];
    const queued = feed.map('2');
    reads[0]!.reject(new Error('boom'));
    for (const c of callers) await expect(c).rejects.toThrow('boom');
    await expect.poll(() => reads.length).toBe(2);
    reads[1]!.reject(new Error('boom again'));
    await expect(queued).rejects.toThrow('boom again');
    const retry = feed.map('2');
    await expect.poll(() => reads.length).toBe(3);
    expect(reads.map((r) => r.tickId)).toEqual(['1', '2', '2']);
    reads[2]!.resolve();
    expect(await retry).toEqual(mapOf('2'));
  });

  it('a subscriber message asked for while an older read runs is the delta to the tick read next', async () => {
    const { feed, reads } = gated();
    const base = feed.map('1');
    reads[0]!.resolve();
    await base;
    const slow = feed.map('2');
    await expect.poll(() => reads.length).toBe(2);
    const m = feed.message('1', '3');
    reads[1]!.resolve();
    await slow;
    await expect.poll(() => reads.length).toBe(3);
    reads[2]!.resolve();
    const got = await m;
    expect(got).toMatchObject({ kind: 'delta', baseTickId: '1', tickId: '3' });
    expect(applyFeedMessage(mapOf('1'), got)).toEqual(mapOf('3'));
  });
});

describe('TopologyFeed: a snapshot does not wait for the rest', () => {
  it('a live message waits out the rest; a snapshot asked for meanwhile reads at once, for both', async () => {
    const reads: string[] = [];
    let release!: () => void;
    const feed = new TopologyFeed<TestMap>(
      async (tickId) => {
        reads.push(tickId);
        if (reads.length === 1) await new Promise<void>((r) => (release = r));
        return mapOf(tickId);
      },
      // A rest far longer than any test: only the snapshot can end the wait.
      { restFactor: 1000 },
    );
    const first = feed.map('1');
    await expect.poll(() => reads.length).toBe(1);
    release();
    await first;
    const live = feed.message('1', '2');
    for (let k = 0; k < 20; k++) await Promise.resolve();
    expect(reads).toEqual(['1']);
    const snap = await feed.map('3', { orPrevious: true });
    expect(snap).toEqual(mapOf('3'));
    expect(reads).toEqual(['1', '3']);
    expect(await live).toMatchObject({ kind: 'delta', baseTickId: '1', tickId: '3' });
  });
});

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
    // A base it has: the delta to the tick asked for, not further.
    expect(await feed.message('4', '5')).toMatchObject({ kind: 'delta', baseTickId: '4', tickId: '5' });
  });

  it('an old tick asked for by a subscriber behind does not push out the newer maps others are on', async () => {
    const { feed, loads } = counting();
    for (const id of ['5', '6', '7']) await feed.map(id);
    await feed.map('2'); // someone far behind
    const m = await feed.message('5', '6');
    expect(m).toMatchObject({ kind: 'delta', baseTickId: '5', tickId: '6' });
    expect(applyFeedMessage(mapOf('5'), m)).toEqual(mapOf('6'));
    expect(loads.get('5')).toBe(1);
  });
});

// The reconnect logic of one client's stream, with the bus's delivery order under the test's
// control (the integration test in bus.int.test.ts runs it against PostgreSQL, where this order
// happens only now and then).
import { describe, expect, it } from 'vitest';
import type { LiveBus } from './bus';
import { liveStream } from './stream';
import type { LiveEventData } from './topics';

const ev = (id: number): LiveEventData => ({ id: String(id), at: '2026-11-23T00:00:00Z', topic: 'user.changed', payload: { n: id } });

function busDelivering(backlog: LiveEventData[], lateNotifies: LiveEventData[]) {
  let listener: ((e: LiveEventData) => void) | null = null;
  const bus = {
    subscribe(l: (e: LiveEventData) => void) {
      listener = l;
      return () => (listener = null);
    },
    ensureConnected: () => Promise.resolve(),
    // The NOTIFYs still in flight arrive while the backlog is read.
    since: () => {
      for (const e of lateNotifies) listener?.(e);
      return Promise.resolve(backlog);
    },
  };
  return { bus: bus as unknown as LiveBus, push: (e: LiveEventData) => listener?.(e) };
}

describe('liveStream', () => {
  it('after a reconnect, a late NOTIFY of an event the client had, or of one in the backlog, is not sent again', async () => {
    const { bus, push } = busDelivering([ev(2), ev(3)], [ev(1), ev(2)]);
    const ac = new AbortController();
    const got: string[] = [];
    const done = (async () => {
      for await (const e of liveStream(bus, '1', ac.signal)) {
        got.push(e.id);
        if (got.length === 3) ac.abort();
      }
    })();
    // The backlog is through (and the late NOTIFYs with it) before the next live event arrives.
    await expect.poll(() => got.join(','), { timeout: 10_000, interval: 5 }).toBe('2,3');
    push(ev(4));
    await done;
    expect(got).toEqual(['2', '3', '4']);
  });
});

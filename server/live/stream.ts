import type { LiveBus } from './bus';
import type { LiveEventData } from './topics';

/**
 * The command-event stream for one client: first the backlog after `lastEventId` (a reconnect), then
 * live events, each once. Subscribes before reading the backlog so nothing falls in between.
 */
export async function* liveStream(bus: LiveBus, lastEventId: string | null | undefined, signal: AbortSignal): AsyncGenerator<LiveEventData> {
  const queue: LiveEventData[] = [];
  let wake: (() => void) | null = null;
  const unsubscribe = bus.subscribe((e) => {
    queue.push(e);
    wake?.();
  });
  const onAbort = () => wake?.();
  signal.addEventListener('abort', onAbort);
  try {
    await bus.ensureConnected();
    const seen = new Set<string>();
    // A NOTIFY still in flight when the client reconnected can arrive after it subscribed: the
    // client had that event already (its id is at most lastEventId).
    const floor = lastEventId && /^\d+$/.test(lastEventId) ? BigInt(lastEventId) : null;
    // Nothing to read when the client is at the newest event the bus knows (what commits later
    // reaches the listener above): a burst of reconnects then costs the database nothing.
    const latest = bus.latestEvent;
    if (lastEventId && /^\d+$/.test(lastEventId) && (typeof latest !== 'bigint' || BigInt(lastEventId) < latest)) {
      for (const e of await bus.since(BigInt(lastEventId))) {
        seen.add(e.id);
        yield e;
      }
    }
    while (!signal.aborted) {
      const e = queue.shift();
      if (e) {
        if (!seen.delete(e.id) && (floor === null || BigInt(e.id) > floor)) yield e;
        continue;
      }
      await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    unsubscribe();
  }
}

/**
 * Tick ids for one client: the backlog after `lastTickId` (a reconnect; capped, so a client away
 * for an hour gets the recent ticks, and refetches the rest by range), then live ids, each once
 * and in order.
 */
export async function* tickStream(bus: LiveBus, lastTickId: string | null | undefined, signal: AbortSignal): AsyncGenerator<bigint> {
  const queue: bigint[] = [];
  let wake: (() => void) | null = null;
  const unsubscribe = bus.subscribeTicks((id) => {
    queue.push(id);
    wake?.();
  });
  const onAbort = () => wake?.();
  signal.addEventListener('abort', onAbort);
  try {
    await bus.ensureConnected();
    // Starting from the client's last tick, so a NOTIFY still in flight for a tick it had is skipped.
    let last = lastTickId && /^\d+$/.test(lastTickId) ? BigInt(lastTickId) : 0n;
    const latest = bus.latestTick;
    // The backlog read is skipped only when the client holds exactly the newest tick this process
    // heard of; a client ahead of it (ticks whose NOTIFY this process missed) reads the table.
    if (lastTickId && /^\d+$/.test(lastTickId) && (typeof latest !== 'bigint' || BigInt(lastTickId) !== latest)) {
      for (const id of await bus.ticksSince(BigInt(lastTickId))) {
        last = id;
        yield id;
      }
    }
    while (!signal.aborted) {
      const id = queue.shift();
      if (id !== undefined) {
        if (id > last) {
          last = id;
          yield id;
        }
        continue;
      }
      await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    unsubscribe();
  }
}

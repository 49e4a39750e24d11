import type { LiveBus } from './bus';
import type { LiveEventData } from './topics';

/**
 * The event stream for one client: first the backlog after `lastEventId` (a reconnect), then
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
    if (lastEventId && /^\d+$/.test(lastEventId)) {
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

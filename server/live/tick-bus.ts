// Contract of what the telemetry loop writes and how readers use it: docs/telemetry.md (read it first).
import pg from 'pg';

/** NOTIFY channel of the telemetry loop; the payload is the committed tick's id. */
export const TICK_CHANNEL = 'switchback_tick';

type Listener = (tickId: bigint) => void;

/**
 * One LISTEN connection per web process for committed ticks, fanned out to its subscribers.
 * Subscribers read what they need for a tick themselves (an instance's sample, a cluster
 * aggregate), so NOTIFY stays tiny. The Tick table is the event log: a reconnect reads the ids
 * it missed from it, so no tick is lost between a drop and the new LISTEN.
 */
export class TickBus {
  private client: pg.Client | null = null;
  private readonly listeners = new Set<Listener>();
  private stopped = false;
  private reconnectDelayMs = 250;
  private connecting: Promise<void> | null = null;
  private highWater: bigint | null = null;

  constructor(private readonly url: string) {}

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    void this.ensureConnected();
    return () => this.listeners.delete(listener);
  }

  /** Committed tick ids after `afterId`, oldest first (the backlog of a reconnecting client). */
  async since(afterId: bigint, limit = 600): Promise<bigint[]> {
    const client = new pg.Client({ connectionString: this.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ id: string }>('SELECT id::text AS id FROM "Tick" WHERE id > $1 ORDER BY id LIMIT $2', [afterId.toString(), limit]);
      return rows.map((r) => BigInt(r.id));
    } finally {
      await client.end();
    }
  }

  ensureConnected(): Promise<void> {
    if (this.client || this.stopped) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => (this.connecting = null));
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    try {
      await client.connect();
      await client.query(`LISTEN ${TICK_CHANNEL}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      this.scheduleReconnect(err);
      return;
    }
    client.on('notification', (msg) => {
      if (msg.payload && /^\d+$/.test(msg.payload)) this.dispatch(BigInt(msg.payload));
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    this.client = client;
    this.reconnectDelayMs = 250;
    if (this.highWater !== null) {
      for (const id of await this.since(this.highWater).catch(() => [])) this.dispatch(id);
    } else {
      const { rows } = await client.query<{ max: string | null }>('SELECT max(id)::text AS max FROM "Tick"');
      this.highWater = BigInt(rows[0]?.max ?? '0');
    }
  }

  private lost(client: pg.Client, err: unknown) {
    if (this.client !== client) return;
    this.client = null;
    client.end().catch(() => undefined);
    this.scheduleReconnect(err);
  }

  private scheduleReconnect(err: unknown) {
    if (this.stopped) return;
    console.warn(`[ticks] LISTEN connection lost (${err instanceof Error ? err.message : String(err)}); retrying in ${this.reconnectDelayMs} ms`);
    setTimeout(() => void this.ensureConnected(), this.reconnectDelayMs).unref();
    this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, 5000);
  }

  private dispatch(id: bigint) {
    if (this.highWater !== null && id <= this.highWater) return;
    this.highWater = id;
    for (const l of this.listeners) l(id);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => undefined);
  }
}

const holder = globalThis as unknown as { __switchbackTickBus?: TickBus };

export function tickBus(url: string): TickBus {
  holder.__switchbackTickBus ??= new TickBus(url);
  return holder.__switchbackTickBus;
}

/**
 * Tick ids for one client: the backlog after `lastTickId` (a reconnect; capped, so a client away
 * for an hour gets the recent ticks, and refetches the rest by range), then live ids, each once
 * and in order.
 */
export async function* tickStream(bus: TickBus, lastTickId: string | null | undefined, signal: AbortSignal): AsyncGenerator<bigint> {
  const queue: bigint[] = [];
  let wake: (() => void) | null = null;
  const unsubscribe = bus.subscribe((id) => {
    queue.push(id);
    wake?.();
  });
  const onAbort = () => wake?.();
  signal.addEventListener('abort', onAbort);
  try {
    await bus.ensureConnected();
    // Starting from the client's last tick, so a NOTIFY still in flight for a tick it had is skipped.
    let last = lastTickId && /^\d+$/.test(lastTickId) ? BigInt(lastTickId) : 0n;
    if (lastTickId && /^\d+$/.test(lastTickId)) {
      for (const id of await bus.since(BigInt(lastTickId))) {
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

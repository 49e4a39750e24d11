import pg from 'pg';
import { LIVE_CHANNEL, type LiveEventData, type LiveTopic } from './topics';

type Listener = (event: LiveEventData) => void;

interface Row {
  id: string;
  at: Date;
  topic: string;
  payload: Record<string, unknown>;
}

export const toEvent = (r: Row): LiveEventData => ({ id: String(r.id), at: r.at.toISOString(), topic: r.topic as LiveTopic, payload: r.payload });

/**
 * One LISTEN connection per web process, fanned out to every subscriber in it. NOTIFY carries
 * only the event id (payloads can exceed NOTIFY's 8 kB); the bus reads the rows once per batch.
 */
export class LiveBus {
  private client: pg.Client | null = null;
  private readonly listeners = new Set<Listener>();
  private pending: string[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private reconnectDelayMs = 250;
  private connecting: Promise<void> | null = null;
  /** Highest id seen, so a reconnect can fetch what was committed while the bus was deaf. */
  private highWater: bigint | null = null;

  constructor(private readonly url: string) {}

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    void this.ensureConnected();
    return () => this.listeners.delete(listener);
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }

  /** Events after `afterId`, oldest first: the backlog a reconnecting client asks for. */
  async since(afterId: bigint, limit = 1000): Promise<LiveEventData[]> {
    const client = new pg.Client({ connectionString: this.url });
    await client.connect();
    try {
      const { rows } = await client.query<Row>(
        'SELECT id::text AS id, at, topic, payload FROM "LiveEvent" WHERE id > $1 ORDER BY id LIMIT $2',
        [afterId.toString(), limit],
      );
      return rows.map(toEvent);
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
      await client.query(`LISTEN ${LIVE_CHANNEL}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      this.scheduleReconnect(err);
      return;
    }
    client.on('notification', (msg) => {
      if (msg.payload) this.enqueue(msg.payload);
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    this.client = client;
    this.reconnectDelayMs = 250;
    if (this.highWater !== null) {
      // Catch up on what was committed while disconnected: no gaps for live clients.
      const missed = await this.since(this.highWater).catch(() => []);
      for (const e of missed) this.dispatch(e);
    } else {
      const { rows } = await client.query<{ max: string | null }>('SELECT max(id)::text AS max FROM "LiveEvent"');
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
    console.warn(`[live] LISTEN connection lost (${err instanceof Error ? err.message : String(err)}); retrying in ${this.reconnectDelayMs} ms`);
    setTimeout(() => void this.ensureConnected(), this.reconnectDelayMs).unref();
    this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, 5000);
  }

  private enqueue(id: string) {
    this.pending.push(id);
    // Batch notifications that arrive together into one read.
    this.flushTimer ??= setTimeout(() => void this.flush(), 5);
  }

  private async flush() {
    this.flushTimer = null;
    const ids = this.pending;
    this.pending = [];
    const client = this.client;
    if (!client || ids.length === 0) return;
    try {
      const { rows } = await client.query<Row>(
        'SELECT id::text AS id, at, topic, payload FROM "LiveEvent" WHERE id = ANY($1::bigint[]) ORDER BY id',
        [ids],
      );
      for (const r of rows) this.dispatch(toEvent(r));
    } catch (err) {
      console.warn(`[live] could not read events ${ids.join(',')}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private dispatch(e: LiveEventData) {
    const id = BigInt(e.id);
    if (this.highWater === null || id > this.highWater) this.highWater = id;
    for (const l of this.listeners) l(e);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => undefined);
  }
}

const holder = globalThis as unknown as { __switchbackBus?: LiveBus };

export function liveBus(url: string): LiveBus {
  holder.__switchbackBus ??= new LiveBus(url);
  return holder.__switchbackBus;
}

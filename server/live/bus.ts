// The live bus of one web process: ONE PostgreSQL connection LISTENs on both channels (command
// events and committed ticks) and fans them out to every subscriber in the process. Subscribers
// (SSE streams) attach and detach listeners; a reconnecting browser reads its backlog over the
// same connection, so a thousand reconnects open no connection at all.
// Contract of what the telemetry loop writes: docs/telemetry.md.
import pg from 'pg';
import { LIVE_CHANNEL, parseLiveEvent, TICK_CHANNEL, tickIdSchema, type LiveEventData } from './topics';

export interface LiveBusOptions {
  /** PostgreSQL's statement_timeout for the backlog reads on the LISTEN connection. */
  statementTimeoutMillis?: number;
  /** A connection attempt that takes longer fails (and is retried with backoff) instead of hanging. */
  connectionTimeoutMillis?: number;
  /** Shown in pg_stat_activity, so the LISTEN connection can be told apart (and counted). */
  applicationName?: string;
  /** Where dropped events and lost connections are reported. */
  log?: (line: string) => void;
}

type EventListener = (event: LiveEventData) => void;
type TickListener = (tickId: bigint) => void;

interface EventRow {
  id: string;
  at: Date;
  topic: string;
  payload: unknown;
}

const EVENT_COLUMNS = 'id::text AS id, at, topic, payload';
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Event ids remembered for de-duplication (a Set keeps insertion order: the oldest goes first). */
const RECENT_EVENTS = 2000;

export class LiveBus {
  private readonly recentEvents = new Set<bigint>();
  private client: pg.Client | null = null;
  private readonly eventListeners = new Set<EventListener>();
  private readonly tickListeners = new Set<TickListener>();
  private pendingEvents: string[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private reconnectDelayMs = 250;
  private connecting: Promise<void> | null = null;
  /** Highest ids seen, so a reconnect can fetch what was committed while the bus was deaf. */
  private eventHighWater: bigint | null = null;
  private tickHighWater: bigint | null = null;
  private readonly log: (line: string) => void;
  /** The queries on the connection, one after the other (pg 9 refuses overlapping ones). */
  private queryChain: Promise<unknown> = Promise.resolve();
  /** LISTEN connections opened over the bus's life (1 unless the database dropped it). */
  connectionsOpened = 0;

  constructor(
    private readonly url: string,
    private readonly options: LiveBusOptions = {},
  ) {
    this.log = options.log ?? ((line) => console.warn(line));
  }

  /** Command events (user.changed, service.changed …), each checked against its topic's schema. */
  subscribe(listener: EventListener): () => void {
    this.eventListeners.add(listener);
    void this.ensureConnected();
    return () => this.eventListeners.delete(listener);
  }

  /** Ids of committed ticks, ascending: a tick at or below the last one delivered is skipped. */
  subscribeTicks(listener: TickListener): () => void {
    this.tickListeners.add(listener);
    void this.ensureConnected();
    return () => this.tickListeners.delete(listener);
  }

  /**
   * The newest tick this bus knows was committed (read on connect, then from each NOTIFY), or
   * null before it first connected. A stream that starts from here asks the database nothing.
   */
  get latestTick(): bigint | null {
    return this.client ? this.tickHighWater : null;
  }

  /** The newest event id this bus knows of, or null before it first connected. */
  get latestEvent(): bigint | null {
    return this.client ? this.eventHighWater : null;
  }

  get subscriberCount(): number {
    return this.eventListeners.size + this.tickListeners.size;
  }

  /** Events after `afterId`, oldest first: the backlog a reconnecting client asks for. */
  async since(afterId: bigint, limit = 1000): Promise<LiveEventData[]> {
    const rows = await this.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM "LiveEvent" WHERE id > $1 ORDER BY id LIMIT $2`, [afterId.toString(), limit]);
    return rows.flatMap((r) => this.checked(r));
  }

  /** Committed tick ids after `afterId`, oldest first (the backlog of a reconnecting client). */
  async ticksSince(afterId: bigint, limit = 600): Promise<bigint[]> {
    const rows = await this.query<{ id: string }>('SELECT id::text AS id FROM "Tick" WHERE id > $1 ORDER BY id LIMIT $2', [afterId.toString(), limit]);
    return rows.map((r) => BigInt(r.id));
  }

  /**
   * Resolves once LISTEN is up and what committed before it has been caught up. A connect in
   * flight is waited for even when its client is already set: it is still catching up, and a
   * caller that goes on to commit a tick would race that read (seen under load: a test's tick,
   * its rows written one statement after another, was found by the catch-up half-written, and its
   * own NOTIFY then skipped as already seen).
   */
  ensureConnected(): Promise<void> {
    return this.connecting ?? this.ensureClient();
  }

  /** A client for the bus's own reads: the catch-up reads through it while the connect is in flight. */
  private ensureClient(): Promise<void> {
    if (this.client || this.stopped) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => (this.connecting = null));
    return this.connecting;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => undefined);
  }

  /** Reads over the LISTEN connection (pg queues them; notifications keep arriving meanwhile). */
  private async query<R extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<R[]> {
    await this.ensureClient();
    const client = this.client;
    if (!client) throw new Error('the live bus has no database connection (it is reconnecting)');
    return this.run<R>(client, sql, params);
  }

  private run<R extends pg.QueryResultRow>(client: pg.Client, sql: string, params: unknown[] = []): Promise<R[]> {
    const result = this.queryChain.then(() => client.query<R>(sql, params)).then((r) => r.rows);
    this.queryChain = result.catch(() => undefined);
    return result;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.url,
      connectionTimeoutMillis: this.options.connectionTimeoutMillis ?? 5000,
      application_name: this.options.applicationName ?? 'switchback-live',
      keepAlive: true,
      // Backlog reads share this connection: a frozen database must not hold them forever.
      statement_timeout: this.options.statementTimeoutMillis ?? 5000,
    });
    this.connectionsOpened++;
    try {
      await client.connect();
      // Attached before LISTEN: a notification in the same packet as LISTEN's answer is not lost.
      client.on('notification', (msg) => {
        if (msg.channel === LIVE_CHANNEL) this.notifiedEvent(msg.payload);
        else if (msg.channel === TICK_CHANNEL) this.notifiedTick(msg.payload);
      });
      // On the first connect "now" is read BEFORE listening, and the catch-up below replays what
      // committed in between. Read after LISTEN, a tick committed in that gap would count as
      // already seen and its NOTIFY be skipped (seen under load: a subscriber never got its tick).
      if (this.eventHighWater === null) this.eventHighWater = await this.maxId(client, '"LiveEvent"');
      if (this.tickHighWater === null) this.tickHighWater = await this.maxId(client, '"Tick"');
      await client.query(`LISTEN ${LIVE_CHANNEL}; LISTEN ${TICK_CHANNEL}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      this.scheduleReconnect(err);
      return;
    }
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    this.client = client;
    this.reconnectDelayMs = 250;
    try {
      await this.catchUp(client);
    } catch (err) {
      this.log(`[live] could not read what was committed while reconnecting: ${message(err)}`);
    }
  }

  /** What committed since the last event and tick seen: while deaf, or between "now" and LISTEN. */
  private async catchUp(client: pg.Client) {
    if (this.client !== client) return;
    if (this.eventHighWater !== null) for (const e of await this.since(this.eventHighWater)) this.dispatchEvent(e);
    if (this.tickHighWater !== null) for (const id of await this.ticksSince(this.tickHighWater)) this.dispatchTick(id);
  }

  private async maxId(client: pg.Client, table: string): Promise<bigint> {
    const rows = await this.run<{ max: string | null }>(client, `SELECT max(id)::text AS max FROM ${table}`);
    return BigInt(rows[0]?.max ?? '0');
  }

  private lost(client: pg.Client, err: unknown) {
    if (this.client !== client) return;
    this.client = null;
    client.end().catch(() => undefined);
    this.scheduleReconnect(err);
  }

  private scheduleReconnect(err: unknown) {
    if (this.stopped) return;
    this.log(`[live] LISTEN connection lost (${message(err)}); retrying in ${this.reconnectDelayMs} ms`);
    setTimeout(() => void this.ensureConnected(), this.reconnectDelayMs).unref();
    this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, 5000);
  }

  private notifiedEvent(payload: string | undefined) {
    if (!payload || !tickIdSchema.safeParse(payload).success) {
      this.log(`[live] dropped a ${LIVE_CHANNEL} notification that is not an event id: ${JSON.stringify(payload ?? null).slice(0, 80)}`);
      return;
    }
    this.pendingEvents.push(payload);
    // Notifications that arrive together are read in one query.
    this.flushTimer ??= setTimeout(() => void this.flushEvents(), 5);
  }

  private notifiedTick(payload: string | undefined) {
    const parsed = tickIdSchema.safeParse(payload);
    if (!parsed.success) {
      this.log(`[live] dropped a ${TICK_CHANNEL} notification that is not a tick id: ${JSON.stringify(payload ?? null).slice(0, 80)}`);
      return;
    }
    this.dispatchTick(BigInt(parsed.data));
  }

  private async flushEvents() {
    this.flushTimer = null;
    const ids = this.pendingEvents;
    this.pendingEvents = [];
    const client = this.client;
    if (!client || ids.length === 0) return;
    try {
      const rows = await this.run<EventRow>(client, `SELECT ${EVENT_COLUMNS} FROM "LiveEvent" WHERE id = ANY($1::bigint[]) ORDER BY id`, [ids]);
      for (const r of rows) for (const e of this.checked(r)) this.dispatchEvent(e);
    } catch (err) {
      this.log(`[live] could not read events ${ids.join(',')}: ${message(err)}`);
    }
  }

  /** The row as an event, or nothing (and a log line) when it breaks its topic's schema. */
  private checked(row: EventRow): LiveEventData[] {
    const result = parseLiveEvent(row);
    if ('event' in result) return [result.event];
    const id = BigInt(row.id);
    // Still counts as seen: a reconnect must not read it again.
    if (this.eventHighWater === null || id > this.eventHighWater) this.eventHighWater = id;
    this.log(`[live] dropped event ${row.id}: ${result.error}`);
    return [];
  }

  private dispatchEvent(e: LiveEventData) {
    const id = BigInt(e.id);
    // An event committed between LISTEN and the catch-up read arrives twice (read, then its
    // NOTIFY). Not a high-water check: commands commit out of id order, so a lower id can still
    // be new. The ids recently delivered are remembered instead.
    if (this.recentEvents.has(id)) return;
    this.recentEvents.add(id);
    if (this.recentEvents.size > RECENT_EVENTS) this.recentEvents.delete(this.recentEvents.values().next().value!);
    if (this.eventHighWater === null || id > this.eventHighWater) this.eventHighWater = id;
    for (const l of this.eventListeners) l(e);
  }

  private dispatchTick(id: bigint) {
    if (this.tickHighWater !== null && id <= this.tickHighWater) return;
    this.tickHighWater = id;
    for (const l of this.tickListeners) l(id);
  }
}

const holder = globalThis as unknown as { __switchbackLiveBus?: { url: string; bus: LiveBus } };

/**
 * The process's bus for `url` (kept on globalThis so Next's module reloads in dev share it). A
 * process asked for another database's bus (integration files sharing one test process, each
 * with its own database) gets a new one; the old one is left to whoever stops it.
 */
export function liveBus(url: string, options?: LiveBusOptions): LiveBus {
  const held = holder.__switchbackLiveBus;
  if (held?.url === url) return held.bus;
  holder.__switchbackLiveBus = { url, bus: new LiveBus(url, options) };
  return holder.__switchbackLiveBus.bus;
}

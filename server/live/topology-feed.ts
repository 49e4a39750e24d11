// The topology feed's per-process memory: the maps of the last few ticks and the messages between
// them (deltas, snapshots), each made once however many browsers subscribe, and serialised once
// too (shareMessage). A subscriber is sent the delta from the tick it holds to the new one when
// this process still has that tick's map, else the whole map of the newest tick this process has
// (a resync: a new subscriber that missed ticks, a reconnect from long ago or from another process,
// a subscriber whose connection fell behind).
import { shareMessage } from './shared-message';
import { diff, type TopologyFeedMessage } from './topology-delta';

export interface FeedOptions {
  /** Tick maps kept (a subscriber more ticks behind than this gets a snapshot). */
  keepMaps?: number;
  /**
   * After a read, the next one waits this many times as long as the read took (default 1: the
   * feed reads at most half of the time). At 10,000 instances a read takes about a tick; read
   * back to back they kept a core and PostgreSQL busy and the telemetry tick skipped slots.
   */
  restFactor?: number;
}

interface Entry<M> {
  tickId: string;
  value: Promise<M>;
}

interface Queued<M> extends Entry<M> {
  /** Starts the read now (once): when the one before is done and rested, or for a snapshot. */
  run: () => void;
}

const byId = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);

export class TopologyFeed<M extends { tickId: string | null }> {
  private readonly maps = new Map<string, Entry<M>>();
  /** The read in flight, and the one waiting for it (for the newest tick asked for meanwhile). */
  private reading: Entry<M> | null = null;
  private queued: Queued<M> | null = null;
  private generation = 0;
  /** Settles when the next read may start (the last one done and rested); busy until then. */
  private ready: Promise<void> = Promise.resolve();
  private busy = false;
  private readonly restFactor: number;
  /** `base>tick` → delta, `=tick` → snapshot; dropped with the maps they were made from. */
  private readonly messages = new Map<string, TopologyFeedMessage<M>>();
  private readonly keepMaps: number;
  /** How many maps, deltas and snapshot messages were made (the tests check "once per process"). */
  readonly computed = { maps: 0, deltas: 0, snapshots: 0 };

  constructor(
    private readonly load: (tickId: string) => Promise<M>,
    options: FeedOptions = {},
  ) {
    this.keepMaps = options.keepMaps ?? 4;
    this.restFactor = options.restFactor ?? 1;
  }

  /**
   * The map of `tickId` or of a newer tick (`orPrevious`: or of the tick just before, when that one
   * is being read right now), read once per process. At most one read runs at a time: at 10,000
   * instances a read takes seconds, longer than a tick, and reads started per tick (every open
   * tab's feed, every snapshot of a new tick) piled up until each hit the statement timeout. A tick
   * asked for while a read runs (or, for the live feed, rests: restFactor) waits for it and is then
   * read once for every caller that asked meanwhile, at the newest tick any of them asked for. A
   * snapshot (`orPrevious`: someone waits for a page) does not wait for the rest. A failed read is
   * not kept: each of its callers gets the error and the next call reads again.
   */
  map(tickId: string, options: { orPrevious?: boolean } = {}): Promise<M> {
    return this.entry(tickId, options.orPrevious ?? false).value;
  }

  /** The entry that serves `tickId`; its tickId is final once its value settles. */
  private entry(tickId: string, snapshot: boolean): Entry<M> {
    // Reads are one at a time, each of a tick newer than any held: the newest entry is the one
    // being read, if any.
    const newest = this.newest();
    if (newest !== null && byId(newest, tickId) >= 0) return this.maps.get(newest)!;
    // Only a read in flight: a map read before the newest tick was committed is not served for it,
    // so a call after a tick always sees that tick (or the read that started just before it).
    const reading = this.reading;
    if (reading && snapshot && BigInt(reading.tickId) + 1n >= BigInt(tickId)) return reading;
    let queued = this.queued;
    if (queued) {
      if (byId(tickId, queued.tickId) > 0) queued.tickId = tickId;
    } else {
      if (!this.busy) return this.start(tickId);
      let settle!: { resolve: (m: M) => void; reject: (e: unknown) => void };
      const value = new Promise<M>((resolve, reject) => (settle = { resolve, reject }));
      const q: Queued<M> = {
        tickId,
        value,
        run: () => {
          if (this.queued !== q) return;
          this.queued = null;
          this.start(q.tickId).value.then(settle.resolve, settle.reject);
        },
      };
      this.queued = queued = q;
      void this.ready.then(q.run);
    }
    if (snapshot && !this.reading) queued.run();
    return queued;
  }

  private start(tickId: string): Entry<M> {
    this.computed.maps++;
    const t0 = performance.now();
    const read: Entry<M> = { tickId, value: this.load(tickId) };
    const generation = ++this.generation;
    this.busy = true;
    this.reading = read;
    // unref: a resting feed keeps no process alive.
    const rest = () => new Promise<void>((r) => setTimeout(r, (performance.now() - t0) * this.restFactor).unref());
    const settled = () => {
      if (this.reading === read) this.reading = null;
      return rest();
    };
    this.ready = read.value.then(settled, settled).then(() => {
      // A snapshot may have started the next read during this one's rest.
      if (this.generation === generation) this.busy = false;
    });
    this.maps.set(tickId, read);
    read.value.catch(() => {
      if (this.maps.get(tickId) === read) this.drop(tickId);
    });
    // Keep the newest ticks (by id, not by when they were asked for).
    while (this.maps.size > this.keepMaps) this.drop([...this.maps.keys()].sort(byId)[0]!);
    return read;
  }

  private drop(tickId: string) {
    this.maps.delete(tickId);
    for (const key of this.messages.keys()) if (key === `=${tickId}` || key.startsWith(`${tickId}>`) || key.endsWith(`>${tickId}`)) this.messages.delete(key);
  }

  /** The newest tick this process holds a map of (read or being read), or null. */
  private newest(): string | null {
    let best: string | null = null;
    for (const id of this.maps.keys()) if (best === null || byId(id, best) > 0) best = id;
    return best;
  }

  /**
   * What brings a client that holds the map of `baseTickId` (null: none known) to `tickId`, or
   * further: when the base is unknown the snapshot is of the newest tick this process has, so a
   * subscriber that fell behind catches up at once (its `tickId` tells the caller where it is).
   */
  async message(baseTickId: string | null, tickId: string): Promise<TopologyFeedMessage<M>> {
    // Decided before reading the new map, whose entry may push the base out.
    const base = baseTickId !== null && baseTickId !== tickId ? this.maps.get(baseTickId) : undefined;
    const entry = this.entry(tickId, false);
    const next = await entry.value;
    // The tick read: the one asked for or, when a read of an older one ran meanwhile, a newer one.
    tickId = entry.tickId;
    const baseMap = base ? await base.value.catch(() => null) : null;
    if (!baseMap || baseTickId === null || baseTickId === tickId) return this.snapshot(tickId, next);
    const key = `${baseTickId}>${tickId}`;
    let message = this.messages.get(key);
    if (!message) {
      this.computed.deltas++;
      message = shareMessage<TopologyFeedMessage<M>>({ kind: 'delta', baseTickId, tickId, patch: diff(baseMap, next) });
      if (this.maps.has(tickId)) this.messages.set(key, message);
    }
    return message;
  }

  private async snapshot(tickId: string, map: M): Promise<TopologyFeedMessage<M>> {
    const newest = this.newest();
    if (newest !== null && byId(newest, tickId) > 0) {
      const newer = await this.maps.get(newest)!.value.catch(() => null);
      if (newer) return this.snapshot(newest, newer);
    }
    let message = this.messages.get(`=${tickId}`);
    if (!message) {
      this.computed.snapshots++;
      message = shareMessage<TopologyFeedMessage<M>>({ kind: 'snapshot', tickId, map });
      if (this.maps.has(tickId)) this.messages.set(`=${tickId}`, message);
    }
    return message;
  }
}

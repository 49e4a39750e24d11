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
}

const byId = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);

export class TopologyFeed<M extends { tickId: string | null }> {
  private readonly maps = new Map<string, { value: Promise<M> }>();
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
  }

  /** The map of `tickId`, read once per process (a failed read is not kept). */
  map(tickId: string): Promise<M> {
    const hit = this.maps.get(tickId);
    if (hit) return hit.value;
    this.computed.maps++;
    const entry = { value: this.load(tickId) };
    this.maps.set(tickId, entry);
    entry.value.catch(() => {
      if (this.maps.get(tickId) === entry) this.drop(tickId);
    });
    // Keep the newest ticks (by id, not by when they were asked for): a subscriber far behind that
    // asks for an old tick must not push out the tick every other subscriber's delta is made from.
    while (this.maps.size > this.keepMaps) this.drop([...this.maps.keys()].sort(byId)[0]!);
    return entry.value;
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
    const next = await this.map(tickId);
    const baseMap = base ? await base.value.catch(() => null) : null;
    if (!baseMap || baseTickId === null) return this.snapshot(tickId, next);
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

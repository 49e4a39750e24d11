// The topology feed's per-process memory: the maps of the last few ticks and the deltas between
// them, each computed once however many browsers subscribe. A subscriber is sent the delta from
// the tick it holds to the new one when this process still has that tick's map, else the whole map
// (a resync: a new subscriber that missed ticks, a reconnect from long ago or from another process).
import { diff, type Patch, type TopologyFeedMessage } from './topology-delta';

export interface FeedOptions {
  /** Tick maps kept (a subscriber more ticks behind than this gets a snapshot). */
  keepMaps?: number;
}

export class TopologyFeed<M extends { tickId: string | null }> {
  private readonly maps = new Map<string, { value: Promise<M> }>();
  private readonly deltas = new Map<string, Patch | null>();
  private readonly keepMaps: number;
  /** How many maps and deltas were computed (the tests check "once per process"). */
  readonly computed = { maps: 0, deltas: 0 };

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
      if (this.maps.get(tickId) === entry) this.maps.delete(tickId);
    });
    // Oldest first (ticks arrive in order): drop beyond the limit, and the deltas from a dropped base.
    while (this.maps.size > this.keepMaps) {
      const oldest = this.maps.keys().next().value!;
      this.maps.delete(oldest);
      for (const key of this.deltas.keys()) if (key.startsWith(`${oldest}>`)) this.deltas.delete(key);
    }
    return entry.value;
  }

  /** What brings a client that holds the map of `baseTickId` (null: none known) to `tickId`. */
  async message(baseTickId: string | null, tickId: string): Promise<TopologyFeedMessage<M>> {
    // Decided before reading the new map, whose entry may push the base out.
    const base = baseTickId !== null && baseTickId !== tickId ? this.maps.get(baseTickId) : undefined;
    const next = await this.map(tickId);
    const baseMap = base ? await base.value.catch(() => null) : null;
    if (!baseMap || baseTickId === null) return { kind: 'snapshot', tickId, map: next };
    const key = `${baseTickId}>${tickId}`;
    if (!this.deltas.has(key)) {
      this.computed.deltas++;
      this.deltas.set(key, diff(baseMap, next));
    }
    return { kind: 'delta', baseTickId, tickId, patch: this.deltas.get(key)! };
  }
}

// Noisy-neighbour bursts in the hot zone. A hot zone shares its hosts with another tenant; now and
// then that tenant bursts (a backup, a batch job) and saturates the host's disk and network, and
// the instances on that host lose most of the I/O-bound capacity they had left — execution, the
// DB / cache writes — for 10–30 s. Their queues back up to the ingress and latency jumps within a
// few seconds, faster than the breaker's EWMA threshold can follow (SPEC §3.4): this is what makes
// breakers open and recover in the demo. A steady overload does not: its response time rises
// smoothly, T keeps up with it, and rt > 1.5·T never holds together with a full instance.
//
// The schedule is one seeded stream per zone (seed, zone name) on the simulator's clock, so it is
// the same for the same seed and calls, whatever the weights, and whatever the fleet order.
import type { SimConfig } from './config';
import { streamSeed, uniform } from './random';

/** Share of its (already reduced) execution capacity an instance loses while its host is contended. */
export const NEIGHBOUR_LOSS = 0.9;
/** A burst lasts uniformly between these, in seconds. */
export const NEIGHBOUR_MIN_S = 10;
export const NEIGHBOUR_MAX_S = 30;
/** Instances hit by one burst (uniformly 1..this): one contended host carries one or two of them. */
export const NEIGHBOUR_MAX_VICTIMS = 2;
/**
 * The first burst comes after this fraction (uniformly between the two) of the mean interval, the
 * later ones after 0.5–1.5 × the mean. Early enough that a demo shows one within a minute, late
 * enough that the breaker holds its 20 samples and has learnt the instance's normal response time.
 */
export const NEIGHBOUR_FIRST_GAP = [0.4, 0.8] as const;
export const NEIGHBOUR_GAP = [0.5, 1.5] as const;

export interface NeighbourCandidate {
  id: string;
  /** False for an instance that is killed, drained or out of service: no traffic, nothing to show. */
  eligible: boolean;
}

export class NoisyNeighbour {
  private readonly intervalMs: number;
  private readonly rng: Uint32Array;
  private nextAtMs: number | undefined;
  /** Instance id → end of its burst (epoch ms of the simulator's clock). */
  private readonly until = new Map<string, number>();

  constructor(cfg: Pick<SimConfig, 'seed' | 'hotZone' | 'noisyNeighbourIntervalS'>) {
    const s = cfg.noisyNeighbourIntervalS;
    this.intervalMs = cfg.hotZone === null || s === null || s <= 0 ? 0 : s * 1000;
    this.rng = new Uint32Array([streamSeed(cfg.seed, `neighbour:${cfg.hotZone ?? ''}`)]);
  }

  get enabled(): boolean {
    return this.intervalMs > 0;
  }

  /** Forget instances that left the fleet. */
  retain(ids: ReadonlySet<string>): void {
    for (const id of this.until.keys()) if (!ids.has(id)) this.until.delete(id);
  }

  /**
   * Move the schedule to `nowMs` and return the ids under a burst now. `candidates` are the hot
   * zone's instances sorted by id (the pick must not depend on the fleet order). Call once a tick.
   */
  advance(nowMs: number, candidates: readonly NeighbourCandidate[]): ReadonlySet<string> {
    if (!this.enabled) return EMPTY;
    for (const [id, end] of this.until) if (end <= nowMs) this.until.delete(id);
    if (this.nextAtMs === undefined) this.nextAtMs = nowMs + this.gap(NEIGHBOUR_FIRST_GAP);
    // One burst at most per tick: after a long pause of the clock, the schedule restarts from now
    // instead of replaying every burst it missed.
    if (nowMs >= this.nextAtMs) {
      this.start(nowMs, candidates);
      this.nextAtMs = nowMs + this.gap(NEIGHBOUR_GAP);
    }
    return new Set(this.until.keys());
  }

  private gap([lo, hi]: readonly [number, number]): number {
    return this.intervalMs * (lo + (hi - lo) * uniform(this.rng, 0));
  }

  private start(nowMs: number, candidates: readonly NeighbourCandidate[]): void {
    // Draw the same numbers whoever is eligible, so that an operator draining one instance does
    // not reshuffle every later burst.
    const victims = 1 + Math.floor(uniform(this.rng, 0) * NEIGHBOUR_MAX_VICTIMS);
    const durationMs = 1000 * (NEIGHBOUR_MIN_S + (NEIGHBOUR_MAX_S - NEIGHBOUR_MIN_S) * uniform(this.rng, 0));
    const pool = candidates.filter((c) => c.eligible && !this.until.has(c.id)).map((c) => c.id);
    for (let v = 0; v < victims; v++) {
      const u = uniform(this.rng, 0);
      if (pool.length === 0) continue;
      const [id] = pool.splice(Math.floor(u * pool.length), 1);
      this.until.set(id!, nowMs + durationMs);
    }
  }
}

const EMPTY: ReadonlySet<string> = new Set();

// How a service's traffic reaches its instances (SPEC §3.5, §3.6): header rules pin matching
// requests to a version (strategy `canary`); the rest is split between versions by weight; the
// caller's zone is preferred where it has capacity (`zone-aware`); within a version, instances get
// shares in proportion to their load-aware weights (`weighted`, else equally).
import type { ServiceRouting, StrategyPolicy } from './model';

export interface SplitInstance {
  id: string;
  appVersion: string;
  zone: string;
  /** Effective weight applied to the instance (0 = receives nothing). */
  weight: number;
}

export interface SplitInput {
  routing: ServiceRouting;
  instances: readonly SplitInstance[];
  strategies: StrategyPolicy['order'];
  /** Fraction of requests that match each header rule, keyed `${header}=${equals}`. */
  headerMix?: Readonly<Record<string, number>>;
  /** Fraction of demand coming from each zone; absent = no caller zone known. */
  callerZones?: Readonly<Record<string, number>>;
}

export interface SplitResult {
  /** Share of the service's requests per instance id; sums to 1 unless nothing can serve. */
  shares: Map<string, number>;
  /** Share of requests per version. */
  byVersion: Record<string, number>;
  /** Share of requests that found no instance with weight > 0 (dropped / 503). */
  unserved: number;
}

const enabled = (strategies: SplitInput['strategies'], name: string) => strategies.some((s) => s.name === name && s.enabled);

export function splitTraffic(input: SplitInput): SplitResult {
  const shares = new Map<string, number>(input.instances.map((i) => [i.id, 0]));
  const byVersion: Record<string, number> = {};
  let unserved = 0;
  const weighted = enabled(input.strategies, 'weighted');
  const zoneAware = enabled(input.strategies, 'zone-aware') && input.callerZones !== undefined;

  // Requests per version: header-pinned first, then the remainder by version weight.
  const demand = new Map<string, number>();
  let rest = 1;
  if (enabled(input.strategies, 'canary')) {
    for (const rule of input.routing.headerRules) {
      const f = Math.min(rest, Math.max(0, input.headerMix?.[`${rule.header}=${rule.equals}`] ?? 0));
      if (f <= 0) continue;
      demand.set(rule.version, (demand.get(rule.version) ?? 0) + f);
      rest -= f;
    }
  }
  const vw = Object.entries(input.routing.versionWeights).filter(([, w]) => w > 0);
  const totalVw = vw.reduce((s, [, w]) => s + w, 0);
  if (totalVw > 0) for (const [v, w] of vw) demand.set(v, (demand.get(v) ?? 0) + (rest * w) / totalVw);
  else unserved += rest;

  const zoneEntries = zoneAware ? Object.entries(input.callerZones!).filter(([, f]) => f > 0) : [];
  const zoneTotal = zoneEntries.reduce((s, [, f]) => s + f, 0);
  const zones: Array<[string, number]> = zoneTotal > 0 ? zoneEntries.map(([z, f]) => [z, f / zoneTotal]) : [['', 1]];
  for (const [version, d] of demand) {
    if (d <= 0) continue;
    const pool = input.instances.filter((i) => i.appVersion === version && i.weight > 0);
    if (pool.length === 0) {
      unserved += d;
      continue;
    }
    for (const [zone, zf] of zones) {
      const local = zone ? pool.filter((i) => i.zone === zone) : pool;
      const targets = local.length > 0 ? local : pool;
      const total = targets.reduce((s, i) => s + (weighted ? i.weight : 1), 0);
      for (const i of targets) {
        const s = (d * zf * (weighted ? i.weight : 1)) / total;
        shares.set(i.id, shares.get(i.id)! + s);
        byVersion[version] = (byVersion[version] ?? 0) + s;
      }
    }
  }
  return { shares, byVersion, unserved };
}

// How a service's traffic reaches its instances (SPEC §3.5, §3.6): header rules pin matching
// requests to a version (strategy `canary`); the rest is split between versions by weight; the
// caller's zone is preferred where it has capacity (`zone-aware`); within a version, instances get
// shares in proportion to their load-aware weights (`weighted`, else equally).
import type { HeaderMatch, ServiceRouting, StrategyPolicy } from './model';

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
  /**
   * The header values requests carry: fraction of all requests per `${header}=${value}` (a
   * catalogue; a header's fractions add up to at most 1, the rest do not carry it). An exact rule
   * takes its value's fraction, a prefix or regex rule the fractions of every value it matches.
   */
  headerMix?: Readonly<Record<string, number>>;
  /** `headerRuleFractions(routing.headerRules, headerMix)`, when the caller keeps it between splits. */
  matchedFractions?: readonly number[];
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
  if (enabled(input.strategies, 'canary') && input.routing.headerRules.length > 0) {
    const matched = input.matchedFractions ?? headerRuleFractions(input.routing.headerRules, input.headerMix);
    input.routing.headerRules.forEach((rule, i) => {
      const f = Math.min(rest, matched[i] ?? 0);
      if (f <= 0) return;
      demand.set(rule.version, (demand.get(rule.version) ?? 0) + f);
      rest -= f;
    });
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

/**
 * Fraction of all requests each header rule takes (in rule order), from the header mix. Depends
 * only on the rules and the mix: a caller that splits every tick computes it once per change and
 * passes it as `matchedFractions`, so a pattern is never evaluated per tick.
 */
export function headerRuleFractions(rules: ServiceRouting['headerRules'], headerMix: SplitInput['headerMix']): number[] {
  const catalogue = headerCatalogue(headerMix);
  // A request carries one value per header: a value an earlier rule took is not matched again.
  const taken = new Set<string>();
  return rules.map((rule) => {
    const values = catalogue.get(rule.header.toLowerCase()) ?? [];
    const matches = headerMatcher(rule.match ?? 'exact', rule.equals);
    let matched = 0;
    for (const [value, fraction] of values) {
      const key = `${rule.header.toLowerCase()}=${value}`;
      if (taken.has(key) || !matches(value)) continue;
      taken.add(key);
      matched += Math.max(0, fraction);
    }
    return matched;
  });
}

/** The header mix as header (lower case: HTTP header names are case-insensitive) → [value, fraction][]. */
function headerCatalogue(mix: Readonly<Record<string, number>> | undefined): Map<string, Array<[string, number]>> {
  const out = new Map<string, Array<[string, number]>>();
  for (const [key, fraction] of Object.entries(mix ?? {})) {
    const eq = key.indexOf('=');
    if (eq <= 0) continue;
    const header = key.slice(0, eq).toLowerCase();
    const list = out.get(header) ?? [];
    list.push([key.slice(eq + 1), fraction]);
    out.set(header, list);
  }
  return out;
}

/**
 * Whether a header value matches a rule: the whole value (`exact`), its beginning (`prefix`) or an
 * unanchored regular expression (`regex`, as HAProxy's `map_reg` / `-m reg` searches). A pattern
 * that does not compile matches nothing.
 */
export function headerMatcher(match: HeaderMatch, expected: string): (value: string) => boolean {
  if (match === 'exact') return (value) => value === expected;
  if (match === 'prefix') return (value) => value.startsWith(expected);
  let re: RegExp;
  try {
    re = new RegExp(expected);
  } catch {
    return () => false;
  }
  return (value) => re.test(value);
}

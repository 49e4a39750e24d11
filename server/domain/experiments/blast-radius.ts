// The blast-radius caps of a chaos run, per scope (service, zone, cluster), and the refusals in
// words. The admin's global maximum is one percentage that bounds all three scopes: an experiment
// whose own caps stay under it for the service could otherwise take every instance of a zone or
// a cluster. The cap that applies in each scope is the lower of the experiment's own (none for a
// zone or cluster unless set) and the admin's maximum.
//
// A zone or cluster cap never refuses a single instance there: a cluster that holds one instance
// of the targeted services would otherwise be untargetable under any cap below 100 % (the demo's
// edge-gateway has one instance per cluster), and one instance cannot be spread any thinner. The
// service cap has no such floor: a service too small for its cap is refused, naming the share
// of one instance. Pure; unit- and property-tested in selection.test.ts.
import type { BlastRadius } from './spec';

export type Scope = 'service' | 'zone' | 'cluster';
export const SCOPES: readonly Scope[] = ['service', 'zone', 'cluster'];

export interface ScopeCap {
  /** The cap that applies, in %. */
  pct: number;
  /** Whose cap it is: the admin's global maximum when it is the lower one (or the experiment sets none for the scope). */
  by: 'experiment' | 'admin';
}
export type ScopeCaps = Record<Scope, ScopeCap>;

const EPS = 1e-9;

/** One decimal, without a trailing ".0". */
export function fmtPct(p: number): string {
  return String(Math.round(p * 10) / 10);
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The cap per scope: min(the experiment's, the admin's global maximum). */
export function effectiveCaps(blastRadius: BlastRadius, globalMaxPct: number): ScopeCaps {
  const cap = (own: number | null): ScopeCap => (own === null || globalMaxPct < own ? { pct: globalMaxPct, by: 'admin' } : { pct: own, by: 'experiment' });
  return { service: cap(blastRadius.maxServicePct), zone: cap(blastRadius.maxZonePct), cluster: cap(blastRadius.maxClusterPct) };
}

/** How many of a scope's `total` instances a run may hit under `pct` % (zones and clusters: at least one). */
export function allowedCount(scope: Scope, total: number, pct: number): number {
  const most = Math.floor((total * pct) / 100 + EPS);
  return scope === 'service' || total === 0 ? most : Math.max(1, most);
}

/** The scope's row as the refusal names it: "service pay", "zone eu-a", "cluster c1". */
export const scopeName = (scope: Scope, key: string) => `${scope} ${key}`;

interface Row {
  key: string;
  total: number;
  selected: number;
}

/**
 * The refusal for one row over its cap: which scope, its share, the cap and whose it is, by how
 * much, and what to change. `globalMaxPct` says whether raising the experiment's own cap would do.
 */
export function overCapRefusal(scope: Scope, row: Row, cap: ScopeCap, globalMaxPct: number): string {
  const allowed = allowedCount(scope, row.total, cap.pct);
  const share = (row.selected / row.total) * 100;
  const keep = allowed === 0 ? `even one instance is ${fmtPct(100 / row.total)} %` : `select at most ${allowed}`;
  const whose = cap.by === 'admin' ? "the admin's maximum" : scope === 'service' ? "this experiment's cap" : `this experiment's ${scope} cap`;
  const field = scope === 'service' ? "the experiment's cap" : `the ${scope} cap`;
  const needed = Math.ceil(share - EPS);
  const fix = cap.by === 'experiment' && needed <= globalMaxPct ? `, narrow the targets, or raise ${field} to ${needed} %` : ', or narrow the targets';
  return `${scopeName(scope, row.key)}: ${row.selected} of ${row.total} instances (${fmtPct(share)} %) — over the blast-radius cap of ${fmtPct(cap.pct)} % (${whose}) by ${plural(row.selected - allowed, 'instance')}; ${keep}${fix}`;
}

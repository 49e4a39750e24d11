// Cohort-scoped faults (FaultInjection.cohort): a fault that hits only the requests carrying one
// header value. Which share of an instance's requests that is follows from the header mix and the
// service's routing: a header rule that matches the cohort pins all of it to the rule's version
// (a v2 canary instance sees far more `X-Abtest-Group: v2-canary` than its 3 % of all requests, a
// v1 instance none), otherwise the cohort spreads like the rest of the traffic.
import type { ServiceRouting } from '../../domain/model';
import { headerMatcher } from '../../domain/traffic-split';
import type { FaultKind } from '../adapter';
import { REQUEST_FAULT_KINDS } from '../../domain/experiments/spec';

export interface Cohort {
  header: string;
  value: string;
}

/** Only faults on requests can be scoped to some of the requests; kill, drain, stress and saturation hit the whole process. */
export const COHORT_FAULT_KINDS: readonly FaultKind[] = REQUEST_FAULT_KINDS;

/** Fraction of all requests carrying `header: value` in the mix (header names are case-insensitive). */
export function cohortMixFraction(mix: Readonly<Record<string, number>>, cohort: Cohort): number {
  const header = cohort.header.toLowerCase();
  let f = 0;
  for (const [key, fraction] of Object.entries(mix)) {
    const eq = key.indexOf('=');
    if (eq > 0 && key.slice(0, eq).toLowerCase() === header && key.slice(eq + 1) === cohort.value) f += fraction;
  }
  return f;
}

/** Why the simulator cannot carry this cohort-scoped fault, in words; undefined = it can. */
export function cohortProblem(kind: FaultKind, cohort: Cohort, mix: Readonly<Record<string, number>>): string | undefined {
  if (!COHORT_FAULT_KINDS.includes(kind)) return `a ${kind} fault hits the whole instance and cannot be scoped to a cohort (only ${COHORT_FAULT_KINDS.join(', ')} can)`;
  if (typeof cohort.header !== 'string' || typeof cohort.value !== 'string' || cohort.header === '' || cohort.header.length > 100 || cohort.value.length > 200) {
    return 'a cohort needs a header name (at most 100 characters) and a value (at most 200)';
  }
  if (!(cohortMixFraction(mix, cohort) > 0)) {
    const values = Object.keys(mix)
      .filter((k) => k.slice(0, k.indexOf('=')).toLowerCase() === cohort.header.toLowerCase())
      .map((k) => k.slice(k.indexOf('=') + 1));
    const known = values.length > 0 ? `its values are ${values.join(', ')}` : 'no simulated request carries that header';
    return `no simulated request carries ${cohort.header}: ${cohort.value} (${known})`;
  }
  return undefined;
}

/**
 * Share of the requests reaching `version` that belong to the cohort. `routing` and
 * `matchedFractions` are what the split used, `byVersion` its result (share of all requests per
 * version). Rules on other headers take the cohort in proportion (headers are independent); a rule
 * on the cohort's header that does not match its value takes none of it.
 */
export function cohortShareOfVersion(
  version: string,
  routing: ServiceRouting,
  canary: boolean,
  matchedFractions: readonly number[],
  byVersion: Readonly<Record<string, number>>,
  cohortFraction: number,
  cohort: Cohort,
): number {
  const served = byVersion[version] ?? 0;
  if (!(served > 0) || !(cohortFraction > 0)) return 0;
  const header = cohort.header.toLowerCase();
  let left = cohortFraction;
  let rest = 1;
  let toVersion = 0;
  if (canary) {
    for (let j = 0; j < routing.headerRules.length && left > 0; j++) {
      const rule = routing.headerRules[j]!;
      const m = Math.min(rest, matchedFractions[j] ?? 0);
      if (rule.header.toLowerCase() === header) {
        if (headerMatcher(rule.match ?? 'exact', rule.equals)(cohort.value)) {
          if (rule.version === version) toVersion += left;
          left = 0;
        }
      } else if (m > 0 && rest > 0) {
        const take = (left * m) / rest;
        if (rule.version === version) toVersion += take;
        left -= take;
      }
      rest -= m;
    }
  }
  if (left > 0) {
    const vw = Object.entries(routing.versionWeights).filter(([, w]) => w > 0);
    const total = vw.reduce((s, [, w]) => s + w, 0);
    const w = routing.versionWeights[version] ?? 0;
    if (total > 0 && w > 0) toVersion += (left * w) / total;
  }
  return Math.min(1, toVersion / served);
}

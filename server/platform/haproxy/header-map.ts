// Header rules as HAProxy map entries: the generated frontends look up X-Abtest-Group in a
// per-service map (exact with `map`, anchored patterns with `map_reg`).
import type { ServiceRouting } from '../../domain/model';
import { headerValueProblem } from '../../domain/header-route-values';
import { unsafeRegexProblem } from '../../domain/safe-regex';
import { CapabilityError } from '../adapter';
import type { HaproxyConfig } from './config';

/**
 * A service's header map (key → version backend) for its header rules. Throws, in words, on a
 * rule the map cannot hold rather than leave it out: a dropped rule would be reported applied.
 */
export function headerMapEntries(svc: HaproxyConfig['services'][number], rules: ServiceRouting['headerRules']): Array<[string, string]> {
  const cannot = (what: string) => new CapabilityError('haproxy', what);
  return rules.map((r): [string, string] => {
    const match = r.match ?? 'exact';
    if (r.header.toLowerCase() !== 'x-abtest-group') throw cannot(`route on header ${r.header}: the generated frontends route on X-Abtest-Group only`);
    const b = svc.versionBackends[r.version];
    if (!b) throw cannot(`route ${r.header} to version ${r.version} of ${svc.service}: it has no backend for that version`);
    const problem = headerValueProblem(r.equals) ?? (match === 'regex' ? unsafeRegexProblem(r.equals) : null);
    if (problem) throw cannot(`route ${r.header} ${JSON.stringify(r.equals)}: ${problem}`);
    if (svc.headerMapLookup === 'map_reg') return [headerPattern(match, r.equals), b];
    if (match === 'exact') return [r.equals, b];
    throw cannot(`apply a ${match} rule on ${svc.service}: its header map is looked up with map (exact), not map_reg`);
  });
}

/** A header rule as a map_reg key: exact and prefix values as anchored literal patterns. */
export function headerPattern(match: 'exact' | 'prefix' | 'regex', value: string): string {
  if (match === 'regex') return value;
  const literal = value.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
  return match === 'exact' ? `^${literal}$` : `^${literal}`;
}

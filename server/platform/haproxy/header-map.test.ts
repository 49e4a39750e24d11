import { describe, expect, it } from 'vitest';
import type { ServiceRouting } from '../../domain/model';
import { headerMapEntries } from './header-map';
import type { HaproxyConfig } from './config';

type Svc = HaproxyConfig['services'][number];
const svc = (lookup: Svc['headerMapLookup']): Svc => ({ service: 'checkout', backend: 'be_checkout', versionBackends: { v1: 'be_checkout_v1', v2: 'be_checkout_v2' }, headerMap: '/tmp/checkout.map', headerMapLookup: lookup });
type Rule = ServiceRouting['headerRules'][number];
const rule = (equals: string, match?: Rule['match'], over: Partial<Rule> = {}): Rule => ({ header: 'X-Abtest-Group', equals, version: 'v2', ...(match ? { match } : {}), ...over });

describe('headerMapEntries — the HAProxy header map of a service', () => {
  it('maps exact, prefix and regex rules to the version backend', () => {
    expect(headerMapEntries(svc('map_reg'), [rule('v2-canary'), rule('v2.', 'prefix'), rule('(canary|preview)$', 'regex')])).toEqual([
      ['^v2-canary$', 'be_checkout_v2'],
      ['^v2\\.', 'be_checkout_v2'],
      ['(canary|preview)$', 'be_checkout_v2'],
    ]);
    expect(headerMapEntries(svc('map'), [rule('v2-canary')])).toEqual([['v2-canary', 'be_checkout_v2']]);
  });

  it.each([
    ['v2 canary', /whitespace/],
    ['v2\tcanary', /whitespace/],
    ['v2;canary', /";"/],
    ['#v2', /"#"/],
  ])('throws on a value the map cannot hold (%j) instead of dropping the rule', (value, message) => {
    for (const lookup of ['map', 'map_reg'] as const) {
      expect(() => headerMapEntries(svc(lookup), [rule('v2-canary'), rule(value)])).toThrow(message);
    }
  });

  it('throws, in words, on every other rule it cannot route', () => {
    expect(() => headerMapEntries(svc('map_reg'), [rule('^(\\w+-?)+\\d$', 'regex')])).toThrow(/cannot route X-Abtest-Group .*another repeat/);
    expect(() => headerMapEntries(svc('map_reg'), [rule('qa', 'exact', { header: 'X-User-Id' })])).toThrow(/cannot route on header X-User-Id/);
    expect(() => headerMapEntries(svc('map_reg'), [rule('v3-canary', 'exact', { version: 'v3' })])).toThrow(/no backend for that version/);
    expect(() => headerMapEntries(svc('map'), [rule('v2-', 'prefix')])).toThrow(/looked up with map \(exact\), not map_reg/);
  });
});

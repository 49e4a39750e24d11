import { describe, expect, it } from 'vitest';
import { exampleSpec, rolloutSpecSchema, type RolloutStep } from './spec';

/** The messages the schema gives for one header-route step, or [] when it accepts it. */
function problems(step: Omit<Extract<RolloutStep, { kind: 'setHeaderRoute' }>, 'kind'>): string[] {
  const r = rolloutSpecSchema.safeParse({ ...exampleSpec('order-api'), steps: [{ kind: 'setHeaderRoute', ...step }] });
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('rolloutSpecSchema — header routes', () => {
  it('refuses a regex that backtracks catastrophically, in words', () => {
    expect(problems({ header: 'X-User-Id', match: 'regex', value: '^(\\w+-?)+\\d$' })).toEqual([expect.stringMatching(/^steps\.0\.value: A repeated group may not contain another repeat/)]);
    expect(problems({ header: 'X-User-Id', match: 'regex', value: '(a|a)*' })).toEqual([expect.stringMatching(/alternatives/)]);
    expect(problems({ header: 'X-User-Id', match: 'regex', value: '(a)\\1' })).toEqual([expect.stringMatching(/Back-references/)]);
    expect(problems({ header: 'X-User-Id', match: 'regex', value: '^(?!a)' })).toEqual([expect.stringMatching(/Lookaheads/)]);
  });

  it('still reports a regex that does not compile', () => {
    expect(problems({ header: 'X-User-Id', match: 'regex', value: '(a' })).toEqual([expect.stringMatching(/Not a valid regular expression/)]);
  });

  it('accepts ordinary patterns', () => {
    for (const value of ['^v2-', '[0-4]$', '^(ios|android)$']) expect(problems({ header: 'X-Device-Type', match: 'regex', value })).toEqual([]);
  });

  it.each(['exact', 'prefix', 'regex'] as const)('refuses %s values HAProxy map entries cannot hold', (match) => {
    expect(problems({ header: 'X-Abtest-Group', match, value: 'v2 canary' })).toEqual([expect.stringMatching(/whitespace/)]);
    expect(problems({ header: 'X-Abtest-Group', match, value: 'v2\u00a0canary' })).toEqual([expect.stringMatching(/whitespace/)]);
    expect(problems({ header: 'X-Abtest-Group', match, value: 'v2;canary' })).toEqual([expect.stringMatching(/";"/)]);
    expect(problems({ header: 'X-Abtest-Group', match, value: '#v2' })).toEqual([expect.stringMatching(/"#"/)]);
    expect(problems({ header: 'X-Abtest-Group', match, value: 'v2-canary' })).toEqual([]);
  });
});

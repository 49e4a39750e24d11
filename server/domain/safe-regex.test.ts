import { describe, expect, it } from 'vitest';
import { MAX_REGEX_LENGTH, unsafeRegexProblem } from './safe-regex';

describe('unsafeRegexProblem — the header-route regex subset', () => {
  it.each([
    ['^(\\w+-?)+\\d$', /repeated group may not contain another repeat/],
    ['(a+)+', /another repeat/],
    ['(a*)*', /another repeat/],
    ['(a+)*b', /another repeat/],
    ['^(a?){20}a{20}$', /another repeat/],
    ['((ab)+c)+', /another repeat/],
    ['(?:x+y)+$', /another repeat/],
    ['(a+){2,}', /another repeat/],
    ['(a|a)*', /alternatives/],
    ['(a|aa)+$', /alternatives/],
    ['^(.*|x)+$', /another repeat|alternatives/],
    ['(\\d)\\1', /Back-references/],
    ['(?<g>a)\\k<g>', /Back-references/],
    ['^(?=a)', /Lookaheads and lookbehinds/],
    ['^(?!a)', /Lookaheads and lookbehinds/],
    ['(?<=a)b', /Lookaheads and lookbehinds/],
    ['(?<!a)b', /Lookaheads and lookbehinds/],
    ['a{1,1000}', /Repeat counts/],
    ['a'.repeat(MAX_REGEX_LENGTH + 1), /at most 100 characters/],
  ])('refuses %s in words', (pattern, message) => {
    expect(unsafeRegexProblem(pattern)).toMatch(message);
  });

  it.each([
    '^v2-',
    '[0-4]$',
    '^(ios|android)$',
    '^ios',
    'a|b',
    '[0-9]+$',
    '.*',
    '^v2-.*-beta$',
    '^(ab)+$',
    '^(?:v2|v3)-canary$',
    '(?<group>v2)-canary',
    '^[a-z]{2,8}-[0-9]{1,4}$',
    '^(v2)?-canary',
    '^(a|b)?c',
    '[(+*)]+',
    '\\(a+\\)+',
    'x{2}',
    'a+?b',
    'a'.repeat(MAX_REGEX_LENGTH),
  ])('allows %s', (pattern) => {
    expect(unsafeRegexProblem(pattern)).toBeNull();
  });
});

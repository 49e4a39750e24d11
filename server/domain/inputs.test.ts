import { describe, expect, it } from 'vitest';
import { epochMs, int32, jsonObject, list, name, numericId, text, timestamp, version, INT32_MAX, LATEST_MS } from './inputs';

const NUL = 'a\u0000b';
const LONE_HIGH = 'a\uD800b';
const LONE_LOW = '\uDC00';

describe('text', () => {
  it('takes ordinary text, trimmed, emoji and all', () => {
    expect(text(20).parse('  hello 👋 ')).toBe('hello 👋');
  });

  it('refuses NUL and other control characters, lone surrogates, and too much text, in words', () => {
    for (const bad of [NUL, 'x\u0007', LONE_HIGH, LONE_LOW, 'x'.repeat(21)]) {
      const r = text(20).safeParse(bad);
      expect(r.success, JSON.stringify(bad)).toBe(false);
      expect(r.error!.issues[0]!.message).toMatch(/control character|lone UTF-16 surrogate|At most 20 characters/);
    }
  });

  it('a 1 MB string is refused by its length', () => {
    const r = text(200).safeParse('x'.repeat(1 << 20));
    expect(r.error!.issues.map((i) => i.message)).toEqual(['At most 200 characters']);
  });

  it('is single-line unless multiline', () => {
    expect(text(20).safeParse('a\nb').success).toBe(false);
    expect(text(20, { multiline: true }).parse('a\nb\tc')).toBe('a\nb\tc');
  });

  it('names must not be empty; parsing twice gives the same value', () => {
    expect(name().safeParse('   ').success).toBe(false);
    expect(name().parse(name().parse(' svc '))).toBe('svc');
  });
});

describe('numbers and times', () => {
  it('versions are 1 … 2^31−1', () => {
    expect(version().parse(INT32_MAX)).toBe(INT32_MAX);
    for (const bad of [0, -1, 2 ** 31, 2 ** 53, Number.NaN, 1.5, Infinity]) expect(version().safeParse(bad).success, String(bad)).toBe(false);
    expect(int32().parse(0)).toBe(0);
  });

  it('epoch milliseconds between 2000 and 2100 only', () => {
    expect(epochMs().parse(Date.UTC(2030, 0, 1))).toBe(Date.UTC(2030, 0, 1));
    for (const bad of [8.64e15, -8.64e15, 8.64e15 + 1, 0, LATEST_MS + 1, Number.NaN]) expect(epochMs().safeParse(bad).success, String(bad)).toBe(false);
  });

  it('timestamps come as Date, number or ISO text and leave as a valid Date in range', () => {
    const d = new Date('2030-05-01T00:00:00Z');
    expect(timestamp().parse(d)).toEqual(d);
    expect(timestamp().parse(d.getTime())).toEqual(d);
    expect(timestamp().parse('2030-05-01T00:00:00Z')).toEqual(d);
    expect(timestamp().parse(timestamp().parse(d))).toEqual(d);
    for (const bad of [new Date(Number.NaN), new Date(8.64e15), 8.64e15 + 1, 'not a date', 'x'.repeat(1000), {}, [2030]]) {
      expect(timestamp().safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('numeric ids are digits, at most 18 (a PostgreSQL bigint)', () => {
    expect(numericId().parse('123')).toBe('123');
    for (const bad of ['', '-1', '1e3', '1'.repeat(19), NUL]) expect(numericId().safeParse(bad).success).toBe(false);
  });
});

describe('lists and JSON documents', () => {
  it('lists are bounded', () => {
    expect(list(text(5), 3).safeParse(['a', 'b', 'c', 'd']).success).toBe(false);
    expect(list(text(5)).safeParse(Array.from({ length: 10_000 }, () => 'a')).success).toBe(false);
  });

  it('a JSON document with NUL text, lone surrogates, deep nesting or huge size is refused', () => {
    const deep: Record<string, unknown> = {};
    let cur = deep;
    for (let i = 0; i < 40; i++) {
      const next: Record<string, unknown> = {};
      cur.a = next;
      cur = next;
    }
    for (const bad of [{ a: NUL }, { [NUL]: 1 }, { a: [LONE_HIGH] }, deep, { a: 'x'.repeat(300 * 1024) }, { a: new Date() }]) {
      expect(jsonObject().safeParse(bad).success).toBe(false);
    }
    expect(jsonObject().parse({ a: [1, 'b', null, { c: true }] })).toEqual({ a: [1, 'b', null, { c: true }] });
  });
});

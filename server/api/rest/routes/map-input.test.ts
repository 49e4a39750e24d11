import { describe, expect, it } from 'vitest';
import { bodyWithParams, defined, queryBoolean, queryList, queryNumber, queryText, versionOf } from './map-input';

const raw = (query: Record<string, unknown> = {}, body: unknown = undefined, params: Record<string, string> = {}) => ({ params, query, body });

describe('mapInput builders', () => {
  it('reads query text: the first of repeated values, nothing for empty', () => {
    expect(queryText(raw({ a: ['x', 'y'] }), 'a')).toBe('x');
    expect(queryText(raw({ a: '' }), 'a')).toBeUndefined();
    expect(queryText(raw({ a: 5 }), 'a')).toBe('5');
    expect(queryText(raw({ a: { nested: 1 } }), 'a')).toBeUndefined();
  });

  it('turns numeric text into numbers and leaves other text for the schema to refuse in words', () => {
    expect(queryNumber(raw({ n: '42' }), 'n')).toBe(42);
    expect(queryNumber(raw({ n: '1.5' }), 'n')).toBe(1.5);
    expect(queryNumber(raw({ n: 7 }), 'n')).toBe(7);
    expect(queryNumber(raw({ n: 'ten' }), 'n')).toBe('ten');
    expect(queryNumber(raw({}), 'n')).toBeUndefined();
  });

  it('reads lists from repeated keys and comma-separated values', () => {
    expect(queryList(raw({ k: 'a,b, c' }), 'k')).toEqual(['a', 'b', 'c']);
    expect(queryList(raw({ k: ['a', 'b,c'] }), 'k')).toEqual(['a', 'b', 'c']);
    expect(queryList(raw({ k: ',' }), 'k')).toBeUndefined();
  });

  it('reads booleans', () => {
    expect([queryBoolean(raw({ b: 'true' }), 'b'), queryBoolean(raw({ b: '0' }), 'b'), queryBoolean(raw({ b: 'maybe' }), 'b')]).toEqual([true, false, 'maybe']);
  });

  it('puts path parameters over the body, under the names the procedure takes', () => {
    const map = bodyWithParams({ id: 'runId' });
    expect(map(raw({}, { runId: 'from-body', reason: 'r' }, { id: 'from-path' }))).toEqual({ runId: 'from-path', reason: 'r' });
    expect(map(raw({}, ['not', 'an', 'object'], { id: 'p' }))).toEqual({ runId: 'p' });
  });

  it('takes a DELETE version from the query, else the body; drops undefined fields', () => {
    expect(versionOf(raw({ version: '3' }, { version: 9 }))).toBe(3);
    expect(versionOf(raw({}, { version: 9 }))).toBe(9);
    expect(defined({ a: 1, b: undefined })).toEqual({ a: 1 });
  });
});

import { describe, expect, it } from 'vitest';
import { auditDiff } from './diff';
import { EMPTY_FILTERS, filtersFromParams, filtersToQuery, listInput } from './filters';

describe('audit filters in the URL', () => {
  it('round-trips every filter through the query string', () => {
    const f = { actor: 'alice', action: 'user.set-role', targetType: 'user', q: 'order api' };
    expect(filtersFromParams(new URLSearchParams(filtersToQuery(f)))).toEqual(f);
  });

  it('keeps unset filters out of the URL', () => {
    expect(filtersToQuery(EMPTY_FILTERS)).toBe('');
    expect(filtersToQuery({ ...EMPTY_FILTERS, actor: 'bob' })).toBe('?actor=bob');
  });

  it('uses the short "type" parameter for the target type', () => {
    expect(filtersFromParams(new URLSearchParams('type=service')).targetType).toBe('service');
  });

  it('sends only set filters to the server', () => {
    expect(listInput({ ...EMPTY_FILTERS, action: 'service.update', q: '  ' })).toEqual({ limit: 50, action: 'service.update' });
  });
});

describe('auditDiff', () => {
  it('shows only the fields that changed', () => {
    expect(auditDiff({ name: 'a', role: 'viewer' }, { name: 'a', role: 'admin' })).toEqual([
      { key: 'role', before: 'viewer', after: 'admin', kind: 'changed' },
    ]);
  });

  it('lists every field of a created record as added', () => {
    expect(auditDiff(null, { name: 'bob', active: true })).toEqual([
      { key: 'name', after: 'bob', kind: 'added' },
      { key: 'active', after: 'true', kind: 'added' },
    ]);
  });

  it('marks fields that disappeared as removed', () => {
    expect(auditDiff({ a: 1, b: 2 }, { a: 1 })).toEqual([{ key: 'b', before: '2', kind: 'removed' }]);
  });

  it('is empty when nothing was recorded or nothing changed', () => {
    expect(auditDiff(null, null)).toEqual([]);
    expect(auditDiff({ a: [1, 2] }, { a: [1, 2] })).toEqual([]);
  });

  it('makes an emptied description visible', () => {
    expect(auditDiff({ description: 'Orders' }, { description: '' })[0]).toMatchObject({ before: 'Orders', after: '""' });
  });
});

import { describe, expect, it } from 'vitest';
import { auditDiff, showValue } from './diff';
import { viaWords } from './via';
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
      { path: 'role', before: 'viewer', after: 'admin', kind: 'changed' },
    ]);
  });

  it('lists every field of a created record as added', () => {
    expect(auditDiff(null, { name: 'bob', active: true })).toEqual([
      { path: 'name', after: 'bob', kind: 'added' },
      { path: 'active', after: 'true', kind: 'added' },
    ]);
  });

  it('marks fields that disappeared as removed', () => {
    expect(auditDiff({ a: 1, b: 2 }, { a: 1 })).toEqual([{ path: 'b', before: '2', kind: 'removed' }]);
  });

  it('is empty when nothing was recorded or nothing changed', () => {
    expect(auditDiff(null, null)).toEqual([]);
    expect(auditDiff({ a: [1, 2] }, { a: [1, 2] })).toEqual([]);
  });

  it('makes an emptied description visible', () => {
    expect(auditDiff({ description: 'Orders' }, { description: '' })[0]).toMatchObject({ before: 'Orders', after: '""' });
  });

  it('names the changed leaf of a nested policy document, not the whole document', () => {
    const doc = { weight: { cpuCoefficient: 0.5, smoothingWindowS: 30 }, alerts: { cpu: 80 } };
    const lines = auditDiff({ version: 3, document: doc }, { version: 4, message: 'cpu', document: { ...doc, weight: { ...doc.weight, cpuCoefficient: 0.7 } } });
    expect(lines).toEqual([
      { path: 'version', before: '3', after: '4', kind: 'changed' },
      { path: 'document.weight.cpuCoefficient', before: '0.5', after: '0.7', kind: 'changed' },
      { path: 'message', after: 'cpu', kind: 'added' },
    ]);
  });

  it('compares lists of the same length entry by entry, and others as a whole', () => {
    const a = { services: [{ backend: 'be_a' }, { backend: 'be_b' }] };
    expect(auditDiff({ config: a }, { config: { services: [{ backend: 'be_a' }, { backend: 'be_c' }] } })).toEqual([
      { path: 'config.services[1].backend', before: 'be_b', after: 'be_c', kind: 'changed' },
    ]);
    expect(auditDiff({ tags: ['a'] }, { tags: ['a', 'b'] })).toEqual([{ path: 'tags', before: '["a"]', after: '["a","b"]', kind: 'changed' }]);
  });

  it('keeps every shown value short', () => {
    expect(showValue('x'.repeat(5000)).length).toBeLessThanOrEqual(120);
    expect(showValue({ a: 'y'.repeat(500) }).length).toBeLessThanOrEqual(80);
  });
});

describe('audit rows acted through an API token', () => {
  it('name the token; console actions show nothing', () => {
    expect(viaWords('token:deploy-bot')).toBe('via token deploy-bot');
    expect(viaWords('')).toBeNull();
  });
});

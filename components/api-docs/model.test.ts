import { describe, expect, it } from 'vitest';
import { openApiDocument } from '@/server/api/rest/openapi';
import type { RestRoute } from '@/server/api/rest/route';
import { byTag, curlExample, filterOperations, operationsOf } from './model';

const routes: RestRoute[] = [
  { method: 'PUT', path: '/users/{id}/role', operationId: 'setUserRole', summary: 'Set a role', tag: 'users', procedure: 'users.setRole', versionField: 'version' },
  { method: 'POST', path: '/freezes', operationId: 'createFreeze', summary: 'Create a freeze window', tag: 'safety', procedure: 'safety.freezes.create' },
  { method: 'GET', path: '/rollouts', operationId: 'listRollouts', summary: 'List rollouts', tag: 'rollouts', procedure: 'rollouts.list', paginated: {} },
];

describe('API reference model', () => {
  const ops = operationsOf(openApiDocument(routes));

  it('lists each operation with its method, path, least role, parameters and body fields', () => {
    const put = ops.find((o) => o.id === 'setUserRole')!;
    expect([put.method, put.path, put.role, put.tag]).toEqual(['PUT', '/users/{id}/role', 'admin', 'users']);
    expect(put.parameters.map((p) => `${p.in}:${p.name}`)).toEqual(['path:id', 'header:If-Match']);
    expect(put.body?.map((f) => [f.name, f.required])).toEqual([['role', true], ['version', false]]);
    expect(put.statuses.map((s) => s.status)).toContain('412');
    const list = ops.find((o) => o.id === 'listRollouts')!;
    expect(list.parameters.find((p) => p.name === 'limit')?.description).toMatch(/1–200/);
    expect(list.parameters.find((p) => p.name === 'q')?.description).toMatch(/at most 120 characters/);
  });

  it('shows nested body fields with dotted names and dates as date-time strings', () => {
    const freeze = ops.find((o) => o.id === 'createFreeze')!;
    const startsAt = freeze.body?.find((f) => f.name === 'window.startsAt');
    expect(startsAt?.type).toContain('string (date-time)');
    expect(startsAt?.depth).toBe(1);
  });

  it('filters on every word and groups by tag in order', () => {
    expect(filterOperations(ops, 'put role').map((o) => o.id)).toEqual(['setUserRole']);
    expect(filterOperations(ops, 'viewer').map((o) => o.id)).toEqual(['listRollouts']);
    expect(filterOperations(ops, '')).toHaveLength(3);
    expect(byTag(ops).map((g) => g.tag)).toEqual(['rollouts', 'safety', 'users']);
  });

  it('the curl example is three lines with a token', () => {
    const lines = curlExample('http://sb.example').split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('Authorization: Bearer $SWITCHBACK_TOKEN');
    expect(lines[2]).toBe('  http://sb.example/api/v1/status');
  });
});

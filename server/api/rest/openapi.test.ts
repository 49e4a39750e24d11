import { describe, expect, it } from 'vitest';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { appRouter } from '../root';
import { openApiDocument } from './openapi';
import type { OaMethod } from './openapi-types';
import type { RestRoute } from './route';
import { restRoutes } from './routes';
import { procedureDef } from './schema';

// The OpenAPI document validated by a real validator (Redocly, the "recommended" rule set).
// Besides the real route table, a synthetic table with one route per tRPC procedure (path
// parameter `id` where the input has one) proves the generator copes with every input schema
// the API has, so a route added later cannot bring a schema it breaks on.

/**
 * Warnings of the recommended set that the real route table may raise, and why we accept them:
 * - no-illogical-composition-keywords: a procedure input with a type JSON cannot express (zod
 *   says "any", `{}`) inside an `anyOf` reads as "matches anything" — true, and harmless.
 * Anything else it warns about fails this test. The synthetic table (every procedure) must have
 * no errors; its warnings are the one above.
 */
const ACCEPTED_WARNINGS = new Set<string>(['no-illogical-composition-keywords']);

async function lint(doc: unknown) {
  const config = await createConfig({ extends: ['recommended'] });
  const problems = await lintFromString({ source: JSON.stringify(doc), absoluteRef: 'openapi.json', config });
  return problems.map((p) => ({ rule: p.ruleId, severity: p.severity, message: p.message, where: p.location[0]?.pointer }));
}

function syntheticRoutes(): RestRoute[] {
  const out: RestRoute[] = [];
  for (const path of Object.keys(appRouter._def.procedures)) {
    const def = procedureDef(path)!;
    if (def.type === 'subscription') continue;
    const camel = path.replace(/\.(\w)/g, (_m, c: string) => c.toUpperCase());
    out.push({
      method: def.type === 'query' ? 'GET' : 'POST',
      path: `/${path.replace(/\./g, '/')}`,
      operationId: camel,
      summary: `Calls ${path}`,
      tag: path.split('.')[0]!,
      procedure: path,
      ...(def.type === 'mutation' ? { versionField: 'version' } : {}),
    });
  }
  return out;
}

describe('OpenAPI document', () => {
  it('of the route table validates with no errors and no unaccepted warnings, and lists every route', async () => {
    const doc = openApiDocument(restRoutes);
    const problems = (await lint(doc)).filter((p) => !ACCEPTED_WARNINGS.has(p.rule));
    expect(problems).toEqual([]);
    for (const r of restRoutes) expect(doc.paths[r.path]?.[r.method.toLowerCase() as OaMethod]?.operationId, `${r.method} ${r.path}`).toBe(r.operationId);
    expect(doc.servers).toEqual([{ url: '/api/v1' }]);
  });

  it('of one route per procedure validates too (every input schema of the API)', async () => {
    const routes = syntheticRoutes();
    expect(routes.length).toBeGreaterThan(50);
    const problems = (await lint(openApiDocument(routes))).filter((p) => p.severity === 'error' || !ACCEPTED_WARNINGS.has(p.rule));
    expect(problems).toEqual([]);
  });

  it('carries the least role, the bearer scheme, problem responses and the header parameters', () => {
    const routes: RestRoute[] = [
      { method: 'PUT', path: '/users/{id}/role', operationId: 'setUserRole', summary: 'Set a role', tag: 'users', procedure: 'users.setRole', versionField: 'version' },
      { method: 'POST', path: '/rollouts/{id}/start', operationId: 'startRollout', summary: 'Start', tag: 'rollouts', procedure: 'rollouts.start', versionField: 'version', idempotent: true },
      { method: 'GET', path: '/rollouts', operationId: 'listRollouts', summary: 'List', tag: 'rollouts', procedure: 'rollouts.list', paginated: { itemsAt: 'items' } },
    ];
    const doc = openApiDocument(routes);
    const put = doc.paths['/users/{id}/role']!.put!;
    expect(put['x-min-role']).toBe('admin');
    expect(put.parameters?.[0]).toMatchObject({ name: 'id', in: 'path', required: true, schema: { type: 'string' } });
    expect(put.parameters).toContainEqual({ $ref: '#/components/parameters/IfMatch' });
    const body = put.requestBody?.content['application/json']?.schema;
    expect(Object.keys(body?.properties ?? {})).toEqual(['role', 'version']);
    expect(body?.required).toEqual(['role']);
    expect(put.responses['412']).toEqual({ $ref: '#/components/responses/Problem412' });
    expect(doc.components.responses.Problem412?.content?.['application/problem+json']).toBeDefined();
    expect(doc.paths['/rollouts/{id}/start']?.post?.parameters).toContainEqual({ $ref: '#/components/parameters/IdempotencyKey' });
    const list = doc.paths['/rollouts']!.get!;
    expect(list['x-min-role']).toBe('viewer');
    expect(list.parameters?.map((p) => p.name ?? p.$ref)).toEqual(['service', 'state', 'q', '#/components/parameters/Limit', '#/components/parameters/Cursor']);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });
});

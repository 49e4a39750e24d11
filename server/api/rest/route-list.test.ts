import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { restRoutes } from './routes';
import { routeListMarkdown, routeListOf, withRouteList } from './route-list';
import type { RestRoute } from './route';

// docs/rest-api.md lists every REST route (method, path, procedure, least role, summary): the
// list there must be the one the route table makes today, so a route cannot ship undocumented.
const doc = readFileSync(new URL('../../../docs/rest-api.md', import.meta.url), 'utf8');
const FIX = 'run `npx tsx scripts/rest-route-list.ts` to rewrite the list from the route table';

describe('the route list of docs/rest-api.md', () => {
  it('lists every route of the route table, as the table says it', () => {
    const listed = routeListOf(doc);
    expect(listed, `docs/rest-api.md has no route list: ${FIX}`).not.toBeNull();
    const unlisted = restRoutes.filter((r) => !listed!.includes(`| ${r.method} | \`${r.path}\` |`)).map((r) => `${r.method} ${r.path}`);
    expect(unlisted, `routes that docs/rest-api.md does not list: ${FIX}`).toEqual([]);
    expect(listed, `docs/rest-api.md's route list is stale (a procedure, role or summary changed, or a route went away): ${FIX}`).toBe(routeListMarkdown(restRoutes));
  });

  it('would catch a route added to the table without the doc', () => {
    const extra: RestRoute = { method: 'GET', path: '/new-thing', procedure: 'telemetry.instances', operationId: 'newThing', summary: 'A route the doc does not know.', tag: 'x' };
    const listed = routeListOf(doc)!;
    expect(listed).not.toBe(routeListMarkdown([...restRoutes, extra]));
    // The row names the procedure and the role the dispatcher enforces.
    expect(routeListMarkdown([extra])).toContain('| GET | `/new-thing` | `telemetry.instances` | viewer | A route the doc does not know. |');
  });

  it('keeps a summary with a pipe in one table cell, and rewrites only what is between the markers', () => {
    const piped: RestRoute = { method: 'POST', path: '/a', procedure: 'telemetry.instances', operationId: 'a', summary: 'one | two\nthree', tag: 'x' };
    expect(routeListMarkdown([piped])).toContain('| one \\| two three |');
    const rewritten = withRouteList(`before\n${routeListMarkdown([])}\nafter\n`, routeListMarkdown([piped]));
    expect(rewritten.startsWith('before\n')).toBe(true);
    expect(rewritten.endsWith('\nafter\n')).toBe(true);
    expect(routeListOf(rewritten)).toBe(routeListMarkdown([piped]));
  });
});

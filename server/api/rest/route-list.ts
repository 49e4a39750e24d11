// The route list of docs/rest-api.md, made from the route table itself: method, path, the tRPC
// procedure it calls (or "handler"), the least role and the route's one-line summary. The doc
// holds it between two markers; route-list.test.ts fails when the doc's list is not this one
// (a route added, removed or changed without the doc), and `npx tsx scripts/rest-route-list.ts`
// writes it.
import type { RestRoute } from './route';
import { isHandlerRoute, minRoleOf } from './schema';

export const ROUTE_LIST_BEGIN = '<!-- route-list: begin (written by `npx tsx scripts/rest-route-list.ts`; do not edit by hand) -->';
export const ROUTE_LIST_END = '<!-- route-list: end -->';

const cell = (s: string) => s.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();

/** The Markdown table, one row per route in the route table's order, with the markers around it. */
export function routeListMarkdown(routes: readonly RestRoute[]): string {
  const rows = routes.map((r) => `| ${r.method} | \`${r.path}\` | ${isHandlerRoute(r) ? 'handler' : `\`${r.procedure}\``} | ${minRoleOf(r)} | ${cell(r.summary)} |`);
  return [ROUTE_LIST_BEGIN, '| Method | Path (under `/api/v1`) | Procedure | Least role | What it does |', '|---|---|---|---|---|', ...rows, ROUTE_LIST_END].join('\n');
}

/** The doc with its route list replaced by `list` (the markers must be there once each). */
export function withRouteList(doc: string, list: string): string {
  const begin = doc.indexOf(ROUTE_LIST_BEGIN);
  const end = doc.indexOf(ROUTE_LIST_END);
  if (begin === -1 || end < begin) throw new Error('docs/rest-api.md has no route-list markers');
  return doc.slice(0, begin) + list + doc.slice(end + ROUTE_LIST_END.length);
}

/** The route list as the doc holds it (markers included), or null when it has none. */
export function routeListOf(doc: string): string | null {
  const begin = doc.indexOf(ROUTE_LIST_BEGIN);
  const end = doc.indexOf(ROUTE_LIST_END);
  return begin === -1 || end < begin ? null : doc.slice(begin, end + ROUTE_LIST_END.length);
}

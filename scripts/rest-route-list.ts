// Writes the route list of docs/rest-api.md from the REST route table (server/api/rest/route-list.ts):
// run it after adding or changing a route; server/api/rest/route-list.test.ts fails until then.
import { readFileSync, writeFileSync } from 'node:fs';
import { restRoutes } from '../server/api/rest/routes';
import { routeListMarkdown, withRouteList } from '../server/api/rest/route-list';

const file = new URL('../docs/rest-api.md', import.meta.url);
writeFileSync(file, withRouteList(readFileSync(file, 'utf8'), routeListMarkdown(restRoutes)));
console.log(`docs/rest-api.md: ${restRoutes.length} routes listed`);

import { describe, expect, it } from 'vitest';
import type { ProcedureRoute, RestRoute } from '../route';
import { notRouted, restRoutes } from './index';
import { procedures } from './procedure-schemas';

// Every console action is reachable from scripts: a procedure added to the tRPC router needs a
// REST route or an entry in `notRouted` saying in words why not.
const routed = new Set(restRoutes.filter((r: RestRoute): r is ProcedureRoute => 'procedure' in r).map((r) => r.procedure));

describe('REST coverage of the console', () => {
  it.each(Object.keys(procedures).sort())('%s has a REST route or a reason for none', (path) => {
    if (procedures[path]!._def.type === 'subscription') {
      expect(notRouted[path], `${path} is a subscription: list it in notRouted with a reason`).toBeDefined();
    } else {
      expect(routed.has(path) || path in notRouted, `${path} has no REST route and no reason in notRouted`).toBe(true);
    }
  });

  it('every exclusion names a procedure that exists, has no route, and gives a reason in words', () => {
    for (const [path, reason] of Object.entries(notRouted)) {
      expect(procedures[path], `notRouted lists ${path}, which the router does not have`).toBeDefined();
      expect(routed.has(path), `${path} is excluded but also routed`).toBe(false);
      expect(reason.split(/\s+/).length, `the reason for ${path}`).toBeGreaterThanOrEqual(5);
    }
  });
});

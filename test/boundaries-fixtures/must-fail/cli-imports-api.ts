// lint-as: cli/__boundaries_fixture__.ts
import type { RestRoute } from '../server/api/rest/route';
export type X = RestRoute;

import type { RestRoute } from '../route';
import { systemRoutes } from './system';
import { tokenRoutes } from './tokens';

// Every /api/v1 route, one file per subject; each file's routes are added here in one line.
export const restRoutes: RestRoute[] = [...systemRoutes, ...tokenRoutes];

import type { RestRoute } from '../route';
import { webhookRoutes } from './webhooks';

// Every /api/v1 route, one file per subject; each file's routes are added here in one line.
export const restRoutes: RestRoute[] = [...webhookRoutes];

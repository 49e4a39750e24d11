import type { RestRoute } from '../route';

// The system's own state: health of the control loop, workers and adapters (read-only).
export const systemRoutes: RestRoute[] = [
  { method: 'GET', path: '/system/health', operationId: 'getSystemHealth', summary: 'Health of the control loop, database and workers', tag: 'system', procedure: 'system.health' },
  { method: 'GET', path: '/system/workers', operationId: 'listWorkers', summary: 'Worker processes and their last heartbeat', tag: 'system', procedure: 'system.workers', paginated: {} },
  { method: 'GET', path: '/system/adapters', operationId: 'listAdapters', summary: 'Configured platform adapters', tag: 'system', procedure: 'system.adapters' },
];

// The safety layer over REST: halt-all (engage with a reason, release by an approver), its
// history, freeze windows, and the global chaos limits. Each route is the safety.* procedure.
import { z } from 'zod';
import type { ProcedureRoute } from '../route';
import { bodyWithParams, defined, versionOf, type RawRequest } from './map-input';

const tag = 'safety';

/** Halts are few; the procedure answers the newest of at most this many, REST pages them by cursor. */
const HALT_HISTORY_MAX = 200;

export const safetyRoutes: ProcedureRoute[] = [
  { method: 'GET', path: '/halt', procedure: 'safety.status', operationId: 'getHaltStatus', summary: 'Whether halt-all is engaged (by whom, why, faults still pending), the last release, active freeze windows.', tag },
  {
    method: 'POST',
    path: '/halt/engage',
    procedure: 'safety.haltEngage',
    operationId: 'engageHalt',
    summary: 'Engage halt-all: every run stops injecting, every rollout pauses (body {reason}; Idempotency-Key).',
    tag,
    idempotent: true,
  },
  { method: 'POST', path: '/halt/release', procedure: 'safety.haltRelease', operationId: 'releaseHalt', summary: 'Release halt-all (approvers; body {reason}).', tag },
  {
    method: 'GET',
    path: '/halts',
    procedure: 'safety.halts',
    operationId: 'listHalts',
    summary: 'Every halt so far, newest first: who engaged and released it and why.',
    tag,
    paginated: {},
    mapInput: () => ({ limit: HALT_HISTORY_MAX }),
    requestSchema: z.object({}).strict(),
  },
  { method: 'GET', path: '/freeze-windows', procedure: 'safety.freezes.list', operationId: 'listFreezeWindows', summary: 'Freeze windows (one-off and recurring).', tag },
  { method: 'POST', path: '/freeze-windows', procedure: 'safety.freezes.create', operationId: 'createFreezeWindow', summary: 'Create a freeze window (approvers; body {window}).', tag, successStatus: 201 },
  {
    method: 'PUT',
    path: '/freeze-windows/{id}',
    procedure: 'safety.freezes.update',
    operationId: 'updateFreezeWindow',
    summary: 'Change a freeze window (If-Match: its version).',
    tag,
    versionField: 'version',
    mapInput: bodyWithParams(),
  },
  {
    method: 'DELETE',
    path: '/freeze-windows/{id}',
    procedure: 'safety.freezes.remove',
    operationId: 'deleteFreezeWindow',
    summary: 'Delete a freeze window (If-Match or ?version=).',
    tag,
    versionField: 'version',
    mapInput: (raw: RawRequest) => defined({ id: raw.params.id, version: versionOf(raw) }),
  },
  { method: 'GET', path: '/limits', procedure: 'safety.limits.get', operationId: 'getLimits', summary: 'The global chaos limits (maximum blast radius) and their version (ETag).', tag },
  { method: 'PUT', path: '/limits', procedure: 'safety.limits.set', operationId: 'setLimits', summary: 'Change the global chaos limits (admins; If-Match: their version, 0 before the first change).', tag, versionField: 'version' },
];

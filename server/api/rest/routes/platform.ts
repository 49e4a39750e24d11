// The platform over REST: adapters (admins store, test, activate and import topology from them)
// and the simulator's controls (only while the simulator is the active platform).
import { saveAdapterInput } from '../../../services/platform/platform-configs';
import type { ProcedureRoute } from '../route';
import { bodyOf, bodyWithParams, defined } from './map-input';

export const platformRoutes: ProcedureRoute[] = [
  {
    method: 'POST',
    path: '/platform/adapters',
    procedure: 'platform.save',
    operationId: 'createAdapter',
    summary: 'Store a new platform adapter configuration (admins; body {name, kind, config}).',
    tag: 'platform',
    successStatus: 201,
    // Always a new row: an id in the body would make save() update one instead (that is PUT).
    mapInput: (raw) => defined({ ...bodyOf(raw), id: undefined, version: undefined }),
    requestSchema: saveAdapterInput.omit({ id: true, version: true }),
  },
  {
    method: 'PUT',
    path: '/platform/adapters/{id}',
    procedure: 'platform.save',
    operationId: 'updateAdapter',
    summary: 'Change a stored adapter configuration (admins; If-Match: its version).',
    tag: 'platform',
    versionField: 'version',
    mapInput: bodyWithParams(),
  },
  {
    method: 'POST',
    path: '/platform/adapters/{id}/activate',
    procedure: 'platform.activate',
    operationId: 'activateAdapter',
    summary: 'Make this adapter the one the worker drives (admins; If-Match: its version).',
    tag: 'platform',
    versionField: 'version',
    mapInput: bodyWithParams(),
  },
  {
    method: 'POST',
    path: '/platform/adapters/{id}/import-topology',
    procedure: 'platform.importTopology',
    operationId: 'importAdapterTopology',
    summary: "Import regions, zones, clusters, services and instances from the adapter's platform (admins).",
    tag: 'platform',
    mapInput: (raw) => ({ id: raw.params.id }),
  },
  { method: 'POST', path: '/platform/connection-test', procedure: 'platform.test', operationId: 'testAdapterConnection', summary: 'Connect to a platform with an unsaved configuration and say what answered (admins).', tag: 'platform' },
  { method: 'GET', path: '/sim', procedure: 'sim.status', operationId: 'getSimStatus', summary: "The simulator's controls in force (demand, stress, version behaviour).", tag: 'sim' },
  { method: 'POST', path: '/sim/demand', procedure: 'sim.setDemand', operationId: 'setSimDemand', summary: "Multiply a service's demand for a while (body {serviceId, factor, durationS}).", tag: 'sim' },
  { method: 'POST', path: '/sim/stress', procedure: 'sim.stress', operationId: 'stressSimInstance', summary: 'Load one instance’s CPU for a while (body {instanceId|instanceName, cpuPct, durationS}).', tag: 'sim' },
  {
    method: 'PUT',
    path: '/sim/versions/{version}',
    procedure: 'sim.setVersion',
    operationId: 'setSimVersionBehaviour',
    summary: 'How an app version behaves in the simulator: latency ×, error %, CPU × (body).',
    tag: 'sim',
    mapInput: bodyWithParams(),
  },
  { method: 'DELETE', path: '/sim/versions/{version}', procedure: 'sim.resetVersion', operationId: 'resetSimVersionBehaviour', summary: 'An app version behaves normally again in the simulator.', tag: 'sim', mapInput: (raw) => ({ version: raw.params.version }) },
  { method: 'POST', path: '/sim/clear', procedure: 'sim.clear', operationId: 'clearSimControls', summary: "End every simulator control in force.", tag: 'sim', mapInput: () => ({}) },
];

// The fleet over REST: topology (regions, zones, clusters), services and instances with their
// latest telemetry, and time series. Reads are the console's telemetry.* / topology.* procedures.
import { z } from 'zod';
import { epochMs, uuid } from '../../../domain/inputs';
import type { ProcedureRoute } from '../route';
import { bodyWithParams, queryNumber, queryTexts, type RawRequest } from './map-input';

/** A series range from the query: ?lastS=300, or ?from=&to= in epoch milliseconds (default: the last 5 minutes). */
function rangeOf(raw: RawRequest) {
  const from = queryNumber(raw, 'from');
  const to = queryNumber(raw, 'to');
  if (from !== undefined || to !== undefined) return { from, to };
  return { lastS: queryNumber(raw, 'lastS') ?? 300 };
}

/** The request of a series route: the row's id, then ?lastS= or ?from=&to= (the procedure nests them as `range`). */
const seriesRequest = z
  .object({ id: uuid(), lastS: z.number().int().min(10).max(31 * 86400).optional(), from: epochMs().optional(), to: epochMs().optional() })
  .strict();

export const topologyRoutes: ProcedureRoute[] = [
  { method: 'GET', path: '/topology', procedure: 'topology.overview', operationId: 'topologyOverview', summary: 'Counts and the region → zone → cluster tree with services and instance states.', tag: 'topology' },
  { method: 'GET', path: '/topology/health', procedure: 'topology.health', operationId: 'fleetHealth', summary: 'Fleet health at the newest tick: instances unhealthy, breakers open, stages blocked, rollouts and experiment runs running (one aggregate).', tag: 'topology' },
  { method: 'GET', path: '/topology/map', procedure: 'topologyMap.snapshot', operationId: 'topologyMap', summary: 'The topology map at the newest tick: every instance with weight, breaker and health.', tag: 'topology' },
  {
    method: 'GET',
    path: '/topology/services',
    procedure: 'serviceGraph.get',
    operationId: 'serviceGraph',
    summary: 'The service graph at the newest tick: services with traffic, errors, P95, versions and resilience state, and the caller → callee calls.',
    tag: 'topology',
  },
  {
    method: 'PUT',
    path: '/topology/services/{serviceId}/calls',
    procedure: 'serviceGraph.setCalls',
    operationId: 'setServiceCalls',
    summary: 'Replace the services a service calls, by id (admins; refused with the cycle in words when the graph would loop).',
    tag: 'topology',
    mapInput: bodyWithParams(),
  },
  { method: 'GET', path: '/topology/clusters/{name}', procedure: 'topology.cluster', operationId: 'getCluster', summary: 'One cluster with its instances and their latest state.', tag: 'topology', mapInput: (raw: RawRequest) => ({ name: raw.params.name }) },
  {
    method: 'PATCH',
    path: '/topology/services/{id}',
    procedure: 'topology.updateService',
    operationId: 'updateService',
    summary: "Rename a service or change its description (admins; If-Match: the service's version).",
    tag: 'topology',
    versionField: 'version',
    mapInput: bodyWithParams(),
  },
  { method: 'GET', path: '/services', procedure: 'telemetry.services', operationId: 'listServices', summary: 'Every service with its versions, instances, zones and live health.', tag: 'telemetry' },
  { method: 'GET', path: '/services/{name}', procedure: 'telemetry.service', operationId: 'getService', summary: 'One service by name: routing, versions, instances with their latest sample.', tag: 'telemetry', mapInput: (raw: RawRequest) => ({ name: raw.params.name }) },
  {
    method: 'GET',
    path: '/telemetry/services/{id}/series',
    procedure: 'telemetry.serviceSeries',
    operationId: 'serviceSeries',
    summary: "A service's time series (?lastS= or ?from=&to= epoch ms).",
    tag: 'telemetry',
    mapInput: (raw: RawRequest) => ({ serviceId: raw.params.id, range: rangeOf(raw) }),
    requestSchema: seriesRequest,
  },
  {
    method: 'GET',
    path: '/instances',
    procedure: 'telemetry.instances',
    operationId: 'listInstances',
    summary: 'Every instance by name with its newest sample and health; filter by service, region, zone, cluster, version, adminState or health (healthy, unhealthy, unsampled).',
    tag: 'telemetry',
    paginated: {},
    mapInput: (raw: RawRequest) => queryTexts(raw, ['service', 'region', 'zone', 'cluster', 'version', 'adminState', 'health']),
  },
  { method: 'GET', path: '/instances/{name}', procedure: 'telemetry.instance', operationId: 'getInstance', summary: 'One instance by name with its latest sample and machines.', tag: 'telemetry', mapInput: (raw: RawRequest) => ({ name: raw.params.name }) },
  {
    method: 'GET',
    path: '/telemetry/instances/{id}/series',
    procedure: 'telemetry.instanceSeries',
    operationId: 'instanceSeries',
    summary: "An instance's time series (?lastS= or ?from=&to= epoch ms).",
    tag: 'telemetry',
    mapInput: (raw: RawRequest) => ({ instanceId: raw.params.id, range: rangeOf(raw) }),
    requestSchema: seriesRequest,
  },
];

import type pg from 'pg';
import type { AdminState, BreakerState, DegradationLevel, FleetPolicies, ServiceRouting, StrategyPolicy } from '../../domain/model';
import { defaultPolicies } from '../../domain/policy-defaults';
import type { FleetView } from '../../platform/adapter';

/** Cheap change detector: the loop reloads the fleet or the policies only when this moves. */
export async function fleetFingerprint(q: pg.ClientBase | pg.Pool): Promise<string> {
  const { rows } = await q.query<{ f: string }>(
    `SELECT concat_ws('/', (SELECT count(*) FROM "Instance"), (SELECT max("updatedAt") FROM "Instance"),
       (SELECT count(*) FROM "Service"), (SELECT max("updatedAt") FROM "Service"),
       (SELECT max("updatedAt") FROM "Policy")) AS f`,
  );
  return rows[0]?.f ?? '';
}

export interface FleetState {
  view: FleetView;
  /** Desired routing version per service, to converge through the adapter. */
  serviceVersions: Map<string, { version: number; appliedVersion: number }>;
}

export async function loadFleet(q: pg.ClientBase | pg.Pool): Promise<FleetState> {
  const services = await q.query<{ id: string; name: string; routing: Partial<ServiceRouting> | null; version: number; appliedVersion: number }>(
    'SELECT id, name, routing, version, "appliedVersion" FROM "Service" ORDER BY name',
  );
  const instances = await q.query<{
    id: string;
    name: string;
    serviceId: string;
    serviceName: string;
    appVersion: string;
    address: string;
    adminState: AdminState;
    cluster: string;
    zone: string;
    region: string;
  }>(
    `SELECT i.id, i.name, i."serviceId", s.name AS "serviceName", i."appVersion", i.address, i."adminState",
            c.name AS cluster, z.name AS zone, r.name AS region
       FROM "Instance" i JOIN "Service" s ON s.id = i."serviceId" JOIN "Cluster" c ON c.id = i."clusterId"
       JOIN "Zone" z ON z.id = c."zoneId" JOIN "Region" r ON r.id = z."regionId"
      ORDER BY i.name`,
  );
  return {
    view: {
      services: services.rows.map((s) => ({ id: s.id, name: s.name, routing: routingOf(s.routing) })),
      instances: instances.rows,
    },
    serviceVersions: new Map(services.rows.map((s) => [s.id, { version: s.version, appliedVersion: s.appliedVersion }])),
  };
}

export function routingOf(raw: Partial<ServiceRouting> | null | undefined): ServiceRouting {
  return { versionWeights: raw?.versionWeights ?? {}, headerRules: raw?.headerRules ?? [] };
}

export interface LoadedPolicies {
  fleet: FleetPolicies;
  strategy: StrategyPolicy;
  /** Changes whenever any global policy is published, to force a recompute. */
  version: string;
}

/** The global policies (service-scoped overrides arrive with the policy editor). */
export async function loadPolicies(q: pg.ClientBase | pg.Pool): Promise<LoadedPolicies> {
  const { rows } = await q.query<{ kind: keyof typeof defaultPolicies; document: Record<string, unknown>; version: number }>(
    `SELECT kind::text AS kind, document, version FROM "Policy" WHERE scope = 'global'`,
  );
  const doc = <K extends keyof typeof defaultPolicies>(k: K): (typeof defaultPolicies)[K] => {
    const row = rows.find((r) => r.kind === k);
    // Defaults fill fields a stored document lacks (older documents, partial edits).
    return { ...defaultPolicies[k], ...(row?.document ?? {}) };
  };
  return {
    fleet: { weight: doc('weight'), watermark: doc('watermark'), breaker: doc('breaker') },
    strategy: doc('strategy'),
    version: rows.map((r) => `${r.kind}:${r.version}`).sort().join(','),
  };
}

export interface RestoredState {
  targetWeight: number;
  effectiveWeight: number;
  degradation: DegradationLevel;
  breaker: BreakerState;
  stageState: string[];
}

/** The last persisted sample per instance, so a new leader resumes where the old one stopped. */
export async function loadLastSamples(q: pg.ClientBase | pg.Pool): Promise<Map<string, RestoredState>> {
  const { rows } = await q.query<{ instanceId: string } & RestoredState>(
    `SELECT s."instanceId", s."targetWeight", s."effectiveWeight", s.degradation, s.breaker, s."stageState"
       FROM "TelemetrySample" s
      WHERE s."tickId" = (SELECT max(id) FROM "Tick")`,
  );
  return new Map(rows.map((r) => [r.instanceId, r]));
}

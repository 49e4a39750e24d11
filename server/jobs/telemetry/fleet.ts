import type pg from 'pg';
import type { AdminState, BreakerState, DegradationLevel, FleetPolicies, ServiceRouting, StrategyPolicy } from '../../domain/model';
import { withDefaults } from '../../domain/policy-schemas';
import type { defaultPolicies } from '../../domain/policy-defaults';
import type { FleetView } from '../../platform/adapter';
import { latestTickSampleText } from '../../services/telemetry/telemetry-sql';

/**
 * Cheap change detector: the loop reloads the fleet or the policies only when this moves.
 * max("updatedAt") alone can miss a write: updatedAt is stamped at statement time, so a long
 * transaction (a rollout's reconcile) can commit a row older than one already seen. Every
 * committed change bumps its row's version, so the sums of versions (and the count of services
 * whose routing is not applied yet) move with any of them.
 */
export async function fleetFingerprint(q: pg.ClientBase | pg.Pool): Promise<string> {
  const { rows } = await q.query<{ f: string }>(
    // One pass over each table: at 10,000 instances this runs every tick (issue 14).
    `SELECT concat_ws('/', (SELECT concat_ws('/', count(*), max("updatedAt"), sum(version)) FROM "Instance"),
       (SELECT concat_ws('/', count(*), max("updatedAt"), sum(version), count(*) FILTER (WHERE "appliedVersion" < version)) FROM "Service"),
       (SELECT concat_ws('/', max("updatedAt"), sum(version)) FROM "Policy")) AS f`,
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
  /** Per service id, where a service overrides at least one kind (the rest from global). */
  byService: Map<string, FleetPolicies>;
  /** Changes whenever any policy is published, to force a recompute. */
  version: string;
}

type Kind = keyof typeof defaultPolicies;

/** The global policies and the per-service overrides, each merged over the defaults. */
export async function loadPolicies(q: pg.ClientBase | pg.Pool): Promise<LoadedPolicies> {
  const { rows } = await q.query<{ kind: Kind; scope: string; document: Record<string, unknown>; version: number }>(`SELECT kind::text AS kind, scope, document, version FROM "Policy"`);
  const doc = <K extends Kind>(k: K, scope = 'global'): (typeof defaultPolicies)[K] => {
    const row = rows.find((r) => r.kind === k && r.scope === scope) ?? rows.find((r) => r.kind === k && r.scope === 'global');
    // Defaults fill fields a stored document lacks (older documents, partial edits).
    return withDefaults(k, row?.document) as unknown as (typeof defaultPolicies)[K];
  };
  const byService = new Map<string, FleetPolicies>();
  for (const scope of new Set(rows.filter((r) => r.scope.startsWith('service:')).map((r) => r.scope))) {
    byService.set(scope.slice('service:'.length), { weight: doc('weight', scope), watermark: doc('watermark', scope), breaker: doc('breaker', scope) });
  }
  return {
    fleet: { weight: doc('weight'), watermark: doc('watermark'), breaker: doc('breaker') },
    strategy: doc('strategy'),
    byService,
    version: rows.map((r) => `${r.kind}@${r.scope}:${r.version}`).sort().join(','),
  };
}

export interface RestoredState {
  targetWeight: number;
  effectiveWeight: number;
  degradation: DegradationLevel;
  breaker: BreakerState;
  stageState: string[];
}

/** The newest tick's samples (exported for the read benchmark, bench/scale/sample-reads.ts). */
export const LAST_SAMPLES_SQL = `SELECT s."instanceId", s."targetWeight", s."effectiveWeight", s.degradation, s.breaker, s."stageState"
  FROM "TelemetrySample" s
 WHERE ${latestTickSampleText('s')}`;

/** The last persisted sample per instance, so a new leader resumes where the old one stopped. */
export async function loadLastSamples(q: pg.ClientBase | pg.Pool): Promise<Map<string, RestoredState>> {
  const { rows } = await q.query<{ instanceId: string } & RestoredState>(LAST_SAMPLES_SQL);
  return new Map(rows.map((r) => [r.instanceId, r]));
}

// A database with a small fleet and telemetry written the way the telemetry loop writes it
// (persistTick in one transaction), for integration tests of the topology reads (the map, the
// service graph): instance and service ids by name, a sample with plain defaults (up, 50/50
// weights, 100 ms p95, idle stages) that a test overrides field by field, and a tick of samples.
import pg from 'pg';
import { makeFleet, type FleetSpec } from '../server/db/factories';
import { persistTick, type SampleRow } from '../server/jobs/telemetry/persist';
import type { VersionSampleRow } from '../server/jobs/telemetry/version-samples';
import { openTestDb, type TestDb } from './context';

export interface FleetDb extends TestDb {
  /** Instance id by instance name (makeFleet's `<service>-<cluster>-<version>-<n>`). */
  ids: Map<string, string>;
  /** Service id by service name. */
  services: Map<string, string>;
  /** A sample of the named instance: healthy defaults, then `o`. */
  sample(instance: string, o?: Partial<SampleRow>): SampleRow;
  /** One tick at `at` with these samples (and version samples), committed; its id. */
  writeTick(at: Date, rows: readonly SampleRow[], versions?: readonly VersionSampleRow[]): Promise<bigint>;
}

/** A sample row with plain defaults (up, 50/50 weights, 100 ms p95, idle stages), then `o`. */
export function sampleRow(instanceId: string, o: Partial<SampleRow> = {}): SampleRow {
  return {
    instanceId,
    up: true,
    rtMs: 20,
    cpu: 40,
    memory: null,
    p50Ms: 10,
    p95Ms: 100,
    p99Ms: 200,
    connections: 100,
    rps: 50,
    errorRate: 0,
    inputAgeMs: { cpu: 0, p95: 0, connections: 0 },
    targetWeight: 50,
    effectiveWeight: 50,
    degradation: 0,
    breaker: 'closed',
    stageFill: [0.1, 0.1, 0.1, 0.1, 0.1],
    stageState: ['idle', 'idle', 'idle', 'idle', 'idle'],
    requests: null,
    activeRequests: null,
    maxConcurrency: null,
    ingressTimeouts: null,
    stageInputs: [],
    stageOutputs: [],
    stageBlocked: [],
    ...o,
  };
}

export async function openFleetDb(spec: FleetSpec): Promise<FleetDb> {
  const t = await openTestDb();
  await makeFleet(t.db, spec);
  const ids = new Map((await t.db.instance.findMany()).map((i) => [i.name, i.id]));
  const services = new Map((await t.db.service.findMany()).map((s) => [s.name, s.id]));
  return {
    ...t,
    ids,
    services,
    sample: (instance, o = {}) => {
      const instanceId = ids.get(instance);
      if (!instanceId) throw new Error(`openFleetDb: no instance ${instance} in the fleet`);
      return sampleRow(instanceId, o);
    },
    async writeTick(at, rows, versions = []) {
      const c = new pg.Client({ connectionString: t.url });
      await c.connect();
      try {
        await c.query('BEGIN');
        const id = await persistTick(c, { at, startedAt: at, instances: rows.length, skippedSoFar: 0, leader: 'test' }, rows, [], versions);
        await c.query('COMMIT');
        return id;
      } finally {
        await c.end();
      }
    },
  };
}

// What the scale parts that read telemetry set up alike (sample-reads, service-graph): a bench
// database with a fleet, a Prisma client and a plain pg client for persistTick, sample rows of a
// busy fleet (the defaults of the tests' rows plus the request counters the loop fills), and a
// tick committed the way the telemetry loop commits it.
import pg from 'pg';
import { createDb, type Db } from '../../../server/db/client';
import { makeFleet, type FleetSpec } from '../../../server/db/factories';
import { persistTick, type SampleRow } from '../../../server/jobs/telemetry/persist';
import type { VersionSampleRow } from '../../../server/jobs/telemetry/version-samples';
import { sampleRow } from '../../../test/topology-fixtures';
import { benchDatabase } from '../../lib';

export interface BenchFleet {
  db: Db;
  client: pg.Client;
  services: Awaited<ReturnType<typeof makeFleet>>['services'];
  /** Ends the clients and stops the database (in `finally`). */
  stop: () => Promise<void>;
}

export async function benchFleet(spec: FleetSpec, poolSize: number): Promise<BenchFleet> {
  const database = await benchDatabase();
  const db = createDb(database.url, poolSize);
  const client = new pg.Client({ connectionString: database.url });
  const stop = async () => {
    await client.end().catch(() => {});
    await db.$disconnect();
    await database.stop();
  };
  try {
    await client.connect();
    const { services } = await makeFleet(db, spec);
    return { db, client, services, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** An instance's sample of a running fleet: memory and request counters set, then `o`. */
export const benchSample = (instanceId: string, o: Partial<SampleRow> = {}): SampleRow =>
  sampleRow(instanceId, { memory: 50, p95Ms: 40, requests: 50, activeRequests: 3, maxConcurrency: 64, ingressTimeouts: 0, ...o });

/** One tick at `at`, committed as the loop commits it. */
export async function commitTick(client: pg.Client, at: Date, rows: readonly SampleRow[], versions: readonly VersionSampleRow[] = []): Promise<void> {
  await client.query('BEGIN');
  await persistTick(client, { at, startedAt: at, instances: rows.length, skippedSoFar: 0, leader: 'bench' }, rows, [], versions);
  await client.query('COMMIT');
}

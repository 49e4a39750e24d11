import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../test/context';
import type { Db } from '../server/db/client';
import { makeFleet } from '../server/db/factories';
import { demoFleet, demoFleetOfSize } from './demo-fleet';
import { insertFleet } from './seed-fleet';

// The seed writes the demo fleet in a few statements; the rows must be the ones makeFleet (the
// factory every other test builds its fleet with) writes for the same spec.
let viaFactory: TestDb;
let viaSeed: TestDb;
beforeAll(async () => {
  [viaFactory, viaSeed] = await Promise.all([openTestDb(), openTestDb()]);
});
afterAll(async () => {
  await viaFactory.close();
  await viaSeed.close();
});

async function fleetRows(db: Db) {
  const instances = await db.instance.findMany({
    orderBy: { name: 'asc' },
    select: { name: true, appVersion: true, labels: true, address: true, adminState: true, version: true, service: { select: { name: true } }, cluster: { select: { name: true, zone: { select: { name: true, region: { select: { name: true } } } } } } },
  });
  const services = await db.service.findMany({ orderBy: { name: 'asc' }, select: { name: true, description: true, routing: true, labels: true, version: true, appliedVersion: true } });
  const clusters = await db.cluster.findMany({ orderBy: { name: 'asc' }, select: { name: true, version: true, zone: { select: { name: true, version: true, region: { select: { name: true, version: true } } } } } });
  return { instances, services, clusters };
}

describe('the seed writes the demo fleet', () => {
  it('as the same rows as makeFleet, with stamps a reader takes for now', async () => {
    await makeFleet(viaFactory.db, demoFleet);
    await viaSeed.db.$transaction((tx) => insertFleet(tx, demoFleet));
    const expected = await fleetRows(viaFactory.db);
    expect(expected.instances).toHaveLength(84);
    expect(await fleetRows(viaSeed.db)).toEqual(expected);
    // createdAt/updatedAt in the UTC wall time Prisma writes: within a minute of the factory's.
    const [a, b] = await Promise.all([viaFactory.db.instance.findFirstOrThrow(), viaSeed.db.instance.findFirstOrThrow()]);
    expect(Math.abs(a.updatedAt.getTime() - b.updatedAt.getTime())).toBeLessThan(60_000);
    expect(Math.abs(a.createdAt.getTime() - b.createdAt.getTime())).toBeLessThan(60_000);
  });

  it('at 10,000 instances: every instance, in its cluster', async () => {
    await viaSeed.db.$executeRawUnsafe(`TRUNCATE "Instance", "Cluster", "Zone", "Region", "Service" CASCADE`);
    const spec = demoFleetOfSize(10_000);
    await viaSeed.db.$transaction((tx) => insertFleet(tx, spec), { timeout: 120_000 });
    expect(await viaSeed.db.instance.count()).toBe(10_004);
    expect(await viaSeed.db.cluster.count()).toBe(126);
    expect(await viaSeed.db.instance.count({ where: { cluster: { name: 'cac-b-6' }, service: { name: 'edge-gateway' } } })).toBe(spec.services[3]!.placement.at(-1)!.versions.v1);
  });
});

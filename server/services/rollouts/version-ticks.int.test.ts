import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { readVersionTicks } from './version-ticks';

let t: TestDb;
let serviceId = '';
let otherId = '';
beforeAll(async () => {
  t = await openTestDb();
  serviceId = (await t.db.service.create({ data: { name: 'api' } })).id;
  otherId = (await t.db.service.create({ data: { name: 'other' } })).id;
});
afterAll(() => t.close());

const T0 = Date.UTC(2030, 0, 1, 12);
const at = (k: number) => new Date(T0 + k * 1000);
const b = (...xs: number[]) => [...xs, ...new Array<number>(18 - xs.length).fill(0)];
const row = (k: number, appVersion: string, zone: string, instances: number, requests: number, errors: number, buckets: number[] = [], sid = serviceId) => ({ at: at(k), serviceId: sid, appVersion, zone, instances, requests, errors, buckets });

describe('readVersionTicks', () => {
  beforeAll(async () => {
    await t.db.versionSample.createMany({
      data: [
        // Tick 0: canary in z1 only; stable in z1 and z2 (z2 must not count).
        row(0, 'v2', 'z1', 1, 10, 1, b(10)),
        row(0, 'v1', 'z1', 2, 100, 2, b(90, 10)),
        row(0, 'v1', 'z2', 3, 500, 50, b(0, 500)),
        // Tick 1: canary in z1 and z2 (both compared); v3 never counts.
        row(1, 'v2', 'z1', 1, 12, 0, b(12)),
        row(1, 'v2', 'z2', 1, 8, 4, b(0, 8)),
        row(1, 'v1', 'z1', 2, 110, 1, b(110)),
        row(1, 'v1', 'z2', 3, 300, 3, b(0, 300)),
        row(1, 'v3', 'z1', 1, 999, 999, b(999)),
        // Tick 2: the canary instance is down everywhere: nothing is compared.
        row(2, 'v2', 'z1', 0, 0, 0),
        row(2, 'v1', 'z1', 2, 120, 0, b(120)),
        // Tick 3: a platform without histograms: no buckets on either side.
        row(3, 'v2', 'z1', 1, 10, 0),
        row(3, 'v1', 'z1', 2, 90, 0),
        // Another service at the same ticks never counts.
        row(0, 'v2', 'z1', 1, 777, 7, b(777), otherId),
        row(0, 'v1', 'z1', 1, 777, 7, b(777), otherId),
      ],
    });
  });

  it('compares canary with stable per tick in the zones where the canary has instances up', async () => {
    const ticks = await readVersionTicks(t.db, { serviceId, canaryVersion: 'v2', stableVersion: 'v1', since: at(0) });
    expect(ticks).toEqual([
      { at: T0, canary: { requests: 10, errors: 1, buckets: b(10) }, stable: { requests: 100, errors: 2, buckets: b(90, 10) } },
      { at: T0 + 1000, canary: { requests: 20, errors: 4, buckets: b(12, 8) }, stable: { requests: 410, errors: 4, buckets: b(110, 300) } },
      { at: T0 + 2000, canary: { requests: 0, errors: 0 }, stable: { requests: 0, errors: 0 } },
      { at: T0 + 3000, canary: { requests: 10, errors: 0 }, stable: { requests: 90, errors: 0 } },
    ]);
  });

  it('keeps to the window (since and until inclusive) and the versions asked', async () => {
    const ticks = await readVersionTicks(t.db, { serviceId, canaryVersion: 'v2', stableVersion: 'v1', since: at(1), until: at(2) });
    expect(ticks.map((x) => x.at)).toEqual([T0 + 1000, T0 + 2000]);
    const swapped = await readVersionTicks(t.db, { serviceId, canaryVersion: 'v3', stableVersion: 'v1', since: at(0), until: at(1) });
    expect(swapped).toEqual([
      { at: T0, canary: { requests: 0, errors: 0 }, stable: { requests: 0, errors: 0 } },
      { at: T0 + 1000, canary: { requests: 999, errors: 999, buckets: b(999) }, stable: { requests: 110, errors: 1, buckets: b(110) } },
    ]);
    await expect(readVersionTicks(t.db, { serviceId, canaryVersion: 'v1', stableVersion: 'v1', since: at(0) })).rejects.toThrow(/must differ/);
  });
});

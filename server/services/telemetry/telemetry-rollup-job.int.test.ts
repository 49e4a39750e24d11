import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { makeFleet } from '../../db/factories';
import { deferredRollupAt, runRollupJob } from './telemetry-rollup';

let t: TestDb;
let id: string;
beforeAll(async () => {
  t = await openTestDb();
  await makeFleet(t.db, {
    regions: [{ name: 'r', zones: [{ name: 'z', clusters: ['c'] }] }],
    services: [{ name: 's', placement: [{ cluster: 'c', versions: { v1: 1 } }] }],
  });
  id = (await t.db.instance.findFirstOrThrow()).id;
});
afterAll(async () => {
  await t.close();
});

const queued = () =>
  t.db.$queryRaw<Array<{ key: string | null; run_at: Date }>>`SELECT key, run_at FROM graphile_worker.jobs WHERE task_identifier = 'telemetry_rollup'`;

describe('the rollup job runs after the grace of the minute that just ended', () => {
  const minute = Date.UTC(2026, 10, 22, 10, 0, 0);

  it('is put off to 12 s into the minute inside the grace, and runs at once after it', () => {
    expect(deferredRollupAt(new Date(minute))).toEqual(new Date(minute + 12_000));
    expect(deferredRollupAt(new Date(minute + 10_999))).toEqual(new Date(minute + 12_000));
    expect(deferredRollupAt(new Date(minute + 11_000))).toBeNull();
    expect(deferredRollupAt(new Date(minute + 59_999))).toBeNull();
  });

  it('packs the minute that just ended at the deferred run, not one minute later', async () => {
    // One sample every 5 s of minute 10:00 and the first seconds of 10:01.
    for (let s = 0; s < 65; s += 5) {
      await t.db.telemetrySample.create({
        data: { instanceId: id, at: new Date(minute + s * 1000), tickId: 1, targetWeight: 50, effectiveWeight: 50, stageFill: [0.1, 0.1, 0.1, 0.1, 0.1], stageState: [] },
      });
    }
    // The cron's run on the minute: nothing is packed yet, one run is queued for 10:01:12.
    const early = await runRollupJob(t.db, new Date(minute + 60_000 + 400));
    expect(early).toEqual({ deferredTo: new Date(minute + 72_000).toISOString() });
    expect(await t.db.telemetryPack.count()).toBe(0);
    // A retry of the cron's run queues no second one.
    await runRollupJob(t.db, new Date(minute + 60_000 + 900));
    expect(await queued()).toEqual([{ key: 'telemetry_rollup:after_grace', run_at: new Date(minute + 72_000) }]);
    // The queued run: minute 10:00 is packed, whole.
    const late = await runRollupJob(t.db, new Date(minute + 72_000));
    expect(late).toMatchObject({ packs: 1 });
    const pack = await t.db.telemetryPack.findFirstOrThrow();
    expect([pack.minute, pack.samples]).toEqual([new Date(minute), 12]);
  });
});

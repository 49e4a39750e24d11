import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser } from '../../db/factories';
import { openTestDb, type TestDb } from '../../../test/context';
import { actorOf, rolloutFleet, specFor } from '../../../test/rollout-fixtures';
import { createRollout, startRollout } from '../rollouts/rollout-commands';
import { cleanupSessions, pruneRetention } from './maintenance';

let t: TestDb;
beforeAll(async () => (t = await openTestDb()));
afterAll(() => t.close());

const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000);

describe('maintenance tasks', () => {
  it('cleanup removes expired sessions only', async () => {
    const { user } = await makeUser(t.db);
    await t.db.session.create({ data: { id: 'expired-1', userId: user.id, expiresAt: hoursAgo(1) } });
    await t.db.session.create({ data: { id: 'valid-1', userId: user.id, expiresAt: new Date(Date.now() + 3600_000) } });
    const r = await cleanupSessions(t.db);
    expect(r.sessions).toBe(1);
    expect((await t.db.session.findMany({ where: { userId: user.id } })).map((s) => s.id)).toEqual(['valid-1']);
  });

  it('retention prunes rows older than each window, in chunks, and keeps the rest', async () => {
    await t.db.auditEvent.createMany({
      data: [
        ...Array.from({ length: 7 }, (_, i) => ({ at: hoursAgo(24 * 40 + i), actorName: 'old', action: 'x', targetType: 't', targetId: String(i) })),
        { at: hoursAgo(1), actorName: 'new', action: 'x', targetType: 't', targetId: 'keep' },
      ],
    });
    await t.db.liveEvent.createMany({ data: [{ at: hoursAgo(30), topic: 'user.changed', payload: {} }, { at: hoursAgo(1), topic: 'user.changed', payload: { keep: true } }] });
    const r = await pruneRetention(t.db, { auditDays: 30, liveHours: 24, telemetryRawHours: 6, telemetryRollupDays: 30, transitionDays: 30 }, new Date(), 3);
    expect(r.audit).toBe(7);
    expect(r.live).toBe(1);
    expect(await t.db.auditEvent.count({ where: { actorName: 'old' } })).toBe(0);
    expect(await t.db.auditEvent.count({ where: { actorName: 'new' } })).toBe(1);
    expect(await t.db.liveEvent.count({ where: { at: { lt: hoursAgo(24) } } })).toBe(0);
  });

  it('retention prunes the per-version samples with the raw telemetry', async () => {
    const serviceId = (await t.db.service.create({ data: { name: 'pruned-svc' } })).id;
    const row = (h: number, appVersion: string) => ({ at: hoursAgo(h), serviceId, appVersion, zone: 'z1', instances: 1, requests: 10, errors: 0, buckets: [10] });
    await t.db.versionSample.createMany({ data: [row(7, 'v1'), row(8, 'v1'), row(7, 'v2'), row(1, 'v1'), row(5, 'v2')] });
    const r = await pruneRetention(t.db, { auditDays: 30, liveHours: 24, telemetryRawHours: 6, telemetryRollupDays: 30, transitionDays: 30 }, new Date(), 2);
    expect(r.versionSamples).toBe(3);
    expect((await t.db.versionSample.findMany({ where: { serviceId }, orderBy: { at: 'asc' } })).map((v) => v.appVersion)).toEqual(['v2', 'v1']);
  });

  it('keeps the per-version samples a running analysis of an active rollout still replays, past the raw retention', async () => {
    const f = await rolloutFleet(t.db);
    const { id, version } = await createRollout(t.db, actorOf(f.operator), { spec: specFor(f.service.name, [{ kind: 'analysis', metrics: [{ metric: 'error-rate', maxIncreasePct: 10 }], seconds: 86_400 }]) });
    await startRollout(t.db, actorOf(f.operator), { id, version });
    await t.db.analysisRun.create({ data: { rolloutId: id, attempt: 1, stepIndex: 0, kind: 'step', startedAt: hoursAgo(10), endsAt: hoursAgo(-14), config: {} } });
    const other = (await t.db.service.create({ data: { name: 'no-rollout-svc' } })).id;
    const row = (serviceId: string, h: number) => ({ at: hoursAgo(h), serviceId, appVersion: 'v2', zone: 'z1', instances: 1, requests: 10, errors: 0, buckets: [10] });
    await t.db.versionSample.createMany({ data: [row(f.service.id, 12), row(f.service.id, 9), row(f.service.id, 7), row(f.service.id, 1), row(other, 9)] });
    await pruneRetention(t.db, { auditDays: 30, liveHours: 24, telemetryRawHours: 6, telemetryRollupDays: 30, transitionDays: 30 }, new Date(), 2);
    const kept = await t.db.versionSample.findMany({ where: { serviceId: f.service.id }, orderBy: { at: 'asc' } });
    expect(kept.map((v) => Math.round((Date.now() - v.at.getTime()) / 3600_000))).toEqual([9, 7, 1]);
    expect(await t.db.versionSample.count({ where: { serviceId: other } })).toBe(0);
    // The analysis decided: its evidence is raw telemetry like any other again.
    await t.db.analysisRun.updateMany({ where: { rolloutId: id }, data: { verdict: 'pass' } });
    await pruneRetention(t.db, { auditDays: 30, liveHours: 24, telemetryRawHours: 6, telemetryRollupDays: 30, transitionDays: 30 }, new Date(), 2);
    expect(await t.db.versionSample.count({ where: { serviceId: f.service.id } })).toBe(1);
  });
});

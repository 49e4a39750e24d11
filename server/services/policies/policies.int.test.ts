import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { makeDefaultPolicies, makeFleet } from '../../db/factories';
import { defaultPolicies } from '../../domain/policy-defaults';
import { activeAdapterConfig, createAdapter } from '../platform/active-adapter';
import { loadPolicies } from '../../jobs/telemetry/fleet';
import { TelemetryLoop } from '../../jobs/telemetry/loop';
import { diffVersions, getPolicy, publishPolicy, rollbackPolicy, saveDraft } from './policies';
import { previewPolicy } from './policy-preview';

let t: TestDb;
const alice = { id: null, name: 'alice' };
const bob = { id: null, name: 'bob' };
const wm = defaultPolicies.watermark;

beforeAll(async () => {
  t = await openTestDb();
  await makeDefaultPolicies(t.db);
  await t.db.adapterConfig.create({ data: { name: 'simulator', kind: 'sim', active: true, config: { seed: 3, hotZone: 'z2', hotZoneCapacity: 0.3 } } });
  await makeFleet(t.db, {
    regions: [{ name: 'r1', zones: [{ name: 'z1', clusters: ['c1'] }, { name: 'z2', clusters: ['c2'] }] }],
    services: [{ name: 'api', placement: [{ cluster: 'c1', versions: { v1: 2 } }, { cluster: 'c2', versions: { v1: 3 } }], routing: { versionWeights: { v1: 100 }, headerRules: [] } }],
  });
});
afterAll(() => t.close());

describe('policies', () => {
  it('publishes versions with compare-and-set; a stale save names who changed it and the diff; rollback is a new version', async () => {
    const v2 = await publishPolicy(t.db, alice, { kind: 'watermark', scope: 'global', expectedVersion: 1, document: { ...wm, breakPct: 90 }, message: 'break earlier' });
    expect(v2.version).toBe(2);
    const stale = await publishPolicy(t.db, bob, { kind: 'watermark', scope: 'global', expectedVersion: 1, document: { ...wm, breakPct: 97 }, message: 'later' }).catch((e: unknown) => e);
    expect(stale).toMatchObject({ code: 'CONFLICT', details: { currentVersion: 2, changedBy: 'alice', diff: [{ path: 'breakPct', before: 90, after: 97 }] } });
    expect((stale as Error).message).toMatch(/changed by alice at .* UTC — it is now version 2; your edit was based on version 1\./);
    const bad = await publishPolicy(t.db, alice, { kind: 'watermark', scope: 'global', expectedVersion: 2, document: { ...wm, breakPct: 150 }, message: 'x' }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { 'document.breakPct': ['Stage-break watermark: at most 100 %'] } });

    const v3 = await rollbackPolicy(t.db, bob, { kind: 'watermark', scope: 'global', toVersion: 1, expectedVersion: 2 });
    expect(v3.version).toBe(3);
    const p = await getPolicy(t.db, { kind: 'watermark', scope: 'global' });
    expect(p.document).toEqual(wm);
    expect(p.versions.map((v) => [v.version, v.authorName, v.rollbackOf])).toEqual([[3, 'bob', 1], [2, 'alice', null], [1, 'seed', null]]);
    expect(await diffVersions(t.db, { kind: 'watermark', scope: 'global', a: 1, b: 2 })).toEqual([{ path: 'breakPct', before: 95, after: 90 }]);
    const audits = await t.db.auditEvent.findMany({ where: { action: { in: ['policy.publish', 'policy.rollback'] } }, orderBy: { id: 'asc' } });
    expect(audits.map((a) => [a.action, a.actorName, (a.after as { version: number }).version])).toEqual([['policy.publish', 'alice', 2], ['policy.rollback', 'bob', 3]]);
    expect(await t.db.policyVersion.count()).toBe(6); // 4 seeded + v2 + v3: the refused saves left nothing
  });

  it('a service override starts from the global document, is created at version 1, and the worker loads it for that service only', async () => {
    const svc = await t.db.service.findUniqueOrThrow({ where: { name: 'api' } });
    const scope = `service:${svc.id}`;
    const before = await getPolicy(t.db, { kind: 'watermark', scope });
    expect([before.exists, before.version, before.inheritedFrom]).toEqual([false, 0, 'global']);
    await publishPolicy(t.db, alice, { kind: 'watermark', scope, expectedVersion: 0, document: { ...wm, breakPct: 80, degradePct: 70 }, message: 'api breaks early' });
    const pool = new pg.Pool({ connectionString: t.url, max: 2 });
    const loaded = await loadPolicies(pool);
    await pool.end();
    expect(loaded.byService.get(svc.id)?.watermark.breakPct).toBe(80);
    expect(loaded.fleet.watermark.breakPct).toBe(95);
    const draft = await saveDraft(t.db, bob, { kind: 'watermark', scope, baseVersion: 1, document: { ...wm, breakPct: 85, degradePct: 70 } });
    expect(draft.id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await getPolicy(t.db, { kind: 'watermark', scope })).drafts.map((d) => d.authorName)).toEqual(['bob']);
  });

  it('what-if replays stored samples: the published document changes nothing, a stricter draft changes the counts', async () => {
    const pool = new pg.Pool({ connectionString: t.url, max: 4 });
    pool.on('error', () => undefined);
    const loop = new TelemetryLoop({ url: t.url, pool, db: t.db, tickMs: 200, log: () => undefined, workerId: 'wi', electionPollMs: 100, openAdapter: async () => createAdapter(await activeAdapterConfig(pool)) });
    loop.start();
    await expect.poll(() => t.db.tick.count(), { timeout: 20_000, interval: 200 }).toBeGreaterThanOrEqual(40);
    await loop.stop();
    await pool.end();
    const svc = await t.db.service.findUniqueOrThrow({ where: { name: 'api' } });
    const override = (await getPolicy(t.db, { kind: 'watermark', scope: `service:${svc.id}` })).document;
    const same = await previewPolicy(t.db, { kind: 'watermark', scope: `service:${svc.id}`, document: override, minutes: 5 });
    expect(same.instances).toBe(5);
    expect(same.samples).toBeGreaterThanOrEqual(5 * 40);
    expect(same.draft).toEqual(same.baseline);
    // Replaying the published policy over the loop's own samples gives back what the loop recorded.
    expect(same.actual).toEqual(same.baseline);
    const { weightRecomputes } = same.baseline;
    expect(weightRecomputes).toBeGreaterThan(0);
    expect(same.summary).toBe('No difference on these samples.');
    const strict = await previewPolicy(t.db, { kind: 'weight', scope: 'global', document: { ...defaultPolicies.weight, thresholds: { cpuPct: 5, p95Ms: 10, connections: 10 }, base: 50, cadencesS: { ...defaultPolicies.weight.cadencesS, cpu: 1 } }, minutes: 5 });
    expect(strict.draft.meanEffectiveWeight).toBeLessThan(strict.baseline.meanEffectiveWeight);
    expect(strict.summary).not.toBe('No difference on these samples.');
    expect(strict.series.length).toBeGreaterThan(0);
    // The samples hold CPU as often as the loop took it (every 5 s): the preview says so.
    expect(strict.notes).toEqual(['This draft samples CPU every 1 s, but the stored samples took it every 5 s: the replay uses the values that were taken.']);
    expect(same.notes).toEqual([]);
  });
});

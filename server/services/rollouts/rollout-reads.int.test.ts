import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { actorOf, rolloutFleet, runUntil, specFor, withExactOnlyPlatform } from '../../../test/rollout-fixtures';
import { createRollout, startRollout } from './rollout-commands';
import { getRollout, listRollouts, rolloutHistory } from './rollout-reads';
import { previewRolloutSpec, rolloutTemplate } from './rollout-preview';

let t: TestDb;
beforeAll(async () => (t = await openTestDb()));
afterAll(() => t.close());

describe('rollout reads', () => {
  it('the fleet table row, the rollout page and the weight history of a rollout waiting for approval', async () => {
    const f = await rolloutFleet(t.db);
    const spec = specFor(f.service.name, [{ kind: 'setWeight', weight: 20 }, { kind: 'approval', quorum: 2, expiresInS: 600, onExpiry: 'abort' }]);
    const { id, version } = await createRollout(t.db, actorOf(f.operator), { spec });
    await startRollout(t.db, actorOf(f.operator), { id, version });
    await runUntil(t.db, id, f.service.id, (r) => r.state === 'paused');
    // One tick: both rows at the same instant (two `new Date()`s can straddle a millisecond, and
    // the newest instant alone would then hold only v1).
    const at = new Date();
    await t.db.versionSample.createMany({
      data: [
        { at, serviceId: f.service.id, appVersion: 'v2', zone: f.zones.a, instances: 1, requests: 25, errors: 0 },
        { at, serviceId: f.service.id, appVersion: 'v1', zone: f.zones.a, instances: 4, requests: 75, errors: 0 },
      ],
    });

    const [row] = await listRollouts(t.db, f.approver1, { service: f.service.name });
    expect(row).toMatchObject({ id, state: 'paused', pauseReason: 'awaiting_approval', currentStep: 1, stepCount: 2, desiredCanaryPct: 20, measuredCanaryPct: 25, createdByName: f.operator.name });
    expect(row!.approval).toMatchObject({ quorum: 2, approvals: 0, canDecide: true });
    const [asAuthor] = await listRollouts(t.db, f.operator, { service: f.service.name });
    expect(asAuthor!.approval!.canDecide).toBe(false);
    expect(await listRollouts(t.db, f.viewer, { service: f.service.name, state: 'succeeded' })).toEqual([]);
    // The Overview's "1 rollout running" opens this filter: a paused rollout is in flight.
    expect((await listRollouts(t.db, f.viewer, { service: f.service.name, state: 'in-flight' })).map((r) => r.id)).toEqual([id]);
    expect((await listRollouts(t.db, f.viewer, { q: f.service.name.slice(2).toUpperCase() })).map((r) => r.id)).toContain(id);

    const page = await getRollout(t.db, f.operator, { id });
    expect(page.isAuthor).toBe(true);
    expect(page.canDecide).toBe(false);
    expect(page.steps.map((s) => s.run?.state ?? null)).toEqual(['done', 'running']);
    expect(page.approvals).toHaveLength(1);
    expect(page.events[0]!.kind).toBeDefined();
    expect(Number(page.events[0]!.id)).toBeGreaterThan(Number(page.events.at(-1)!.id));

    const { points } = await rolloutHistory(t.db, { id });
    expect(points.some((p) => p.desiredCanaryPct === 20)).toBe(true);
    expect(points.some((p) => p.measuredCanaryPct === 25)).toBe(true);
  });

  it('preview: the routing and per-instance shares of every step, and what the platform cannot do', async () => {
    const f = await rolloutFleet(t.db);
    const spec = specFor(f.service.name, [{ kind: 'setHeaderRoute', header: 'X-Abtest-Group', match: 'regex', value: '^v2' }, { kind: 'setWeight', weight: 50 }]);
    expect((await previewRolloutSpec(t.db, { spec })).problems).toEqual([]);
    const preview = await withExactOnlyPlatform(t.db, f.service.name, () => previewRolloutSpec(t.db, { spec }));
    expect(preview.problems.map((p) => p.path)).toEqual(['steps.0.match']);
    expect(preview.steps[1]!.versionSplit).toMatchObject({ v1: 50, v2: 50 });
    expect(preview.steps[1]!.instances.filter((i) => i.version === 'v2').map((i) => i.sharePct)).toEqual([50]);
    expect(preview.steps[1]!.raisesCanary).toBe(true);
    const missing = await previewRolloutSpec(t.db, { spec: specFor('no-such-service', [{ kind: 'setWeight', weight: 5 }]) });
    expect(missing).toEqual({ problems: [{ path: 'service', message: 'There is no service named "no-such-service"' }], steps: [], capacity: null });
  });

  it('preview: the load each step puts on the canary, from the latest tick\'s requests and CPU, where today\'s guards see nothing', async () => {
    const f = await rolloutFleet(t.db);
    const spec = specFor(f.service.name, [{ kind: 'setWeight', weight: 50 }, { kind: 'setWeight', weight: 60 }]);
    // Before any tick with load: no estimate, and the preview says what it cannot know.
    const blind = await previewRolloutSpec(t.db, { spec });
    expect(blind.capacity).toBeNull();
    expect(blind.steps[0]!.outlook).toEqual(["No telemetry of today's load to judge by: whether v2 can carry this share, and what it does under it, shows only once it runs."]);
    // One tick: four busy v1 instances (300 requests/s at 60 % CPU) and the idle v2 instance.
    const at = new Date();
    const tick = await t.db.tick.create({ data: { startedAt: at, finishedAt: at, durationMs: 1, instances: 5, leader: 'test' } });
    const instances = await t.db.instance.findMany({ where: { serviceId: f.service.id } });
    await t.db.telemetrySample.createMany({
      data: instances.map((i) => ({
        instanceId: i.id, at, tickId: tick.id, targetWeight: 100, effectiveWeight: 100, degradation: 0, breaker: 'closed', stageFill: [0.1, 0.1, 0.1, 0.1, 0.1], stageState: [],
        ...(i.appVersion === 'v2' ? { rps: 0, cpu: 4 } : { rps: 300, cpu: 60 }),
      })),
    });
    const preview = await previewRolloutSpec(t.db, { spec });
    expect(preview.capacity).toEqual({ serviceRps: 1200, instanceCapacityRps: 500, maxCanarySharePct: 41.7 });
    expect(preview.steps.map((s) => s.holds)).toEqual([[], []]);
    expect(preview.steps[0]!.canaryLoad).toMatchObject({ instance: f.canaryInstance, rps: 600, capacityRps: 500, utilisationPct: 120, level: 'over' });
    expect(preview.steps[0]!.outlook[0]).toMatch(/^Overloads v2: .* would take about 600 requests\/s, 120 % of the ~500 it can serve\./);
    expect(preview.steps[1]!.outlook[0]).toMatch(/^A guard would very likely hold this step: under the step before, /);
  });

  it('template: the last rollout of the service, else the example with its versions', async () => {
    const f = await rolloutFleet(t.db);
    expect(await rolloutTemplate(t.db, { service: f.service.name })).toMatchObject({ source: 'example', spec: { stableVersion: 'v1', canaryVersion: 'v2', service: f.service.name } });
    const spec = specFor(f.service.name, [{ kind: 'setWeight', weight: 7 }]);
    await createRollout(t.db, actorOf(f.operator), { spec });
    expect(await rolloutTemplate(t.db, { service: f.service.name })).toMatchObject({ source: 'last-rollout', spec: { steps: [{ kind: 'setWeight', weight: 7 }] } });
  });
});

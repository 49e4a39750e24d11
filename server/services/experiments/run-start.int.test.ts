import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppError } from '../../errors';
import { openTestDb, type TestDb } from '../../../test/context';
import { chaosFleet, controller, latestTick, makeExperiment, runOf } from '../../../test/experiment-fixtures';
import { withExactOnlyPlatform } from '../../../test/rollout-fixtures';
import { startRun } from './run-start';

let t: TestDb;
beforeAll(async () => (t = await openTestDb()));
afterAll(() => t.close());

const caught = async (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as AppError);

/** A refused start leaves nothing behind: no run, no audit, no live event, no job. */
async function nothingWritten(experimentId: string) {
  expect(await t.db.experimentRun.count({ where: { experimentId } })).toBe(0);
}

describe('starting a chaos run', () => {
  it('is refused while halt-all is engaged, naming who, when and why; allowed again once released', async () => {
    const f = await chaosFleet(t.db);
    const e = await makeExperiment(t.db, f);
    const halt = await t.db.halt.create({ data: { engagedByName: 'dana', reason: 'payments incident' } });
    try {
      const err = await caught(startRun(t.db, f.approver, { experimentId: e.id, guardOverrideReason: 'x', freezeOverrideReason: 'y' }));
      expect(err?.code).toBe('CONFLICT');
      expect(err?.message).toMatch(new RegExp(`^Starting a run of experiment "${e.name}" refused: halt-all engaged by dana at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC: “payments incident”\\. An approver releases the halt\\.$`));
      await nothingWritten(e.id);
    } finally {
      await t.db.halt.update({ where: { id: halt.id }, data: { releasedAt: new Date(), releasedByName: 'erin', releaseReason: 'resolved' } });
    }
    expect((await startRun(t.db, f.operator, { experimentId: e.id })).number).toBe(1);
  });

  it('a halt engaged after the start stops the run before it injects', async () => {
    const f = await chaosFleet(t.db);
    const e = await makeExperiment(t.db, f);
    const { id } = await startRun(t.db, f.operator, { experimentId: e.id });
    const halt = await t.db.halt.create({ data: { engagedByName: 'dana', reason: 'drill' } });
    try {
      expect((await controller(t.db, id, new Date())).state).toBe('aborted');
      const run = await runOf(t.db, id);
      expect(run).toMatchObject({ abortReason: 'halted' });
      expect(run.injections).toHaveLength(0);
      expect(run.stateDetail).toMatch(/^Not injected: halt-all engaged by dana at .+ UTC: “drill”$/);
    } finally {
      await t.db.halt.update({ where: { id: halt.id }, data: { releasedAt: new Date(), releasedByName: 'erin', releaseReason: 'drill over' } });
    }
  });

  it('a topology guard in a target zone refuses an operator; only an approver may override, with a reason that still applies when injecting', async () => {
    const f = await chaosFleet(t.db);
    // Every edge instance is a candidate for "one": a data instance at L2 in each zone holds both zones.
    const e = await makeExperiment(t.db, f);
    const dataA = `${f.data.name}-c-${f.n}-a-v1-1`;
    const dataB = `${f.data.name}-c-${f.n}-b-v1-1`;
    await latestTick(t.db, [{ instance: dataA, level: 2 }, { instance: dataB, breaker: 'open' }]);
    const err = await caught(startRun(t.db, f.operator, { experimentId: e.id }));
    expect(err?.code).toBe('CONFLICT');
    expect(err?.message).toMatch(new RegExp(`^Experiment "${e.name}" cannot start: A topology guard holds: z-${f.n}-(a: ${dataA} at L2|b: ${dataB} breaker open)`));
    expect(err?.message).toContain('An approver may start it anyway with a reason.');
    const forbidden = await caught(startRun(t.db, f.operator, { experimentId: e.id, guardOverrideReason: 'game day' }));
    expect(forbidden?.code).toBe('FORBIDDEN');
    await nothingWritten(e.id);

    const { id } = await startRun(t.db, f.approver, { experimentId: e.id, guardOverrideReason: 'game day, on call agreed' });
    const run = await runOf(t.db, id);
    expect(run).toMatchObject({ guardOverrideByName: f.approver.name, guardOverrideReason: 'game day, on call agreed', guardOverrideById: f.approver.id });
    expect(await t.db.experimentRunEvent.count({ where: { runId: id, kind: 'override' } })).toBe(1);
    // The guard still holds at the controller's look; the recorded override lets it inject.
    expect((await controller(t.db, id, new Date())).state).toBe('injecting');
    // Cleared for the next tests: a healthy latest tick.
    await latestTick(t.db, []);
  });

  it('a guard that appears after an operator started it stops the run before injecting (no override recorded)', async () => {
    const f = await chaosFleet(t.db);
    const e = await makeExperiment(t.db, f, { selection: { mode: 'all' }, blastRadius: { maxServicePct: 100, maxZonePct: null, maxClusterPct: null } });
    await t.db.systemSetting.upsert({ where: { key: 'chaos.limits' }, create: { key: 'chaos.limits', value: { maxBlastRadiusPct: 100 } }, update: { value: { maxBlastRadiusPct: 100 } } });
    try {
      const { id } = await startRun(t.db, f.operator, { experimentId: e.id });
      await latestTick(t.db, [{ instance: `${f.edge.name}-c-${f.n}-a-v1-2`, fill: 0.9 }]);
      expect((await controller(t.db, id, new Date())).state).toBe('aborted');
      const run = await runOf(t.db, id);
      expect(run.abortReason).toBe('guard');
      expect(run.stateDetail).toContain(`access buffer 90 % (guard: ≥ 85 %)`);
    } finally {
      await t.db.systemSetting.delete({ where: { key: 'chaos.limits' } });
      await latestTick(t.db, []);
    }
  });

  it('the blast radius refuses in words: the experiment cap, and the admin global maximum above it', async () => {
    const f = await chaosFleet(t.db);
    const all = await makeExperiment(t.db, f, { selection: { mode: 'all' } });
    const err = await caught(startRun(t.db, f.operator, { experimentId: all.id }));
    expect(err?.code).toBe('PRECONDITION_FAILED');
    // The service over its own cap, and each zone (one cluster each) over the admin's default 50 %.
    expect(err?.message).toBe(
      `Experiment "${all.name}" cannot start: service ${f.edge.name}: 4 of 4 instances (100 %) — over the blast-radius cap of 50 % (this experiment's cap) by 2 instances; select at most 2, or narrow the targets. ` +
        `zone ${f.zones.a}: 2 of 2 instances (100 %) — over the blast-radius cap of 50 % (the admin's maximum) by 1 instance; select at most 1, or narrow the targets. ` +
        `zone ${f.zones.b}: 2 of 2 instances (100 %) — over the blast-radius cap of 50 % (the admin's maximum) by 1 instance; select at most 1, or narrow the targets. ` +
        `cluster c-${f.n}-a: 2 of 2 instances (100 %) — over the blast-radius cap of 50 % (the admin's maximum) by 1 instance; select at most 1, or narrow the targets. ` +
        `cluster c-${f.n}-b: 2 of 2 instances (100 %) — over the blast-radius cap of 50 % (the admin's maximum) by 1 instance; select at most 1, or narrow the targets.`,
    );
    await nothingWritten(all.id);

    const two = await makeExperiment(t.db, f, { selection: { mode: 'count', count: 2 }, blastRadius: { maxServicePct: 80, maxZonePct: null, maxClusterPct: null } });
    await t.db.systemSetting.create({ data: { key: 'chaos.limits', value: { maxBlastRadiusPct: 25 } } });
    try {
      const global = await caught(startRun(t.db, f.approver, { experimentId: two.id }));
      expect(global?.message).toContain(`${f.edge.name}: 2 of 4 instances (50 %) — over the blast-radius cap of 25 %`);
      expect(global?.message).toMatch(/admin/);
    } finally {
      await t.db.systemSetting.delete({ where: { key: 'chaos.limits' } });
    }
    // Two of four is within 50 % of the service, and drawn one per zone, within 50 % of each zone too.
    expect((await startRun(t.db, f.operator, { experimentId: two.id })).targets).toBe(2);
    const frozen = await t.db.experimentRunTarget.findMany({ where: { run: { experimentId: two.id } }, select: { zone: true } });
    expect(frozen.map((r) => r.zone).sort()).toEqual([f.zones.a, f.zones.b]);
  });

  it("the admin's global maximum bounds a zone and a cluster, not only the service, in words; raising it lets the run start", async () => {
    const f = await chaosFleet(t.db);
    // Both edge instances of zone a: 2 of 4 (50 %) is within the experiment's service cap.
    const e = await makeExperiment(t.db, f, { targets: { regions: [], zones: [f.zones.a], clusters: [], services: [f.edge.name], versions: [], labels: {} }, selection: { mode: 'all' }, blastRadius: { maxServicePct: 50, maxZonePct: 80, maxClusterPct: null } });
    const err = await caught(startRun(t.db, f.operator, { experimentId: e.id }));
    expect(err?.code).toBe('PRECONDITION_FAILED');
    expect(err?.message).toBe(
      `Experiment "${e.name}" cannot start: zone ${f.zones.a}: 2 of 2 instances (100 %) — over the blast-radius cap of 50 % (the admin's maximum) by 1 instance; select at most 1, or narrow the targets. ` +
        `cluster c-${f.n}-a: 2 of 2 instances (100 %) — over the blast-radius cap of 50 % (the admin's maximum) by 1 instance; select at most 1, or narrow the targets.`,
    );
    await nothingWritten(e.id);
    await t.db.systemSetting.create({ data: { key: 'chaos.limits', value: { maxBlastRadiusPct: 100 } } });
    try {
      // Now the experiment's own 80 % zone cap is the lower one, and it names itself.
      const own = await caught(startRun(t.db, f.operator, { experimentId: e.id }));
      expect(own?.message).toBe(`Experiment "${e.name}" cannot start: zone ${f.zones.a}: 2 of 2 instances (100 %) — over the blast-radius cap of 80 % (this experiment's zone cap) by 1 instance; select at most 1, narrow the targets, or raise the zone cap to 100 %.`);
      const whole = await makeExperiment(t.db, f, { targets: { regions: [], zones: [f.zones.a], clusters: [], services: [f.edge.name], versions: [], labels: {} }, selection: { mode: 'all' }, blastRadius: { maxServicePct: 50, maxZonePct: null, maxClusterPct: null } });
      expect((await startRun(t.db, f.operator, { experimentId: whole.id })).targets).toBe(2);
    } finally {
      await t.db.systemSetting.delete({ where: { key: 'chaos.limits' } });
    }
  });

  it('an active freeze window refuses unless an approver overrides it with a reason', async () => {
    const f = await chaosFleet(t.db);
    const e = await makeExperiment(t.db, f);
    const now = Date.now();
    const w = await t.db.freezeWindow.create({ data: { name: 'Black Friday', reason: 'peak traffic', kind: 'one_off', startsAt: new Date(now - 60_000), endsAt: new Date(now + 3_600_000), createdByName: 'erin' } });
    try {
      const err = await caught(startRun(t.db, f.operator, { experimentId: e.id }));
      expect(err?.code).toBe('CONFLICT');
      expect(err?.message).toMatch(/cannot start: inside the freeze window “Black Friday” \(peak traffic\) until \d{4}-\d\d-\d\d \d\d:\d\d UTC\. An approver may start it anyway with a reason\.$/);
      expect((await caught(startRun(t.db, f.operator, { experimentId: e.id, freezeOverrideReason: 'please' })))?.code).toBe('FORBIDDEN');
      const { id } = await startRun(t.db, f.approver, { experimentId: e.id, freezeOverrideReason: 'agreed with the payments team' });
      expect(await runOf(t.db, id)).toMatchObject({ freezeOverrideByName: f.approver.name, freezeOverrideReason: 'agreed with the payments team' });
      expect((await controller(t.db, id, new Date())).state).toBe('injecting');
    } finally {
      await t.db.freezeWindow.update({ where: { id: w.id }, data: { deletedAt: new Date() } });
    }
  });

  it('a fault the active platform cannot inject is refused in words', async () => {
    const f = await chaosFleet(t.db);
    const e = await makeExperiment(t.db, f, { fault: { kind: 'cpu-stress', pct: 80 } });
    const err = await withExactOnlyPlatform(t.db, f.edge.name, () => caught(startRun(t.db, f.operator, { experimentId: e.id })));
    expect(err?.code).toBe('PRECONDITION_FAILED');
    expect(err?.message).toMatch(/cannot start: The HAProxy adapter cannot inject cpu-stress \(it sees traffic, not hosts\); choose one it supports: http-error, delay, loss, drain, kill\.$/);
    await nothingWritten(e.id);
  });

  it('numbers runs per experiment and refuses an archived experiment', async () => {
    const f = await chaosFleet(t.db);
    const e = await makeExperiment(t.db, f);
    expect((await startRun(t.db, f.operator, { experimentId: e.id })).number).toBe(1);
    expect((await startRun(t.db, f.operator, { experimentId: e.id })).number).toBe(2);
    await t.db.experiment.update({ where: { id: e.id }, data: { archivedAt: new Date() } });
    expect((await caught(startRun(t.db, f.operator, { experimentId: e.id })))?.message).toBe(`Experiment "${e.name}" is archived; archived experiments cannot be run.`);
  });
});

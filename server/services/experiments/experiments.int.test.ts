import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { createCaller } from '../../api/root';
import { AppError } from '../../errors';
import { contextFor, openTestDb, type TestDb } from '../../../test/context';
import { actorOf, chaosFleet, draftFor, experimentOf, runIn } from '../../../test/safety-fixtures';
import { archiveExperiment, createExperiment, updateExperiment } from './experiment-commands';
import { listExperiments } from './experiment-reads';
import { previewExperiment } from './experiment-preview';
import { chaosLimits, setChaosLimits } from '../safety/limits';

let t: TestDb;
let f: Awaited<ReturnType<typeof chaosFleet>>;
beforeAll(async () => {
  t = await openTestDb();
  f = await chaosFleet(t.db);
});
afterAll(() => t.close());

const caught = async (p: Promise<unknown>) => p.then(() => { throw new Error('expected a refusal'); }, (e: unknown) => e as AppError);

describe('experiments CRUD', () => {
  it('creates, audits and announces an experiment; the list shows it with its last run', async () => {
    const e = await experimentOf(t.db, f, { name: `listed ${f.n}` });
    expect(await t.db.auditEvent.count({ where: { action: 'experiment.create', targetId: e.id } })).toBe(1);
    expect(await t.db.liveEvent.count({ where: { topic: 'experiment.changed', payload: { path: ['experimentId'], equals: e.id } } })).toBe(1);
    await runIn(t.db, e.id, 'running', f);
    const { experiments } = await listExperiments(t.db, { text: `LISTED ${f.n}` });
    expect(experiments.map((x) => x.name)).toEqual([`listed ${f.n}`]);
    expect(experiments[0]!.lastRun).toMatchObject({ number: 1, state: 'running' });
    expect((await listExperiments(t.db, { text: `listed ${f.n}`, template: 'kill-one' })).experiments).toHaveLength(0);
  });

  it('refuses a taken name as a field error in words', async () => {
    const e = await experimentOf(t.db, f);
    const err = await caught(createExperiment(t.db, actorOf(f.operator), { draft: draftFor(f.service.name, { name: e.name }) }));
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('CONFLICT');
    expect(err.fieldErrors?.name?.[0]).toContain(`"${e.name}" already exists`);
  });

  it('updates with compare-and-set; a stale edit is refused naming the current version and its author', async () => {
    const e = await experimentOf(t.db, f);
    const first = await updateExperiment(t.db, actorOf(f.approver), { id: e.id, version: 1, draft: draftFor(f.service.name, { name: e.name, description: 'first edit' }) });
    expect(first.version).toBe(2);
    const err = await caught(updateExperiment(t.db, actorOf(f.operator), { id: e.id, version: 1, draft: draftFor(f.service.name, { name: e.name, description: 'stale edit' }) }));
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toContain('it is now version 2; your edit was based on version 1');
    expect(err.message).toContain(f.approver.name);
    expect((await t.db.experiment.findUniqueOrThrow({ where: { id: e.id } })).description).toBe('first edit');
  });

  it('archives (disabling its schedules), refuses edits while archived, and refuses archiving with an active run', async () => {
    const e = await experimentOf(t.db, f);
    await t.db.experimentSchedule.create({ data: { experimentId: e.id, cron: '*/5 * * * *', nextRunAt: new Date(), createdByName: 'x' } });
    const archived = await archiveExperiment(t.db, actorOf(f.operator), { id: e.id, version: e.version });
    expect(archived.archivedAt).not.toBeNull();
    expect(await t.db.experimentSchedule.findFirstOrThrow({ where: { experimentId: e.id } })).toMatchObject({ enabled: false, nextRunAt: null });
    const err = await caught(updateExperiment(t.db, actorOf(f.operator), { id: e.id, version: archived.version, draft: draftFor(f.service.name, { name: e.name }) }));
    expect(err.message).toContain('is archived');
    const busy = await experimentOf(t.db, f);
    await runIn(t.db, busy.id, 'injecting', f);
    const refused = await caught(archiveExperiment(t.db, actorOf(f.operator), { id: busy.id, version: busy.version }));
    expect(refused.message).toContain('Run #1');
  });
});

describe('preview and the global limits', () => {
  it('lists the targets and refuses more than the global maximum even when the experiment allows it', async () => {
    const draft = draftFor(f.service.name, { spec: { ...draftFor(f.service.name).spec, selection: { mode: 'count', count: 3 }, blastRadius: { maxServicePct: 100, maxZonePct: null, maxClusterPct: null } } });
    // Never saved: the default (50 %) applies already.
    expect(await chaosLimits(t.db)).toMatchObject({ maxBlastRadiusPct: 50, version: 0 });
    expect((await previewExperiment(t.db, { spec: draft.spec })).canRun).toBe(false);
    await setChaosLimits(t.db, actorOf(f.admin), { version: 0, limits: { maxBlastRadiusPct: 100 } });
    const ok = await previewExperiment(t.db, { spec: draft.spec });
    expect(ok.selected).toHaveLength(3);
    expect(ok.refusals).toEqual([]);
    expect(ok.caps).toEqual({ service: { pct: 100, by: 'experiment' }, zone: { pct: 100, by: 'admin' }, cluster: { pct: 100, by: 'admin' } });
    await setChaosLimits(t.db, actorOf(f.admin), { version: 1, limits: { maxBlastRadiusPct: 50 } });
    const capped = await previewExperiment(t.db, { spec: draft.spec });
    expect(capped.canRun).toBe(false);
    expect(capped.refusals.join(' ')).toContain('3 of 4 instances (75 %)');
    expect(capped.refusals.join(' ')).toContain("cap of 50 % (the admin's maximum)");
    // The preview shows the cap that applies in each scope: the admin's 50 % bounds the zones too,
    // and 3 of the 4 instances cannot be spread over two zones of two without taking one whole.
    expect(capped.caps.zone).toEqual({ pct: 50, by: 'admin' });
    expect(capped.perZone.map((z) => [z.selected, z.total, z.capPct, z.allowed]).sort()).toEqual([
      [1, 2, 50, 1],
      [2, 2, 50, 1],
    ]);
    expect(capped.refusals.some((r) => /^zone z-.+: 2 of 2 instances \(100 %\) — over the blast-radius cap of 50 % \(the admin's maximum\)/.test(r))).toBe(true);
  });

  it('sets the global limits with compare-and-set; a stale save names the current version; admins only', async () => {
    const now = await chaosLimits(t.db);
    await setChaosLimits(t.db, actorOf(f.admin), { version: now.version, limits: { maxBlastRadiusPct: 40 } });
    const err = await caught(setChaosLimits(t.db, actorOf(f.admin), { version: now.version, limits: { maxBlastRadiusPct: 30 } }));
    expect(err.message).toContain(`it is now version ${now.version + 1}`);
    expect((await chaosLimits(t.db)).maxBlastRadiusPct).toBe(40);
    expect(await t.db.auditEvent.count({ where: { action: 'safety.limits.set' } })).toBeGreaterThanOrEqual(2);
    const approver = createCaller(contextFor(t.db, f.approver));
    const refused = await approver.safety.limits.set({ version: now.version + 1, limits: { maxBlastRadiusPct: 10 } }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TRPCError);
    expect((refused as TRPCError).code).toBe('FORBIDDEN');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { callerAs, openTestDb, type TestDb } from '../../../test/context';
import { actorOf, chaosFleet, experimentOf, runIn } from '../../../test/safety-fixtures';
import { dailyCronHalfADayAway } from '../../../test/clock';
import { createSchedule, updateSchedule } from './schedules';
import { sweepSchedules } from './schedule-sweep';
import { SWEEP_NOW_JOB_KEY } from './schedule-evaluate';

let t: TestDb;
let f: Awaited<ReturnType<typeof chaosFleet>>;
beforeAll(async () => {
  t = await openTestDb();
  f = await chaosFleet(t.db);
});
afterAll(() => t.close());

// No worker runs against this database: a queued job stays queued, so it can be counted.
const sweepJobs = () => t.db.$queryRaw<Array<{ key: string | null; run_at: Date }>>`SELECT key, run_at FROM graphile_worker.jobs WHERE task_identifier = 'experiment_schedules_sweep'`;
const clearSweepJobs = () => t.db.$executeRaw`DELETE FROM graphile_worker._private_jobs j USING graphile_worker._private_tasks k WHERE k.id = j.task_id AND k.identifier = 'experiment_schedules_sweep'`;
const audits = () => t.db.auditEvent.findMany({ where: { action: 'experiment.schedule.evaluate' }, orderBy: { at: 'asc' } });

describe('evaluate schedules now', () => {
  it('an operator queues exactly one sweep however often it is asked, each request audited', async () => {
    await clearSweepJobs();
    const before = (await audits()).length;
    const { caller, user } = await callerAs(t.db, 'operator');
    const first = await caller.experiments.schedules.evaluateNow({});
    expect(first).toMatchObject({ alreadyQueued: false, schedule: null });
    const second = await caller.experiments.schedules.evaluateNow({});
    expect(second.alreadyQueued).toBe(true);
    const jobs = await sweepJobs();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.key).toBe(SWEEP_NOW_JOB_KEY);
    expect(jobs[0]!.run_at.getTime()).toBeLessThanOrEqual(Date.now());
    const rows = (await audits()).slice(before);
    expect(rows.map((r) => [r.actorName, r.targetName, (r.after as { alreadyQueued: boolean }).alreadyQueued])).toEqual([
      [user!.name, 'all schedules', false],
      [user!.name, 'all schedules', true],
    ]);
  });

  it('a viewer is refused, and nothing is queued or audited', async () => {
    await clearSweepJobs();
    const before = (await audits()).length;
    const { caller } = await callerAs(t.db, 'viewer');
    const err = await caller.experiments.schedules.evaluateNow({}).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCError);
    expect((err as TRPCError).code).toBe('FORBIDDEN');
    expect(await sweepJobs()).toHaveLength(0);
    expect(await audits()).toHaveLength(before);
  });

  it('with a schedule: its next occurrence is brought forward, the sweep fires it under its policy, and the occurrence after it still comes', async () => {
    await clearSweepJobs();
    const e = await experimentOf(t.db, f);
    const active = await runIn(t.db, e.id, 'running', f);
    // Its time 12 hours from now: with a fixed '0 3 * * *' created just before 03:00 UTC and swept
    // just after, the sweep moved nextRunAt on to the next day and the last check failed.
    const cron = dailyCronHalfADayAway();
    const s = await createSchedule(t.db, actorOf(f.operator), { experimentId: e.id, cron, concurrency: 'forbid' });
    const { caller } = await callerAs(t.db, 'operator');
    const res = await caller.experiments.schedules.evaluateNow({ scheduleId: s.id });
    expect(res.schedule).toEqual({ id: s.id, experimentName: e.name });
    expect(await sweepJobs()).toHaveLength(1);
    const [audit] = (await audits()).filter((a) => a.targetId === s.id);
    expect(audit).toMatchObject({ targetType: 'experiment-schedule', targetName: e.name });
    // What the queued job does when the worker takes it:
    expect(await sweepSchedules(t.db)).toMatchObject({ started: 0, skipped: 1 });
    const runs = await t.db.experimentRun.findMany({ where: { experimentId: e.id }, orderBy: { number: 'asc' } });
    expect(runs.map((r) => r.state)).toEqual(['running', 'skipped']);
    expect(runs[1]!.skipReason).toContain(`run #${active.number} (running) of this experiment is still active`);
    const after = await t.db.experimentSchedule.findUniqueOrThrow({ where: { id: s.id } });
    expect(after.nextRunAt!.getTime()).toBe(s.nextRunAt!.getTime());
  });

  it('a disabled schedule or an unknown one is refused in words, queuing nothing', async () => {
    await clearSweepJobs();
    const e = await experimentOf(t.db, f);
    const s = await createSchedule(t.db, actorOf(f.operator), { experimentId: e.id, cron: '0 3 * * *' });
    await updateSchedule(t.db, actorOf(f.operator), { id: s.id, version: s.version, cron: '0 3 * * *', concurrency: 'forbid', historyLimit: 10, enabled: false });
    const { caller } = await callerAs(t.db, 'operator');
    await expect(caller.experiments.schedules.evaluateNow({ scheduleId: s.id })).rejects.toThrow(`The schedule of experiment "${e.name}" is disabled; enable it first to run it now.`);
    await expect(caller.experiments.schedules.evaluateNow({ scheduleId: '00000000-0000-4000-8000-000000000000' })).rejects.toThrow(/That schedule/);
    await expect(caller.experiments.schedules.evaluateNow({ scheduleId: 'not-a-uuid' })).rejects.toThrow();
    expect(await sweepJobs()).toHaveLength(0);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppError } from '../../errors';
import { openTestDb, type TestDb } from '../../../test/context';
import { actorOf, chaosFleet, experimentOf, runIn } from '../../../test/safety-fixtures';
import { engageHalt, releaseHalt } from '../safety/halt';
import { createSchedule, listSchedules, nextRuns, updateSchedule } from './schedules';
import { sweepSchedules } from './schedule-sweep';

let t: TestDb;
let f: Awaited<ReturnType<typeof chaosFleet>>;
beforeAll(async () => {
  t = await openTestDb();
  f = await chaosFleet(t.db);
});
afterAll(() => t.close());

const caught = async (p: Promise<unknown>) => p.then(() => { throw new Error('expected a refusal'); }, (e: unknown) => e as AppError);
/** Makes the schedule due now (as if its time had come). */
const due = (id: string) => t.db.experimentSchedule.update({ where: { id }, data: { nextRunAt: new Date(Date.now() - 1000) } });
const runsOf = (experimentId: string) => t.db.experimentRun.findMany({ where: { experimentId }, orderBy: { number: 'asc' } });

describe('experiment schedules', () => {
  it('nextRuns lists the next times of a cron expression (UTC); a bad one is refused in words', () => {
    const from = new Date(Date.UTC(2026, 11, 2, 1, 7, 30));
    expect(nextRuns({ cron: '*/15 * * * *', n: 3 }, from).times.map((d) => d.toISOString())).toEqual(['2026-12-02T01:15:00.000Z', '2026-12-02T01:30:00.000Z', '2026-12-02T01:45:00.000Z']);
    expect(nextRuns({ cron: '0 9 * * 1', n: 1 }, from).times.map((d) => d.toISOString())).toEqual(['2026-12-07T09:00:00.000Z']);
    expect(() => nextRuns({ cron: '0 25 * * *', n: 1 })).toThrow(/hour: 25 is out of range 0–23/);
  });

  it('creates a schedule with its nextRunAt; an edit is compare-and-set naming the version', async () => {
    const e = await experimentOf(t.db, f);
    const s = await createSchedule(t.db, actorOf(f.operator), { experimentId: e.id, cron: '0 3 * * *' });
    expect(s.nextRunAt?.getUTCHours()).toBe(3);
    await updateSchedule(t.db, actorOf(f.operator), { id: s.id, version: s.version, cron: '0 4 * * *', concurrency: 'allow', historyLimit: 5, enabled: true });
    const err = await caught(updateSchedule(t.db, actorOf(f.operator), { id: s.id, version: s.version, cron: '0 5 * * *', concurrency: 'allow', historyLimit: 5, enabled: false }));
    expect(err.message).toContain('it is now version 2; your edit was based on version 1');
  });

  it('the list shows the next five times by the cron (the first is nextRunAt) and none while disabled', async () => {
    const e = await experimentOf(t.db, f);
    const next = (at: Date) => nextRuns({ cron: '*/10 * * * *', n: 1 }, at).times[0]!.getTime();
    const before = new Date();
    const s = await createSchedule(t.db, actorOf(f.operator), { experimentId: e.id, cron: '*/10 * * * *' });
    const made = new Date();
    // nextRunAt is the cron's next time after the moment of the create, which lies between these two.
    expect(s.nextRunAt!.getTime()).toBeGreaterThanOrEqual(next(before));
    expect(s.nextRunAt!.getTime()).toBeLessThanOrEqual(next(made));
    // Listed before that time comes. (Listed at the wall clock, the list began ten minutes later
    // whenever a */10 boundary fell between the create and the list.)
    const [listed] = await listSchedules(t.db, { experimentId: e.id }, new Date(s.nextRunAt!.getTime() - 1));
    expect(listed!.upcoming).toHaveLength(5);
    expect(listed!.upcoming[0]!.getTime()).toBe(s.nextRunAt!.getTime());
    expect(listed!.upcoming.map((d) => d.getTime() - listed!.upcoming[0]!.getTime())).toEqual([0, 1, 2, 3, 4].map((i) => i * 600_000));
    await updateSchedule(t.db, actorOf(f.operator), { id: s.id, version: s.version, cron: '*/10 * * * *', concurrency: 'forbid', historyLimit: 10, enabled: false });
    expect((await listSchedules(t.db, { experimentId: e.id }))[0]!.upcoming).toEqual([]);
  });

  it('forbid: a run still active → a skipped run with the reason in words; nextRunAt moves on', async () => {
    const e = await experimentOf(t.db, f);
    const active = await runIn(t.db, e.id, 'running', f);
    const s = await createSchedule(t.db, actorOf(f.operator), { experimentId: e.id, cron: '*/5 * * * *', concurrency: 'forbid' });
    await due(s.id);
    // Both sweeps at one instant: at the wall clock, a first sweep just before a */5 boundary and a
    // second just after it found the next occurrence due already.
    const now = new Date();
    const res = await sweepSchedules(t.db, now);
    expect(res).toMatchObject({ started: 0, skipped: 1 });
    const runs = await runsOf(e.id);
    expect(runs.map((r) => r.state)).toEqual(['running', 'skipped']);
    expect(runs[1]).toMatchObject({ trigger: 'schedule', scheduleId: s.id });
    expect(runs[1]!.skipReason).toContain(`run #${active.number} (running) of this experiment is still active`);
    expect(runs[1]!.skipReason).toContain('forbid');
    const after = await t.db.experimentSchedule.findUniqueOrThrow({ where: { id: s.id } });
    expect(after.nextRunAt!.getTime()).toBeGreaterThan(now.getTime());
    expect(after.nextRunAt).toEqual(nextRuns({ cron: '*/5 * * * *', n: 1 }, now).times[0]);
    // A second sweep finds nothing due: one occurrence, one run.
    expect((await sweepSchedules(t.db, now)).due).toBe(0);
  });

  it('replace: the active run is aborted (replaced) and a new one starts', async () => {
    const e = await experimentOf(t.db, f);
    const old = await runIn(t.db, e.id, 'running', f);
    const s = await createSchedule(t.db, actorOf(f.operator), { experimentId: e.id, cron: '* * * * *', concurrency: 'replace' });
    await due(s.id);
    expect(await sweepSchedules(t.db)).toMatchObject({ started: 1, skipped: 0 });
    const runs = await runsOf(e.id);
    expect(runs[0]).toMatchObject({ id: old.id, state: 'recovering', abortReason: 'replaced' });
    expect((await t.db.injection.findMany({ where: { runId: old.id } })).every((i) => !i.desired && i.removeReason === 'aborted')).toBe(true);
    expect(runs[1]).toMatchObject({ state: 'pending', trigger: 'schedule', scheduleId: s.id });
  });

  it('allow: starts alongside an active run', async () => {
    const e = await experimentOf(t.db, f);
    await runIn(t.db, e.id, 'running', f);
    const s = await createSchedule(t.db, actorOf(f.operator), { experimentId: e.id, cron: '* * * * *', concurrency: 'allow' });
    await due(s.id);
    await sweepSchedules(t.db);
    expect((await runsOf(e.id)).map((r) => r.state)).toEqual(['running', 'pending']);
  });

  it('a halt records a skipped run naming the halt; the list shows the last historyLimit finished runs', async () => {
    const e = await experimentOf(t.db, f);
    const s = await createSchedule(t.db, actorOf(f.operator), { experimentId: e.id, cron: '* * * * *', historyLimit: 2 });
    await engageHalt(t.db, actorOf(f.operator), { reason: 'game day paused' });
    try {
      for (let i = 0; i < 3; i++) {
        await due(s.id);
        await sweepSchedules(t.db);
      }
    } finally {
      await releaseHalt(t.db, actorOf(f.approver), { reason: 'done' });
    }
    const runs = await runsOf(e.id);
    expect(runs.map((r) => r.state)).toEqual(['skipped', 'skipped', 'skipped']);
    expect(runs[0]!.skipReason).toContain('halt-all engaged');
    expect(runs[0]!.skipReason).toContain('game day paused');
    const [listed] = (await listSchedules(t.db, { experimentId: e.id }));
    expect(listed!.recentRuns.map((r) => r.number)).toEqual([3, 2]);
    expect(listed!.olderRuns).toBe(1);
  });

  // Last, so its sweep (which sweeps the schedules of the cases above too) cannot disturb them.
  it('an occurrence due but not yet swept (the worker down for half an hour) heads the list, and the next sweep fires it', async () => {
    const e = await experimentOf(t.db, f);
    const cron = '*/10 * * * *';
    const s = await createSchedule(t.db, actorOf(f.operator), { experimentId: e.id, cron, concurrency: 'allow' });
    const now = new Date();
    // The occurrence a sweep should have fired 20–30 minutes ago is still the stored nextRunAt.
    const missed = nextRuns({ cron, n: 1 }, new Date(now.getTime() - 30 * 60_000)).times[0]!;
    await t.db.experimentSchedule.update({ where: { id: s.id }, data: { nextRunAt: missed } });
    const [listed] = await listSchedules(t.db, { experimentId: e.id }, now);
    // The missed occurrence, then the cron's times after now: the sweep does not replay the others.
    expect(listed!.upcoming).toEqual([missed, ...nextRuns({ cron, n: 4 }, now).times]);
    // The list says what the sweep does: it fires that occurrence (one run) and moves on to the second time.
    await sweepSchedules(t.db, now);
    expect((await runsOf(e.id)).map((r) => [r.trigger, r.scheduleId])).toEqual([['schedule', s.id]]);
    expect((await t.db.experimentSchedule.findUniqueOrThrow({ where: { id: s.id } })).nextRunAt).toEqual(listed!.upcoming[1]);
    const [relisted] = await listSchedules(t.db, { experimentId: e.id }, now);
    expect(relisted!.upcoming.slice(0, 4)).toEqual(listed!.upcoming.slice(1));
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { listTimelineEvents } from './timeline';
import { engageHalt, releaseHalt } from '../safety/halt';

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
afterAll(() => t.close());

const actor = { id: null, name: 'sre-alice' };

describe('halts and freeze windows on the timeline', () => {
  it('shows halt engage / release and each freeze occurrence start and end; not on one instance’s timeline', async () => {
    const from = Date.now() - 3_600_000;
    await engageHalt(t.db, actor, { reason: 'db failover' });
    await releaseHalt(t.db, { id: null, name: 'boss-bob' }, { reason: 'failover done' });
    const start = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 20 * 60_000);
    await t.db.freezeWindow.create({ data: { name: 'peak', reason: 'peak traffic', kind: 'one_off', startsAt: start, endsAt: new Date(start.getTime() + 10 * 60_000), createdByName: 'x', appliesToExperiments: false } });
    // Every 15 minutes for 5: 3 or 4 occurrences start within the last hour.
    await t.db.freezeWindow.create({ data: { name: 'quarterly', reason: 'sync', kind: 'recurring', cron: '*/15 * * * *', durationMin: 5, createdByName: 'x' } });
    const to = Date.now() + 1000;
    const { events } = await listTimelineEvents(t.db, { from, to, kinds: ['safety'] });
    const titles = events.map((e) => e.title);
    expect(titles).toContain('Halt-all engaged');
    expect(titles).toContain('Halt-all released');
    expect(events.find((e) => e.title === 'Halt-all engaged')).toMatchObject({ kind: 'safety', actor: 'sre-alice', detail: 'by sre-alice: db failover' });
    expect(events.find((e) => e.title === 'Freeze window “peak” starts')?.detail).toBe('peak traffic — rollouts frozen');
    expect(titles).toContain('Freeze window “peak” ends');
    expect(titles.filter((x) => x === 'Freeze window “quarterly” starts').length).toBeGreaterThanOrEqual(3);
    expect(events.every((e) => e.at >= from && e.at <= to)).toBe(true);
    const instance = await listTimelineEvents(t.db, { from, to, kinds: ['safety'], instanceId: '00000000-0000-4000-8000-000000000000' });
    expect(instance.events).toEqual([]);
  });
});

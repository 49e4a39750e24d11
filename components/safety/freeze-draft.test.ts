import { describe, expect, it } from 'vitest';
import { UTC_ZONE } from '@/components/ui/format-time';
import { EMPTY_DRAFT, draftOf, fieldOfServerMessage, inputOf, nextStarts, whenWords, type FreezeWindowView } from './freeze-draft';

describe('freeze window draft', () => {
  it('turns a one-off draft typed in UTC into instants', () => {
    const r = inputOf({ ...EMPTY_DRAFT, name: ' Xmas ', reason: 'code freeze', startsAt: '2026-12-24T18:00', endsAt: '2026-12-27T08:00' }, UTC_ZONE);
    expect('input' in r ? r.input : r).toMatchObject({ name: 'Xmas', kind: 'one_off', startsAt: new Date('2026-12-24T18:00:00Z'), endsAt: new Date('2026-12-27T08:00:00Z'), cron: null, durationMin: null });
  });

  it('names each field the form can see is wrong', () => {
    expect(inputOf({ ...EMPTY_DRAFT, startsAt: '2026-12-24T18:00', endsAt: '2026-12-24T17:00' }, UTC_ZONE)).toEqual({ problems: { endsAt: 'The window must end after it starts' } });
    expect(inputOf({ ...EMPTY_DRAFT }, UTC_ZONE)).toEqual({ problems: { startsAt: 'Enter a date and time', endsAt: 'Enter a date and time' } });
    const r = inputOf({ ...EMPTY_DRAFT, kind: 'recurring', cron: ' ', durationMin: '0', appliesToRollouts: false, appliesToExperiments: false }, UTC_ZONE);
    expect(Object.keys('problems' in r ? r.problems : {}).sort()).toEqual(['appliesTo', 'cron', 'durationMin']);
  });

  it('reads the cron with the server\'s parser: its words under the field, the next starts while typing', () => {
    const r = inputOf({ ...EMPTY_DRAFT, kind: 'recurring', cron: '0 25 * * *', durationMin: '60' }, UTC_ZONE);
    expect('problems' in r ? r.problems.cron : null).toMatch(/^Cron: .*hour/i);
    expect(nextStarts('0 22 * * 5', Date.UTC(2026, 11, 2), 2).map((t) => new Date(t).toISOString())).toEqual(['2026-12-04T22:00:00.000Z', '2026-12-11T22:00:00.000Z']);
    expect(nextStarts('nonsense', Date.now())).toEqual([]);
  });

  it('puts each of the server\'s words next to the field it names', () => {
    expect(fieldOfServerMessage('Cron: Expected 5 fields (minute hour …)')).toBe('cron');
    expect(fieldOfServerMessage('Duration: at least 1 minute')).toBe('durationMin');
    expect(fieldOfServerMessage('The end must be after the start')).toBe('endsAt');
    expect(fieldOfServerMessage('A one-off window needs a start')).toBe('startsAt');
    expect(fieldOfServerMessage('A freeze window applies to rollouts, experiments or both')).toBe('appliesTo');
    expect(fieldOfServerMessage('Expected a date before the year 2100')).toBeNull();
  });

  it('keeps a recurring window\'s cron and length, bounds optional', () => {
    const r = inputOf({ ...EMPTY_DRAFT, kind: 'recurring', cron: '0 22 * * 5', durationMin: '90' }, UTC_ZONE);
    expect('input' in r ? r.input : r).toMatchObject({ kind: 'recurring', cron: '0 22 * * 5', durationMin: 90, startsAt: null, endsAt: null });
  });

  it('edits a stored window as it was typed, and says it in words', () => {
    const w: FreezeWindowView = { id: 'x', name: 'n', reason: 'r', kind: 'recurring', startsAt: null, endsAt: '2027-01-01T00:00:00Z', cron: '0 22 * * 5', durationMin: 150, appliesToRollouts: true, appliesToExperiments: false, version: 2 };
    expect(draftOf(w, UTC_ZONE)).toEqual(expect.objectContaining({ endsAt: '2027-01-01T00:00', durationMin: '150', startsAt: '' }));
    expect(whenWords(w, UTC_ZONE)).toBe('Every "0 22 * * 5" (UTC) for 2 h 30 min, until 2027-01-01 00:00:00 UTC');
  });
});

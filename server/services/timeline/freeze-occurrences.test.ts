import { describe, expect, it } from 'vitest';
import { cronMatcher, freezeOccurrences, type FreezeRow } from './freeze-occurrences';

const base: FreezeRow = { id: 'w', name: 'n', reason: 'r', kind: 'recurring', startsAt: null, endsAt: null, cron: null, durationMin: null, appliesToRollouts: true, appliesToExperiments: true };
const at = (s: string) => Date.parse(`${s}Z`);

describe('freeze window occurrences on the timeline', () => {
  it('reads 5-field UTC cron expressions and refuses what it cannot read', () => {
    const fri22 = cronMatcher('0 22 * * 5')!;
    expect(fri22(new Date('2026-12-04T22:00:00Z'))).toBe(true); // a Friday
    expect(fri22(new Date('2026-12-05T22:00:00Z'))).toBe(false);
    expect(cronMatcher('*/15 9-17 * * 1-5')!(new Date('2026-12-02T09:45:00Z'))).toBe(true);
    expect(cronMatcher('0 0 1 * 7')!(new Date('2026-12-06T00:00:00Z'))).toBe(true); // Sunday as 7, OR-ed with day 1
    for (const bad of ['0 22 * *', '61 * * * *', 'a b c d e', '5-1 * * * *']) expect(cronMatcher(bad)).toBeNull();
  });

  it('lists the recurring occurrences overlapping the range, one that began before it included', () => {
    const w = { ...base, cron: '0 22 * * *', durationMin: 120 };
    const o = freezeOccurrences([w], at('2026-12-02T23:00:00'), at('2026-12-04T00:30:00'));
    expect(o.map((x) => [new Date(x.start).toISOString(), new Date(x.end).toISOString()])).toEqual([
      ['2026-12-02T22:00:00.000Z', '2026-12-03T00:00:00.000Z'],
      ['2026-12-03T22:00:00.000Z', '2026-12-04T00:00:00.000Z'],
    ]);
  });

  it('keeps recurring windows within their bounds, and one-off windows as they are', () => {
    const w = { ...base, cron: '0 * * * *', durationMin: 30, startsAt: new Date(at('2026-12-02T10:30:00')), endsAt: new Date(at('2026-12-02T12:15:00')) };
    expect(freezeOccurrences([w], at('2026-12-02T00:00:00'), at('2026-12-03T00:00:00')).map((x) => new Date(x.end).toISOString())).toEqual(['2026-12-02T11:30:00.000Z', '2026-12-02T12:15:00.000Z']);
    const one: FreezeRow = { ...base, kind: 'one_off', startsAt: new Date(at('2026-12-24T18:00:00')), endsAt: new Date(at('2026-12-27T08:00:00')) };
    expect(freezeOccurrences([one], at('2026-12-25T00:00:00'), at('2026-12-25T01:00:00'))).toHaveLength(1);
    expect(freezeOccurrences([one], at('2026-12-28T00:00:00'), at('2026-12-29T00:00:00'))).toHaveLength(0);
  });
});

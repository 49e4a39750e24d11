import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cronMatches, parseCron, type Cron } from './cron';
import { activeFreezes, freezeOccurrences, freezeWindowSchema, freezeWords, MAX_OCCURRENCES_PER_WINDOW, MERGE_HORIZON_MS, type FreezeWindowValue } from './freeze';

const at = (iso: string) => Date.parse(`${iso}Z`);
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16);

function win(over: Partial<FreezeWindowValue>): FreezeWindowValue {
  return { id: 'w', name: 'w', reason: 'because', kind: 'one_off', startsAt: null, endsAt: null, cron: null, durationMin: null, appliesToRollouts: true, appliesToExperiments: true, ...over };
}

const blackFriday = win({ id: 'bf', name: 'Black Friday', reason: 'peak sales', startsAt: at('2026-11-27T00:00'), endsAt: at('2026-11-30T06:00') });
// Every Friday 22:00 for 10 hours, experiments only.
const weekend = win({ id: 'we', name: 'Weekend', reason: 'on-call is thin', kind: 'recurring', cron: '0 22 * * fri', durationMin: 600, appliesToRollouts: false });

describe('activeFreezes', () => {
  it('a one-off window is in force from its start up to (not including) its end', () => {
    expect(activeFreezes([blackFriday], at('2026-11-26T23:59'), 'rollouts')).toEqual([]);
    expect(activeFreezes([blackFriday], at('2026-11-27T00:00'), 'rollouts')).toEqual([{ window: blackFriday, from: at('2026-11-27T00:00'), to: at('2026-11-30T06:00') }]);
    expect(activeFreezes([blackFriday], at('2026-11-30T06:00') - 1, 'experiments')).toHaveLength(1);
    expect(activeFreezes([blackFriday], at('2026-11-30T06:00'), 'experiments')).toEqual([]);
  });

  it('a recurring window is in force for its duration after each cron start, and only for what it applies to', () => {
    // Friday 4 December 2026, 22:00 → Saturday 08:00.
    const sat = at('2026-12-05T03:00');
    expect(activeFreezes([weekend], sat, 'experiments').map((f) => [iso(f.from), iso(f.to)])).toEqual([['2026-12-04T22:00', '2026-12-05T08:00']]);
    expect(activeFreezes([weekend], sat, 'rollouts')).toEqual([]);
    expect(activeFreezes([weekend], at('2026-12-05T08:00'), 'experiments')).toEqual([]);
    expect(activeFreezes([weekend], at('2026-12-04T21:59'), 'experiments')).toEqual([]);
  });

  it('merges overlapping occurrences: the freeze ends where the last one ends', () => {
    // Every hour for 90 minutes, from 09:00 to 12:00: frozen 09:00 → 13:30.
    const w = win({ kind: 'recurring', cron: '0 9-12 * * *', durationMin: 90 });
    const [f] = activeFreezes([w], at('2026-12-02T10:10'), 'rollouts');
    expect([iso(f!.from), iso(f!.to)]).toEqual(['2026-12-02T09:00', '2026-12-02T13:30']);
  });

  it('honours the bounds of a recurring window', () => {
    const bounded = { ...weekend, startsAt: at('2026-12-05T00:00'), endsAt: at('2026-12-12T04:00') };
    // Before startsAt nothing counts; the occurrence that straddles it counts from startsAt.
    expect(activeFreezes([bounded], at('2026-12-04T23:00'), 'experiments')).toEqual([]);
    expect(activeFreezes([bounded], at('2026-12-05T01:00'), 'experiments').map((f) => [iso(f.from), iso(f.to)])).toEqual([['2026-12-05T00:00', '2026-12-05T08:00']]);
    // The last occurrence is cut at endsAt; after that, nothing.
    expect(activeFreezes([bounded], at('2026-12-12T03:00'), 'experiments').map((f) => iso(f.to))).toEqual(['2026-12-12T04:00']);
    expect(activeFreezes([bounded], at('2026-12-12T05:00'), 'experiments')).toEqual([]);
    expect(activeFreezes([bounded], at('2026-12-19T01:00'), 'experiments')).toEqual([]);
  });

  it('lists every window in force, soonest end first, and says it in words', () => {
    const long = win({ id: 'l', name: 'Migration', reason: 'db move', startsAt: at('2026-12-01T00:00'), endsAt: at('2026-12-31T00:00') });
    const fs = activeFreezes([long, weekend], at('2026-12-05T03:00'), 'experiments');
    expect(fs.map((f) => f.window.name)).toEqual(['Weekend', 'Migration']);
    expect(freezeWords(fs[0]!)).toBe('freeze window “Weekend” (on-call is thin) until 2026-12-05 08:00 UTC');
  });

  it('property: in force at t exactly when some occurrence start s has s ≤ t < s + duration', { timeout: 60_000 }, () => {
    const cronArb = fc.constantFrom('0 22 * * fri', '*/20 * * * *', '30 9 * * mon-fri', '0 0 1 * *', '15 */6 * * *');
    fc.assert(
      fc.property(cronArb, fc.integer({ min: 1, max: 600 }), fc.integer({ min: 0, max: 60 * 24 * 14 }), (cron, durationMin, offsetMin) => {
        const w = win({ kind: 'recurring', cron, durationMin });
        const t = at('2026-12-01T00:00') + offsetMin * 60_000 + 17_000;
        // Brute force: walk every minute in (t − duration, t] and ask the cron whether it starts then.
        const c = (parseCron(cron) as { ok: true; cron: Cron }).cron;
        let brute = false;
        for (let m = Math.floor(t / 60_000) * 60_000; m > t - durationMin * 60_000; m -= 60_000) brute ||= cronMatches(c, m);
        const active = activeFreezes([w], t, 'rollouts');
        expect(active.length === 1).toBe(brute);
        if (active[0]) expect(active[0].from <= t && t < active[0].to).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('long stretches of overlapping occurrences', () => {
  // Every minute from 00:00 to 11:59, each lasting an hour: one stretch 00:00 → 12:59 a day, 720
  // merged starts (more than a few hundred: the merge must not stop half way).
  const morning = win({ id: 'am', name: 'Mornings', kind: 'recurring', cron: '* 0-11 * * *', durationMin: 60 });

  it('follows the stretch to its real end', () => {
    const [f] = activeFreezes([morning], at('2026-12-01T00:30'), 'experiments');
    expect([iso(f!.from), iso(f!.to), f!.floor]).toEqual(['2026-12-01T00:00', '2026-12-01T12:59', undefined]);
    expect(freezeOccurrences([morning], at('2026-12-01T00:00'), at('2026-12-03T00:00')).map((o) => [iso(o.from), iso(o.to)])).toEqual([
      ['2026-12-01T00:00', '2026-12-01T12:59'],
      ['2026-12-02T00:00', '2026-12-02T12:59'],
    ]);
  });

  it('reports a window that never lets go as lasting at least the horizon, in words', () => {
    const always = win({ id: 'al', name: 'Always', kind: 'recurring', cron: '* * * * *', durationMin: 60 });
    const [f] = activeFreezes([always], at('2026-12-01T10:00'), 'rollouts');
    expect(f!.floor).toBe(true);
    expect(f!.to - f!.from).toBeGreaterThanOrEqual(MERGE_HORIZON_MS);
    expect(freezeWords(f!)).toContain('until at least 2027-01-01');
  });
});

describe('freezeOccurrences', () => {
  it('lists the stretches overlapping a range, in order, for the timeline', () => {
    const occ = freezeOccurrences([weekend, blackFriday], at('2026-11-26T00:00'), at('2026-12-12T00:00'));
    expect(occ.map((o) => [o.window.name, iso(o.from), iso(o.to)])).toEqual([
      ['Black Friday', '2026-11-27T00:00', '2026-11-30T06:00'],
      ['Weekend', '2026-11-27T22:00', '2026-11-28T08:00'],
      ['Weekend', '2026-12-04T22:00', '2026-12-05T08:00'],
      ['Weekend', '2026-12-11T22:00', '2026-12-12T08:00'],
    ]);
    // An occurrence running at the range's start is included.
    expect(freezeOccurrences([weekend], at('2026-11-28T07:00'), at('2026-11-28T09:00')).map((o) => iso(o.from))).toEqual(['2026-11-27T22:00']);
  });

  it('is bounded however dense the cron', () => {
    const dense = win({ kind: 'recurring', cron: '*/2 * * * *', durationMin: 1 });
    expect(freezeOccurrences([dense], at('2026-12-01T00:00'), at('2027-12-01T00:00'))).toHaveLength(MAX_OCCURRENCES_PER_WINDOW);
    // Windows with a bad cron or no duration contribute nothing (the schema refuses them anyway).
    expect(freezeOccurrences([win({ kind: 'recurring', cron: 'nope', durationMin: 5 }), win({ kind: 'recurring', cron: '* * * * *' })], 0, at('2027-01-01T00:00'))).toEqual([]);
  });
});

describe('freezeWindowSchema', () => {
  const base = { name: 'Black Friday', reason: 'peak sales' };

  it('accepts a one-off window (dates or epoch ms) and drops a cron a form kept', () => {
    const w = freezeWindowSchema.parse({ ...base, kind: 'one_off', startsAt: '2026-11-27T00:00:00Z', endsAt: at('2026-11-30T06:00'), cron: '0 * * * *', durationMin: 5 });
    expect(w).toEqual({ ...base, kind: 'one_off', startsAt: at('2026-11-27T00:00'), endsAt: at('2026-11-30T06:00'), cron: null, durationMin: null, appliesToRollouts: true, appliesToExperiments: true });
  });

  it('refuses in words', () => {
    const issues = (x: unknown) => {
      const r = freezeWindowSchema.safeParse(x);
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(issues({ ...base, kind: 'one_off' })).toEqual(['startsAt: A one-off window needs a start', 'endsAt: A one-off window needs an end']);
    expect(issues({ ...base, kind: 'one_off', startsAt: at('2026-11-30T00:00'), endsAt: at('2026-11-27T00:00') })).toEqual(['endsAt: The end must be after the start']);
    expect(issues({ ...base, kind: 'recurring', cron: '0 25 * * *', durationMin: 60 })).toEqual(['cron: Cron: hour: 25 is out of range 0–23']);
    expect(issues({ ...base, kind: 'recurring', cron: '0 22 * * fri' })).toEqual(['durationMin: A recurring window needs a duration in minutes (1 to 10080)']);
    expect(issues({ ...base, kind: 'recurring', durationMin: 60 })).toEqual(['cron: A recurring window needs a cron of its starts (UTC), such as "0 22 * * fri"']);
    expect(issues({ ...base, kind: 'recurring', cron: '0 22 * * fri', durationMin: 10_081 })).toEqual(['durationMin: Duration: at most 10080 minutes (a week)']);
    expect(issues({ ...base, kind: 'recurring', cron: '0 22 * * fri', durationMin: 60, appliesToRollouts: false, appliesToExperiments: false })).toEqual([
      'appliesToRollouts: A freeze window applies to rollouts, experiments or both',
    ]);
    expect(issues({ ...base, reason: ' ', kind: 'one_off', startsAt: 1, endsAt: 2 })[0]).toBe('reason: Say why the window freezes changes');
    expect(issues({ ...base, kind: 'recurring', cron: 'x'.repeat(201), durationMin: 5 })[0]).toBe('cron: At most 200 characters');
  });

  it('accepts a recurring window with optional bounds', () => {
    expect(freezeWindowSchema.parse({ ...base, kind: 'recurring', cron: '0 22 * * fri', durationMin: 600, appliesToRollouts: false })).toMatchObject({ cron: '0 22 * * fri', durationMin: 600, startsAt: null, appliesToRollouts: false });
  });
});

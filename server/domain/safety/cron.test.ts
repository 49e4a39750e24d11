import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cronMatches, MAX_CRON_TIMES, nextCronTimes, nextTimesOf, parseCron, type Cron } from './cron';

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16);
const AFTER = Date.UTC(2026, 11, 2, 0, 45, 30); // Wednesday 2 December 2026, 00:45:30 UTC

function cron(expr: string): Cron {
  const p = parseCron(expr);
  if (!p.ok) throw new Error(p.error);
  return p.cron;
}
const next = (expr: string, n = 3, after = AFTER) => nextCronTimes(cron(expr), after, n).map(iso);

describe('parseCron — errors in words, naming the field', () => {
  it.each([
    ['', 'Expected 5 fields (minute hour day-of-month month day-of-week, in UTC), such as "0 3 * * mon-fri"; got nothing'],
    ['* * * *', 'Expected 5 fields (minute hour day-of-month month day-of-week, in UTC), such as "0 3 * * mon-fri"; got 4'],
    ['60 * * * *', 'minute: 60 is out of range 0–59'],
    ['0 24 * * *', 'hour: 24 is out of range 0–23'],
    ['0 0 0 * *', 'day-of-month: 0 is out of range 1–31'],
    ['0 0 * 13 *', 'month: 13 is out of range 1–12'],
    ['0 0 * * 8', 'day-of-week: 8 is out of range 0–7'],
    ['0 0 * foo *', 'month: "foo" is not a month name (jan–dec)'],
    ['0 0 * * funday', 'day-of-week: "funday" is not a weekday name (sun–sat)'],
    ['*/0 * * * *', 'minute: the step "0" must be a whole number from 1 to 60'],
    ['0 22-2 * * *', 'hour: the range 22-2 runs backwards; write it as two ranges (such as 22-23,0-2)'],
    ['1,,2 * * * *', 'minute: an empty item in the list "1,,2"'],
    ['x * * * *', 'minute: "x" — expected *, a number, a range (1-5), a list (1,15), a step (*/15, 0-30/5)'],
    ['0 0 30 feb *', 'day-of-month: 30 never occurs in feb, so the schedule would never fire'],
    ['1-2-3 * * * *', 'minute: "1-2-3" — expected *, a number, a range (1-5), a list (1,15), a step (*/15, 0-30/5)'],
  ])('%j → %s', (expr, error) => {
    expect(parseCron(expr)).toEqual({ ok: false, error });
  });

  it('bounds the input', () => {
    expect(parseCron(`${'1,'.repeat(150)}1 * * * *`)).toEqual({ ok: false, error: 'A cron expression has at most 200 characters' });
    expect(parseCron(`${'1,'.repeat(70)}1 * * * *`)).toEqual({ ok: false, error: 'minute: at most 60 items in a list' });
  });

  it('reads lists, ranges, steps, names, 7 as Sunday and macros', () => {
    const c = cron('0,30 9-17/4 1,15 JAN-mar,dec mon-fri');
    expect([c.minutes, c.hours, c.daysOfMonth, c.months, c.daysOfWeek]).toEqual([[0, 30], [9, 13, 17], [1, 15], [1, 2, 3, 12], [1, 2, 3, 4, 5]]);
    expect(cron('5/20 * * * 7').minutes).toEqual([5, 25, 45]);
    expect(cron('0 0 * * 7').daysOfWeek).toEqual([0]);
    expect(cron('0 0 * * sun,7').daysOfWeek).toEqual([0]);
    expect(cron('@daily')).toMatchObject({ source: '0 0 * * *', minutes: [0], hours: [0] });
    expect(cron('  0   3 * *   *  ').source).toBe('0 3 * * *');
  });
});

describe('nextCronTimes — known schedules', () => {
  it('every 15 minutes, hourly, daily', () => {
    expect(next('*/15 * * * *')).toEqual(['2026-12-02T01:00', '2026-12-02T01:15', '2026-12-02T01:30']);
    expect(next('@hourly', 2)).toEqual(['2026-12-02T01:00', '2026-12-02T02:00']);
    expect(next('30 2 * * *', 2)).toEqual(['2026-12-02T02:30', '2026-12-03T02:30']);
    // Strictly after: a time exactly on a fire time gives the next one.
    expect(next('0 1 * * *', 1, Date.UTC(2026, 11, 2, 1, 0))).toEqual(['2026-12-03T01:00']);
  });

  it('weekdays, month ends, and years', () => {
    // 2 Dec 2026 is a Wednesday.
    expect(next('0 9 * * mon-fri', 4)).toEqual(['2026-12-02T09:00', '2026-12-03T09:00', '2026-12-04T09:00', '2026-12-07T09:00']);
    expect(next('0 0 31 * *', 3)).toEqual(['2026-12-31T00:00', '2027-01-31T00:00', '2027-03-31T00:00']);
    expect(next('0 0 1 1 *', 2)).toEqual(['2027-01-01T00:00', '2028-01-01T00:00']);
    expect(next('0 0 29 feb *', 2)).toEqual(['2028-02-29T00:00', '2032-02-29T00:00']);
  });

  it('day-of-month OR day-of-week when both are restricted; AND when one starts with *', () => {
    // The 13th, or any Friday: Fri 4 Dec, Fri 11 Dec, Sun 13 Dec, Fri 18 Dec.
    expect(next('0 0 13 * fri', 4)).toEqual(['2026-12-04T00:00', '2026-12-11T00:00', '2026-12-13T00:00', '2026-12-18T00:00']);
    // */2 starts with *: odd days that are also Mondays (Vixie).
    expect(next('0 0 */2 * mon', 2)).toEqual(['2026-12-07T00:00', '2026-12-21T00:00']);
  });

  it('is bounded: at most MAX_CRON_TIMES, none for n ≤ 0', () => {
    expect(nextCronTimes(cron('* * * * *'), AFTER, 1e9)).toHaveLength(MAX_CRON_TIMES);
    expect(nextCronTimes(cron('* * * * *'), AFTER, 0)).toEqual([]);
    expect(nextTimesOf('nonsense', AFTER, 3)).toEqual([]);
  });
});

describe('nextCronTimes — properties', () => {
  const part = (max: number, min = 0) =>
    fc.oneof(
      fc.constant('*'),
      fc.integer({ min, max }).map(String),
      fc.tuple(fc.integer({ min, max }), fc.integer({ min, max })).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
      fc.integer({ min: 1, max: max - min + 1 }).map((s) => `*/${s}`),
      fc.array(fc.integer({ min, max }), { minLength: 1, maxLength: 4 }).map((xs) => xs.join(',')),
    );
  const exprArb = fc.tuple(part(59), part(23), part(28, 1), part(12, 1), part(7)).map((xs) => xs.join(' '));

  it('every time returned matches the cron, times increase strictly, and no firing minute is skipped', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(exprArb, fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2090, 0, 1) }), (expr, after) => {
        const p = parseCron(expr);
        expect(p.ok).toBe(true);
        if (!p.ok) return;
        const times = nextCronTimes(p.cron, after, 5);
        expect(times.length).toBe(5);
        let prev = after;
        for (const t of times) {
          expect(t).toBeGreaterThan(prev);
          expect(t % 60_000).toBe(0);
          expect(cronMatches(p.cron, t)).toBe(true);
          prev = t;
        }
        // Nothing fires between `after` and the first time when that stretch is short enough to walk.
        if (times[0]! - after <= 3 * 86_400_000) {
          for (let m = Math.floor(after / 60_000) * 60_000 + 60_000; m < times[0]!; m += 60_000) if (cronMatches(p.cron, m)) expect(iso(m)).toBe('a skipped firing');
        }
      }),
      { numRuns: 300 },
    );
  });
});

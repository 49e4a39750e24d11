import { describe, expect, it } from 'vitest';
import { displayZone, UTC_ZONE } from '@/components/ui/format-time';
import { describeSpan, formatDuration, formatTimeTick, timeTicks } from './time-axis';

// Wall-clock constructors in Berlin (UTC+1 in November): ticks follow the zone shown, not the machine's.
const Z = displayZone('local', 'Europe/Berlin');
const local = (h: number, m = 0, s = 0, day = 22) => Date.UTC(2026, 10, day, h, m, s) - 3600_000;

describe('timeTicks', () => {
  it('spaces 5 minutes by a round minute, aligned to the local clock', () => {
    const ticks = timeTicks(local(10, 0, 17), local(10, 5, 17), Z);
    expect(ticks).toEqual([local(10, 1), local(10, 2), local(10, 3), local(10, 4), local(10, 5)]);
  });
  it('keeps to at most `max` ticks over an hour, a day and a week', () => {
    expect(timeTicks(local(9, 7), local(10, 7), Z)).toEqual([10, 20, 30, 40, 50].map((m) => local(9, m)).concat(local(10, 0)));
    expect(timeTicks(local(10, 0), local(10, 0, 0, 23), Z).length).toBeLessThanOrEqual(6);
    const week = timeTicks(local(0, 0, 0, 15), local(0, 0, 0, 22), Z);
    expect(week.length).toBeLessThanOrEqual(6);
    expect(week.every((t) => (t + 3600_000) % 86400_000 === 0)).toBe(true);
    // The same week in UTC starts its days at UTC midnight.
    expect(timeTicks(local(0, 0, 0, 15), local(0, 0, 0, 22), UTC_ZONE).every((t) => t % 86400_000 === 0)).toBe(true);
  });
  it('returns nothing for an empty range', () => {
    expect(timeTicks(local(10), local(10), Z)).toEqual([]);
  });
});

describe('time labels', () => {
  it('shows seconds on short axes, minutes on a day, the date on longer ones', () => {
    expect(formatTimeTick(local(10, 4, 5), 5 * 60_000, Z)).toBe('10:04:05');
    expect(formatTimeTick(local(10, 4, 5), 24 * 3600_000, Z)).toBe('10:04');
    expect(formatTimeTick(local(0, 0), 7 * 24 * 3600_000, Z)).toBe('22 Nov');
    expect(formatTimeTick(local(12, 0), 7 * 24 * 3600_000, Z)).toBe('22 Nov 12:00');
  });
  it('says durations with two units at most', () => {
    expect(formatDuration(12_400)).toBe('12 s');
    expect(formatDuration(200_000)).toBe('3 min 20 s');
    expect(formatDuration(7_500_000)).toBe('2 h 5 min');
    expect(formatDuration(3 * 86400_000 + 4 * 3600_000 + 60_000)).toBe('3 d 4 h');
    expect(formatDuration(-5)).toBe('0 s');
  });
  it('says a range aloud', () => {
    expect(describeSpan(0, 300_000, true, Z)).toBe('the last 5 minutes');
    expect(describeSpan(0, 3600_000, true, Z)).toBe('the last hour');
    expect(describeSpan(0, 24 * 3600_000, true, Z)).toBe('the last 24 hours');
    expect(describeSpan(local(9), local(10), false, Z)).toBe('09:00:00 CET – 10:00:00 CET');
    expect(describeSpan(local(9), local(10), false, UTC_ZONE)).toBe('08:00:00 UTC – 09:00:00 UTC');
  });
});

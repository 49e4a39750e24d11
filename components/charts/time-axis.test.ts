import { describe, expect, it } from 'vitest';
import { describeSpan, formatDuration, formatTime, formatTimeTick, timeTicks } from './time-axis';

// Local-clock constructors: the expectations hold in any time zone.
const local = (h: number, m = 0, s = 0, day = 22) => new Date(2026, 10, day, h, m, s).getTime();

describe('timeTicks', () => {
  it('spaces 5 minutes by a round minute, aligned to the local clock', () => {
    const ticks = timeTicks(local(10, 0, 17), local(10, 5, 17));
    expect(ticks).toEqual([local(10, 1), local(10, 2), local(10, 3), local(10, 4), local(10, 5)]);
  });
  it('keeps to at most `max` ticks over an hour, a day and a week', () => {
    expect(timeTicks(local(9, 7), local(10, 7))).toEqual([10, 20, 30, 40, 50].map((m) => local(9, m)).concat(local(10, 0)));
    expect(timeTicks(local(10, 0), local(10, 0, 0, 23)).length).toBeLessThanOrEqual(6);
    const week = timeTicks(local(0, 0, 0, 15), local(0, 0, 0, 22));
    expect(week.length).toBeLessThanOrEqual(6);
    expect(week.every((t) => new Date(t).getHours() === 0)).toBe(true);
  });
  it('returns nothing for an empty range', () => {
    expect(timeTicks(local(10), local(10))).toEqual([]);
  });
});

describe('time labels', () => {
  it('shows seconds on short axes, minutes on a day, the date on longer ones', () => {
    expect(formatTimeTick(local(10, 4, 5), 5 * 60_000)).toBe('10:04:05');
    expect(formatTimeTick(local(10, 4, 5), 24 * 3600_000)).toBe('10:04');
    expect(formatTimeTick(local(0, 0), 7 * 24 * 3600_000)).toBe('22 Nov');
    expect(formatTimeTick(local(12, 0), 7 * 24 * 3600_000)).toBe('22 Nov 12:00');
  });
  it('gives a tooltip time with seconds, and the date when it is not today', () => {
    expect(formatTime(local(10, 4, 5), local(11))).toBe('10:04:05');
    expect(formatTime(local(10, 4, 5, 21), local(11))).toBe('21 Nov 10:04:05');
  });
  it('says durations with two units at most', () => {
    expect(formatDuration(12_400)).toBe('12 s');
    expect(formatDuration(200_000)).toBe('3 min 20 s');
    expect(formatDuration(7_500_000)).toBe('2 h 5 min');
    expect(formatDuration(3 * 86400_000 + 4 * 3600_000 + 60_000)).toBe('3 d 4 h');
    expect(formatDuration(-5)).toBe('0 s');
  });
  it('says a range aloud', () => {
    expect(describeSpan(0, 300_000, true)).toBe('the last 5 minutes');
    expect(describeSpan(0, 3600_000, true)).toBe('the last hour');
    expect(describeSpan(0, 24 * 3600_000, true)).toBe('the last 24 hours');
    expect(describeSpan(local(9), local(10), false)).toBe('09:00:00 – 10:00:00');
  });
});

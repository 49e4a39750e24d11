import { describe, expect, it } from 'vitest';
import { displayZone, formatDateTime, formatTime, fromZoneInput, toZoneInput, UTC_ZONE, wallClock, zoneOffsetMs } from './format-time';

const berlin = displayZone('local', 'Europe/Berlin');
const newYork = displayZone('local', 'America/New_York');
const kolkata = displayZone('local', 'Asia/Kolkata');
const t = Date.UTC(2026, 11, 1, 18, 42, 7); // 2026-12-01 18:42:07 UTC
const summer = Date.UTC(2026, 6, 1, 12, 0, 0);

describe('one date format, the zone always shown', () => {
  it('writes UTC as "2026-12-01 18:42:07 UTC"', () => {
    expect(formatDateTime(t, UTC_ZONE)).toBe('2026-12-01 18:42:07 UTC');
    expect(formatDateTime(new Date(t), UTC_ZONE)).toBe('2026-12-01 18:42:07 UTC');
    expect(formatDateTime('2026-12-01T18:42:07.512Z', UTC_ZONE)).toBe('2026-12-01 18:42:07 UTC');
  });

  it('writes a local zone with its name, winter and summer', () => {
    expect(formatDateTime(t, berlin)).toBe('2026-12-01 19:42:07 CET');
    expect(formatDateTime(summer, berlin)).toBe('2026-07-01 14:00:00 CEST');
    expect(formatDateTime(t, newYork)).toBe('2026-12-01 13:42:07 EST');
    expect(formatDateTime(t, kolkata)).toMatch(/^2026-12-02 00:12:07 (GMT\+5:30|IST)$/);
  });

  it('the preference picks the zone: UTC whatever the browser says', () => {
    expect(displayZone('utc', 'Europe/Berlin')).toEqual(UTC_ZONE);
    expect(displayZone('local', 'Europe/Berlin')).toEqual({ preference: 'local', timeZone: 'Europe/Berlin' });
  });

  it('drops the date for a time on the same day as now, in the zone shown', () => {
    expect(formatTime(t, UTC_ZONE, t + 3600_000)).toBe('18:42:07 UTC');
    expect(formatTime(t, UTC_ZONE, t + 86400_000)).toBe('2026-12-01 18:42:07 UTC');
    // 23:30 UTC is already the next day in Berlin.
    const late = Date.UTC(2026, 11, 1, 23, 30, 0);
    expect(formatTime(late, berlin, Date.UTC(2026, 11, 2, 1, 0, 0))).toBe('00:30:00 CET');
    expect(formatTime(late, UTC_ZONE, Date.UTC(2026, 11, 2, 1, 0, 0))).toBe('2026-12-01 23:30:00 UTC');
  });

  it('knows the offset of a zone at an instant', () => {
    expect(zoneOffsetMs(t, UTC_ZONE)).toBe(0);
    expect(zoneOffsetMs(t, berlin)).toBe(3600_000);
    expect(zoneOffsetMs(summer, berlin)).toBe(7200_000);
    expect(wallClock(t, newYork).hour).toBe(13);
  });

  it('round-trips a datetime-local input in the zone shown', () => {
    expect(toZoneInput(t, UTC_ZONE)).toBe('2026-12-01T18:42');
    expect(toZoneInput(t, berlin)).toBe('2026-12-01T19:42');
    expect(fromZoneInput('2026-12-01T19:42', berlin)).toBe(Date.UTC(2026, 11, 1, 18, 42));
    expect(fromZoneInput('2026-07-01T14:00', berlin)).toBe(summer);
    expect(fromZoneInput('2026-12-01T18:42', UTC_ZONE)).toBe(Date.UTC(2026, 11, 1, 18, 42));
    expect(fromZoneInput('yesterday', UTC_ZONE)).toBeNull();
  });
});

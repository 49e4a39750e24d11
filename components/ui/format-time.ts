// The one way the console writes a time: ISO-like, 24 h, always with its zone —
// "2026-12-01 18:42:07 UTC" or "2026-12-01 19:42:07 CET" — in UTC or in the viewer's own zone,
// as each user chose (User.timeZone). Pure: the zone is an argument, never the machine's default.

export type TimeZonePreference = 'utc' | 'local';

/** Where times are shown: an IANA zone ("UTC", "Europe/Berlin"). */
export interface DisplayZone {
  preference: TimeZonePreference;
  timeZone: string;
}

export const UTC_ZONE: DisplayZone = { preference: 'utc', timeZone: 'UTC' };

/** The zone a preference means in this browser (local: the browser's own). */
export function displayZone(preference: TimeZonePreference, browserZone: string): DisplayZone {
  return preference === 'utc' ? UTC_ZONE : { preference, timeZone: browserZone || 'UTC' };
}

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** "UTC", "CET", "CEST", "EST", or "GMT+5:30" where the zone has no common abbreviation. */
  zoneName: string;
}

/** Epoch ms, a Date, or an ISO string (as JSON brings it). */
export type Instant = number | Date | string;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, timeZone: string): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', timeZoneName: 'short' });
    formatters.set(key, f);
  }
  return f;
}

function parts(t: number, locale: string, timeZone: string): Record<string, string> {
  return Object.fromEntries(formatter(locale, timeZone).formatToParts(t).map((p) => [p.type, p.value]));
}

/** The wall clock at `t` in a zone, with the zone's short name at that instant (CET in winter, CEST in summer). */
export function wallClock(t: Instant, zone: DisplayZone): WallClock {
  const ms = typeof t === 'number' ? t : typeof t === 'string' ? Date.parse(t) : t.getTime();
  if (zone.timeZone === 'UTC') {
    const d = new Date(ms);
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), zoneName: 'UTC' };
  }
  const p = parts(ms, 'en-US', zone.timeZone);
  let zoneName = p.timeZoneName ?? zone.timeZone;
  // en-US names American zones (EST) but says GMT+1 for Berlin; en-GB says CET. Take a real name where either has one.
  if (/^GMT[+-]/.test(zoneName)) {
    const gb = parts(ms, 'en-GB', zone.timeZone).timeZoneName;
    if (gb && !/^(GMT|UTC)[+-]/.test(gb)) zoneName = gb;
  }
  if (zoneName === 'GMT' && zone.timeZone !== 'Europe/London') zoneName = 'UTC';
  return { year: Number(p.year), month: Number(p.month), day: Number(p.day), hour: Number(p.hour) % 24, minute: Number(p.minute), second: Number(p.second), zoneName };
}

const pad = (n: number) => String(n).padStart(2, '0');
const dateOf = (w: WallClock) => `${w.year}-${pad(w.month)}-${pad(w.day)}`;
const clockOf = (w: WallClock) => `${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;

/** "2026-12-01 18:42:07 UTC": tables, audit rows, anything read later. */
export function formatDateTime(t: Instant, zone: DisplayZone): string {
  const w = wallClock(t, zone);
  return `${dateOf(w)} ${clockOf(w)} ${w.zoneName}`;
}

/** "18:42:07 UTC" when `t` is on the same day as `now` (in the zone), else the full date and time. */
export function formatTime(t: Instant, zone: DisplayZone, now: number = Date.now()): string {
  const w = wallClock(t, zone);
  return dateOf(w) === dateOf(wallClock(now, zone)) ? `${clockOf(w)} ${w.zoneName}` : `${dateOf(w)} ${clockOf(w)} ${w.zoneName}`;
}

/** The zone's name at `t` alone ("UTC", "CET"): the unit of a chart's time axis. */
export const zoneName = (t: number, zone: DisplayZone) => wallClock(t, zone).zoneName;

/** Milliseconds to add to epoch ms to get the zone's wall clock at `t` (0 for UTC). */
export function zoneOffsetMs(t: number, zone: DisplayZone): number {
  const w = wallClock(t, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(t / 1000) * 1000;
}

/** The value of an <input type="datetime-local"> showing `t` in the zone: "2026-12-01T18:42". */
export function toZoneInput(t: number, zone: DisplayZone): string {
  const w = wallClock(t, zone);
  return `${dateOf(w)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/** The instant a datetime-local value means in the zone; null when empty or invalid. */
export function fromZoneInput(v: string, zone: DisplayZone): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(v);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  const naive = Date.UTC(y, mo - 1, d, h, mi, s);
  if (!Number.isFinite(naive)) return null;
  // The offset at the naive instant, then once more at the corrected one (a DST change in between).
  let t = naive - zoneOffsetMs(naive, zone);
  t = naive - zoneOffsetMs(t, zone);
  return t;
}

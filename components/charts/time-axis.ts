// Time-axis arithmetic and wording for the charts. Pure (no React, no recharts) and unit-tested.
// Times are epoch ms; ticks and labels follow the clock of the zone the user chose (UTC or their
// own, components/ui/format-time.ts), and the axis names that zone.
import { formatTime, wallClock, zoneOffsetMs, type DisplayZone } from '@/components/ui/format-time';

const S = 1000;
const MIN = 60 * S;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Tick spacings a person reads easily, finest first. */
const STEPS = [1, 2, 5, 10, 15, 30].map((x) => x * S).concat([1, 2, 5, 10, 15, 30].map((x) => x * MIN), [1, 2, 3, 6, 12].map((x) => x * HOUR), [1, 2, 7].map((x) => x * DAY));

/** Round, evenly spaced tick times inside [from, to], at most `max` of them (aligned to the zone's clock). */
export function timeTicks(from: number, to: number, zone: DisplayZone, max = 6): number[] {
  if (!(to > from) || max < 1) return [];
  const span = to - from;
  const step = STEPS.find((s) => span / s <= max) ?? Math.ceil(span / max / DAY) * DAY;
  const off = zoneOffsetMs(from, zone);
  const out: number[] = [];
  for (let t = Math.ceil((from + off) / step) * step - off; t <= to; t += step) out.push(t);
  return out;
}

const pad = (n: number) => String(n).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Tick label for a time on an axis spanning `span` ms: seconds for short spans, the date for long ones. */
export function formatTimeTick(t: number, span: number, zone: DisplayZone): string {
  const d = wallClock(t, zone);
  const hm = `${pad(d.hour)}:${pad(d.minute)}`;
  if (span <= 15 * MIN) return `${hm}:${pad(d.second)}`;
  if (span <= 36 * HOUR) return hm;
  const date = `${d.day} ${MONTHS[d.month - 1]}`;
  return d.hour === 0 && d.minute === 0 ? date : `${date} ${hm}`;
}

/** "12 s", "3 min 20 s", "2 h 5 min", "3 d 4 h": two units at most. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / S));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/** "the last 5 minutes", "the last hour", "10:00 – 11:30": how a chart's range is said aloud. */
export function describeSpan(from: number, to: number, relative: boolean, zone: DisplayZone): string {
  const span = to - from;
  if (relative) {
    if (span <= 2 * MIN) return `the last ${Math.round(span / S)} seconds`;
    if (span < HOUR) return `the last ${Math.round(span / MIN)} minutes`;
    if (span === HOUR) return 'the last hour';
    if (span < 2 * DAY) return `the last ${Math.round(span / HOUR)} hours`;
    return `the last ${Math.round(span / DAY)} days`;
  }
  return `${formatTime(from, zone, to)} – ${formatTime(to, zone, to)}`;
}

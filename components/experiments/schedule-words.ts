// Experiment schedules as an SRE reads them: the cron in words, the concurrency policy, the history
// limit and what became of each scheduled run (a skipped one with its reason). Pure; unit-tested.
import { parseCron, type Cron } from '@/server/domain/safety/cron';
import { RUN_STATE_LABELS, type RunAbortReason, type RunState } from '@/server/domain/experiments/machine';
import { ageText, runStateText } from './words';

export const CONCURRENCY = ['forbid', 'allow', 'replace'] as const;
export type Concurrency = (typeof CONCURRENCY)[number];
export const CONCURRENCY_WORDS: Record<Concurrency, string> = {
  forbid: 'forbid (skip while one runs)',
  allow: 'allow (runs may overlap)',
  replace: 'replace (abort the running one)',
};

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');
const isAll = (values: number[], from: number, to: number) => values.length === to - from + 1;

/** 1,2,3,4,5 → "Mon–Fri"; 1,3 → "Mon, Wed": consecutive runs of three or more become a range. */
function listWords(values: number[], name: (v: number) => string): string {
  const parts: string[] = [];
  for (let i = 0; i < values.length; ) {
    let j = i;
    while (j + 1 < values.length && values[j + 1] === values[j]! + 1) j++;
    if (j - i >= 2) parts.push(`${name(values[i]!)}–${name(values[j]!)}`);
    else for (let k = i; k <= j; k++) parts.push(name(values[k]!));
    i = j + 1;
  }
  return parts.join(', ');
}

/** "every 15 minutes" when the minutes are 0, s, 2s, … covering the hour evenly. */
function stepOf(minutes: number[]): number | null {
  if (minutes.length < 2 || minutes[0] !== 0) return null;
  const s = minutes[1]!;
  return 60 % s === 0 && minutes.length === 60 / s && minutes.every((m, i) => m === i * s) ? s : null;
}

function timeWords(c: Cron): string | null {
  const everyHour = isAll(c.hours, 0, 23);
  if (everyHour && isAll(c.minutes, 0, 59)) return 'every minute';
  const step = everyHour ? stepOf(c.minutes) : null;
  if (step) return `every ${step} minutes`;
  if (everyHour && c.minutes.length === 1) return `every hour at minute ${c.minutes[0]}`;
  if (c.minutes.length === 1 && c.hours.length <= 4) return `at ${c.hours.map((h) => `${pad(h)}:${pad(c.minutes[0]!)}`).join(', ')} UTC`;
  return null;
}

function dayWords(c: Cron): string | null {
  const everyDom = isAll(c.daysOfMonth, 1, 31);
  const everyDow = c.daysOfWeek.length === 7;
  const months = isAll(c.months, 1, 12) ? '' : ` in ${listWords(c.months, (m) => MONTH_NAMES[m - 1]!)}`;
  const dom = `on day ${listWords(c.daysOfMonth, String)} of the month`;
  const dow = `on ${listWords(c.daysOfWeek, (d) => DAY_NAMES[d]!)}`;
  if (c.daysOfMonth.length > 6 && !everyDom) return null;
  // Vixie cron: when both day fields are restricted a day matching EITHER fires; else both must.
  if (!c.domStar && !c.dowStar) return everyDom || everyDow ? months.trim() : `${dom} or ${dow}${months}`;
  if (everyDom && everyDow) return months.trim();
  if (everyDom) return `${dow}${months}`;
  if (everyDow) return `${dom}${months}`;
  return `${dom} and ${dow}${months}`;
}

/**
 * The cron in words ("every minute", "at 03:00 UTC on Mon–Fri", "every 15 minutes"), or null
 * when it is not one of the common shapes (the expression itself is always shown next to it).
 */
export function cronWords(expr: string): string | null {
  const p = parseCron(expr);
  if (!p.ok) return null;
  const time = timeWords(p.cron);
  const days = dayWords(p.cron);
  if (time === null || days === null) return null;
  const daily = (days === '' || days.startsWith('in ')) && time.startsWith('at ');
  const text = [daily ? `every day ${time}` : time, days].filter(Boolean).join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const historyLimitWords = (n: number) => `keeps the last ${n} finished run${n === 1 ? '' : 's'}`;

export interface ScheduledRun {
  state: RunState;
  abortReason: RunAbortReason | null;
  stateDetail: string;
  skipReason: string | null;
}

/** What became of a scheduled run; a skipped one says why ("Skipped: run #3 (running) … forbid"). */
export function scheduledRunWords(r: ScheduledRun): string {
  if (r.state === 'skipped') return `${RUN_STATE_LABELS.skipped}: ${r.skipReason?.trim() || 'no reason was recorded'}`;
  return runStateText(r);
}

/** The sweep runs every minute: an occurrence due for longer than this was missed by one (a worker down or behind). */
export const OVERDUE_AFTER_MS = 2 * 60_000;

/**
 * A listed occurrence whose time has come (the list starts at nextRunAt, which the next sweep fires
 * even when it is past): "due now", or "overdue by 25 min" once a sweep should have fired it; null
 * while it is ahead (shown as its time).
 */
export function dueWords(at: Date | string, now: number): string | null {
  const late = now - new Date(at).getTime();
  if (late < 0) return null;
  return late < OVERDUE_AFTER_MS ? 'due now' : `overdue by ${ageText(at, now)}`;
}

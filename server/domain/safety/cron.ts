// Five-field cron in UTC (minute hour day-of-month month day-of-week), as Vixie cron reads it:
// `*`, lists, ranges, steps, month and weekday names, 0 or 7 for Sunday, and the usual rule that
// when both day fields are restricted a day matches if EITHER does. Used by experiment schedules
// (next runs) and recurring freeze windows (when each one starts).
//
// Every error names its field in words, and both parsing and the search are bounded: a hostile
// expression costs a few hundred comparisons, and a schedule that never fires (30 February) is
// refused at parse time instead of searched for.

export interface Cron {
  /** The expression as written (trimmed, single-spaced). */
  source: string;
  minutes: number[];
  hours: number[];
  /** 1–31. */
  daysOfMonth: number[];
  /** 1–12. */
  months: number[];
  /** 0–6, Sunday = 0. */
  daysOfWeek: number[];
  /** The day-of-month field starts with `*` (`*` or `*` with a step): the day fields then AND, else OR. */
  domStar: boolean;
  dowStar: boolean;
}

export type ParseCronResult = { ok: true; cron: Cron } | { ok: false; error: string };

export const MAX_CRON_CHARS = 200;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Leap-day schedules fire every 4 years (8 across 2100, which is not a leap year): search that far. */
const SEARCH_DAYS = 366 * 8 + 2;
/** The most times one call answers. */
export const MAX_CRON_TIMES = 1000;

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  /** Index of names[0]. */
  namesFrom?: number;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, namesFrom: 1 },
  // 7 is Sunday too (folded to 0 after parsing).
  { name: 'day-of-week', min: 0, max: 7, names: DAYS, namesFrom: 0 },
];

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const SHAPE = 'expected *, a number, a range (1-5), a list (1,15), a step (*/15, 0-30/5)';

function value(f: FieldSpec, raw: string): number | string {
  if (/^\d{1,2}$/.test(raw)) {
    const n = Number(raw);
    return n < f.min || n > f.max ? `${f.name}: ${n} is out of range ${f.min}–${f.max}` : n;
  }
  const i = f.names?.indexOf(raw.toLowerCase()) ?? -1;
  if (i >= 0) return i + f.namesFrom!;
  if (f.names && /^[a-z]+$/i.test(raw)) return `${f.name}: "${raw}" is not a ${f.name === 'month' ? 'month name (jan–dec)' : 'weekday name (sun–sat)'}`;
  return `${f.name}: "${raw.slice(0, 20)}" — ${SHAPE}${f.names ? `, or names (${f.names[0]}–${f.names[f.names.length - 1]})` : ''}`;
}

function field(f: FieldSpec, text: string): { values: Set<number> } | { error: string } {
  const out = new Set<number>();
  const items = text.split(',');
  if (items.length > 60) return { error: `${f.name}: at most 60 items in a list` };
  for (const item of items) {
    if (item === '') return { error: `${f.name}: an empty item in the list "${text.slice(0, 40)}"` };
    const [range, stepText, extra] = item.split('/');
    if (extra !== undefined) return { error: `${f.name}: "${item.slice(0, 20)}" has two steps` };
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d{1,2}$/.test(stepText) || Number(stepText) < 1 || Number(stepText) > f.max - f.min + 1) return { error: `${f.name}: the step "${stepText.slice(0, 20)}" must be a whole number from 1 to ${f.max - f.min + 1}` };
      step = Number(stepText);
    }
    let lo: number;
    let hi: number;
    if (range === '*') {
      lo = f.min;
      hi = f.max;
    } else {
      const [a, b, more] = range!.split('-');
      if (more !== undefined) return { error: `${f.name}: "${item.slice(0, 20)}" — ${SHAPE}` };
      const x = value(f, a!);
      if (typeof x === 'string') return { error: x };
      // Vixie: "5/15" means 5 to the end by 15.
      const y = b === undefined ? (stepText === undefined ? x : f.max) : value(f, b);
      if (typeof y === 'string') return { error: y };
      lo = x;
      hi = y;
      if (hi < lo) return { error: `${f.name}: the range ${a}-${b} runs backwards; write it as two ranges (such as ${a}-${f.max},${f.min}-${b})` };
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return { values: out };
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function parseCron(expr: string): ParseCronResult {
  if (typeof expr !== 'string') return { ok: false, error: 'A cron expression is text' };
  if (expr.length > MAX_CRON_CHARS) return { ok: false, error: `A cron expression has at most ${MAX_CRON_CHARS} characters` };
  const trimmed = expr.trim();
  const expanded = MACROS[trimmed.toLowerCase()] ?? trimmed;
  const parts = expanded.split(/\s+/).filter((p) => p !== '');
  if (parts.length !== 5) {
    return { ok: false, error: `Expected 5 fields (minute hour day-of-month month day-of-week, in UTC), such as "0 3 * * mon-fri"; got ${parts.length === 0 ? 'nothing' : `${parts.length}`}` };
  }
  const sets: Set<number>[] = [];
  for (let i = 0; i < 5; i++) {
    const r = field(FIELDS[i]!, parts[i]!);
    if ('error' in r) return { ok: false, error: r.error };
    sets.push(r.values);
  }
  const dows = sets[4]!;
  if (dows.has(7)) {
    dows.delete(7);
    dows.add(0);
  }
  const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);
  const cron: Cron = {
    source: parts.join(' '),
    minutes: sorted(sets[0]!),
    hours: sorted(sets[1]!),
    daysOfMonth: sorted(sets[2]!),
    months: sorted(sets[3]!),
    daysOfWeek: sorted(dows),
    domStar: parts[2]!.startsWith('*'),
    dowStar: parts[4]!.startsWith('*'),
  };
  // When the day fields AND (one starts with `*`), a day of month that no chosen month has never
  // fires: refuse it. (When both are restricted they OR, and the weekday alone can fire.)
  if ((cron.dowStar || cron.domStar) && !cron.months.some((m) => cron.daysOfMonth.some((d) => d <= DAYS_IN_MONTH[m - 1]!))) {
    return { ok: false, error: `day-of-month: ${cron.daysOfMonth.join(',')} never occurs in ${cron.months.map((m) => MONTHS[m - 1]).join(', ')}, so the schedule would never fire` };
  }
  return { ok: true, cron };
}

/** Does the day (UTC midnight `dayMs`) match the day fields, with the dom/dow OR rule? */
function dayMatches(c: Cron, dayMs: number): boolean {
  const d = new Date(dayMs);
  if (!c.months.includes(d.getUTCMonth() + 1)) return false;
  const dom = c.daysOfMonth.includes(d.getUTCDate());
  const dow = c.daysOfWeek.includes(d.getUTCDay());
  // Vixie: when either field starts with `*` both must match (a bare `*` matches every day);
  // when both are restricted, either may.
  return c.domStar || c.dowStar ? dom && dow : dom || dow;
}

/** Does the cron fire at this minute (UTC)? */
export function cronMatches(c: Cron, ms: number): boolean {
  const d = new Date(ms);
  return c.minutes.includes(d.getUTCMinutes()) && c.hours.includes(d.getUTCHours()) && dayMatches(c, Math.floor(ms / DAY_MS) * DAY_MS);
}

/**
 * The next `n` (at most MAX_CRON_TIMES) times the cron fires strictly after `afterMs`, as epoch ms
 * on whole minutes, increasing. Fewer when none falls within the next eight years.
 */
export function nextCronTimes(c: Cron, afterMs: number, n: number): number[] {
  const want = Math.max(0, Math.min(MAX_CRON_TIMES, Math.floor(n)));
  const out: number[] = [];
  if (want === 0 || !Number.isFinite(afterMs)) return out;
  const first = Math.floor(afterMs / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  const firstDay = Math.floor(first / DAY_MS) * DAY_MS;
  for (let day = 0; day < SEARCH_DAYS && out.length < want; day++) {
    const dayMs = firstDay + day * DAY_MS;
    if (!dayMatches(c, dayMs)) continue;
    for (const h of c.hours) {
      for (const m of c.minutes) {
        const t = dayMs + h * 3_600_000 + m * MINUTE_MS;
        if (t < first) continue;
        out.push(t);
        if (out.length >= want) return out;
      }
    }
  }
  return out;
}

/** The next `n` times of an expression; [] when it does not parse (callers show parseCron's error). */
export function nextTimesOf(expr: string, afterMs: number, n: number): number[] {
  const p = parseCron(expr);
  return p.ok ? nextCronTimes(p.cron, afterMs, n) : [];
}

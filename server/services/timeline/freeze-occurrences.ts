// The occurrences of freeze windows that overlap a time range, for the timeline: a one-off window
// is its own span; a recurring one starts each minute its 5-field UTC cron fires and lasts
// durationMin, within its optional bounds. (The refusals use the safety layer's own evaluation;
// this only draws the windows.)

export interface FreezeRow {
  id: string;
  name: string;
  reason: string;
  kind: 'one_off' | 'recurring';
  startsAt: Date | null;
  endsAt: Date | null;
  cron: string | null;
  durationMin: number | null;
  appliesToRollouts: boolean;
  appliesToExperiments: boolean;
}

export interface FreezeOccurrence {
  window: FreezeRow;
  start: number;
  end: number;
}

const MINUTE = 60_000;
/** Scanning minute by minute is cheap up to a few weeks of range; beyond, the newest weeks are drawn. */
const MAX_SCAN_MIN = 31 * 24 * 60;
const RANGES: ReadonlyArray<readonly [number, number]> = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];

/** The values one cron field allows (numbers, *, ranges, lists, steps); null when it cannot be read. */
function fieldValues(src: string, [min, max]: readonly [number, number]): Set<number> | null {
  const out = new Set<number>();
  for (const part of src.split(',')) {
    const m = /^(\*|(\d{1,2})(?:-(\d{1,2}))?)(?:\/(\d{1,2}))?$/.exec(part);
    if (!m) return null;
    const lo = m[1] === '*' ? min : Number(m[2]);
    const hi = m[1] === '*' ? max : m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? max : lo;
    const step = m[4] !== undefined ? Number(m[4]) : 1;
    if (lo < min || hi > max || lo > hi || step < 1) return null;
    for (let x = lo; x <= hi; x += step) out.add(x);
  }
  return out;
}

/** A matcher for a 5-field UTC cron (day of month and weekday OR-ed when both are restricted), or null. */
export function cronMatcher(cron: string): ((t: Date) => boolean) | null {
  const f = cron.trim().split(/\s+/);
  if (f.length !== 5) return null;
  const sets = f.map((x, k) => fieldValues(x, RANGES[k]!));
  if (sets.some((s) => s === null)) return null;
  const [mi, h, dom, mo, dow] = sets as Array<Set<number>>;
  if (dow!.has(7)) dow!.add(0);
  const domAll = f[2] === '*';
  const dowAll = f[4] === '*';
  return (t) => {
    if (!mi!.has(t.getUTCMinutes()) || !h!.has(t.getUTCHours()) || !mo!.has(t.getUTCMonth() + 1)) return false;
    const d = dom!.has(t.getUTCDate());
    const w = dow!.has(t.getUTCDay());
    return domAll || dowAll ? d && w : d || w;
  };
}

/** Every occurrence overlapping [from, to], oldest first. */
export function freezeOccurrences(rows: readonly FreezeRow[], from: number, to: number): FreezeOccurrence[] {
  const out: FreezeOccurrence[] = [];
  for (const w of rows) {
    if (w.kind === 'one_off') {
      if (w.startsAt && w.endsAt && w.startsAt.getTime() <= to && w.endsAt.getTime() >= from) out.push({ window: w, start: w.startsAt.getTime(), end: w.endsAt.getTime() });
      continue;
    }
    const match = w.cron ? cronMatcher(w.cron) : null;
    if (!match || !w.durationMin) continue;
    const len = w.durationMin * MINUTE;
    const lo = Math.max(w.startsAt?.getTime() ?? -Infinity, from - len);
    const hi = Math.min(w.endsAt?.getTime() ?? Infinity, to);
    let first = Math.ceil(lo / MINUTE) * MINUTE;
    if (hi - first > MAX_SCAN_MIN * MINUTE) first = Math.ceil((hi - MAX_SCAN_MIN * MINUTE) / MINUTE) * MINUTE;
    for (let t = first; t <= hi; t += MINUTE) {
      // A recurring window ends at its length or at its upper bound, whichever is first.
      if (match(new Date(t))) out.push({ window: w, start: t, end: Math.min(t + len, w.endsAt?.getTime() ?? Infinity) });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

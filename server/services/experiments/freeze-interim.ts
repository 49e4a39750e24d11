// STAND-IN for the domain engineer's server/domain/safety/freeze.ts `activeFreezes` (not yet on a
// branch this one can merge): which FreezeWindow rows are active at an instant. One-off windows by
// their bounds; recurring ones by a small 5-field UTC cron matcher (numbers, *, ranges, lists,
// steps) looking back over the window's length. run-checks.ts is the only caller: switching to the
// domain's function is a one-line change there.
import type { FreezeWindow } from '../../db/generated/client';

export interface ActiveFreeze {
  id: string;
  name: string;
  reason: string;
  startsAt: Date;
  endsAt: Date;
}

const RANGES = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
] as const;

function fieldMatches(src: string, v: number, [min, max]: readonly [number, number], dow = false): boolean {
  return src.split(',').some((part) => {
    const m = /^(\*|(\d{1,2})(?:-(\d{1,2}))?)(?:\/(\d{1,2}))?$/.exec(part);
    if (!m) return false;
    const lo = m[1] === '*' ? min : Number(m[2]);
    const hi = m[1] === '*' ? max : m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? max : lo;
    const step = Math.max(1, m[4] !== undefined ? Number(m[4]) : 1);
    for (let x = lo; x <= hi; x += step) if (x === v || (dow && x === 7 && v === 0)) return true;
    return false;
  });
}

/** Does the 5-field cron fire at this minute (UTC)? */
export function cronFiresAt(cron: string, at: Date): boolean {
  const f = cron.trim().split(/\s+/);
  if (f.length !== 5) return false;
  const domStar = f[2] === '*';
  const dowStar = f[4] === '*';
  const dom = fieldMatches(f[2]!, at.getUTCDate(), RANGES[2]);
  const dow = fieldMatches(f[4]!, at.getUTCDay(), RANGES[4], true);
  const day = domStar || dowStar ? dom && dow : dom || dow;
  return fieldMatches(f[0]!, at.getUTCMinutes(), RANGES[0]) && fieldMatches(f[1]!, at.getUTCHours(), RANGES[1]) && day && fieldMatches(f[3]!, at.getUTCMonth() + 1, RANGES[3]);
}

const MINUTE = 60_000;

export function activeFreezesAt(rows: readonly FreezeWindow[], now: Date): ActiveFreeze[] {
  const out: ActiveFreeze[] = [];
  for (const w of rows) {
    if (w.deletedAt) continue;
    if (w.kind === 'one_off') {
      if (w.startsAt && w.endsAt && w.startsAt <= now && now < w.endsAt) out.push({ id: w.id, name: w.name, reason: w.reason, startsAt: w.startsAt, endsAt: w.endsAt });
      continue;
    }
    if (!w.cron || !w.durationMin) continue;
    if ((w.startsAt && now < w.startsAt) || (w.endsAt && now >= w.endsAt)) continue;
    const minute = Math.floor(now.getTime() / MINUTE) * MINUTE;
    // The latest start within the window's length before now (at most a week of minutes).
    for (let k = 0; k < Math.min(w.durationMin, 7 * 24 * 60); k++) {
      const start = new Date(minute - k * MINUTE);
      if (!cronFiresAt(w.cron, start)) continue;
      const end = new Date(start.getTime() + w.durationMin * MINUTE);
      if (now < end) out.push({ id: w.id, name: w.name, reason: w.reason, startsAt: start, endsAt: end });
      break;
    }
  }
  return out.sort((a, b) => a.endsAt.getTime() - b.endsAt.getTime());
}

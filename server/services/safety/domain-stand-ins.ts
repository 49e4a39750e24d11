// Bridges to the domain engineer's functions (server/domain/safety/cron.ts, merged from h-domain)
// in the Date-based shape the safety services use, and a STAND-IN for server/domain/safety/freeze.ts
// `activeFreezes` (not on h-domain yet): every caller imports from here, so when it lands this file
// becomes a re-export and nothing else changes.
import { nextTimesOf, parseCron } from '../../domain/safety/cron';

export { parseCron };

/** The next `n` times (strictly after `from`, whole minutes, UTC) the cron fires; [] when it does not parse. */
export function cronTimesAfter(expr: string, from: Date, n: number): Date[] {
  return nextTimesOf(expr, from.getTime(), n).map((ms) => new Date(ms));
}

// ───────────── freeze windows ─────────────

export interface FreezeWindowLike {
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

export interface ActiveFreeze<W extends FreezeWindowLike = FreezeWindowLike> {
  window: W;
  /** This occurrence's start and end. */
  startsAt: Date;
  endsAt: Date;
}

/** The windows active at `at` that apply to `scope`, each with the occurrence's start and end. */
export function activeFreezes<W extends FreezeWindowLike>(windows: readonly W[], at: Date, scope: 'rollouts' | 'experiments'): ActiveFreeze<W>[] {
  const out: ActiveFreeze<W>[] = [];
  for (const w of windows) {
    if (scope === 'rollouts' ? !w.appliesToRollouts : !w.appliesToExperiments) continue;
    if (w.kind === 'one_off') {
      if (w.startsAt && w.endsAt && w.startsAt <= at && at < w.endsAt) out.push({ window: w, startsAt: w.startsAt, endsAt: w.endsAt });
      continue;
    }
    if (!w.cron || !w.durationMin) continue;
    if ((w.startsAt && at < w.startsAt) || (w.endsAt && at >= w.endsAt)) continue;
    const span = w.durationMin * 60_000;
    // The latest occurrence that started within the last `durationMin` (whole minutes): page
    // through the starts after (at − span) until one lies beyond `at`.
    let last: Date | undefined;
    let after = new Date(at.getTime() - span - 60_000);
    for (let page = 0; page < 20; page++) {
      const starts = cronTimesAfter(w.cron, after, 1000);
      for (const s of starts) if (s <= at && at.getTime() < s.getTime() + span) last = s;
      const tail = starts.at(-1);
      if (!tail || tail > at || starts.length < 1000) break;
      after = tail;
    }
    if (last) {
      const end = new Date(last.getTime() + span);
      out.push({ window: w, startsAt: last, endsAt: w.endsAt && w.endsAt < end ? w.endsAt : end });
    }
  }
  return out;
}

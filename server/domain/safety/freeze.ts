// Freeze windows: one-off (from, to) and recurring (a cron of each start, a length, optionally
// bounded by startsAt/endsAt). Inside a window that applies, experiment starts and rollout traffic
// increases are refused unless an approver overrides. These functions answer "is anything frozen
// now, and until when?" for the guards, and "when is it frozen?" for the timeline.
//
// A recurring window's occurrences are computed from its cron, never stored, so editing the cron
// moves every future occurrence at once. Overlapping occurrences of one window merge into one
// stretch (a window every hour lasting two hours is one long freeze, not many).
import { z } from 'zod';
import { name, text, timestamp } from '../inputs';
import { MAX_CRON_CHARS, MAX_CRON_TIMES, nextCronTimes, parseCron, type Cron } from './cron';

export const FREEZE_KINDS = ['one_off', 'recurring'] as const;
export type FreezeKind = (typeof FREEZE_KINDS)[number];
export const MAX_FREEZE_DURATION_MIN = 10_080;

export interface FreezeWindowValue {
  id: string;
  name: string;
  reason: string;
  kind: FreezeKind;
  /** one_off: the start. recurring: no occurrence counts before it (null = no bound). */
  startsAt: number | null;
  endsAt: number | null;
  /** recurring: 5-field cron (UTC) of each start. */
  cron: string | null;
  durationMin: number | null;
  appliesToRollouts: boolean;
  appliesToExperiments: boolean;
}

export interface FreezeOccurrence {
  window: FreezeWindowValue;
  from: number;
  to: number;
  /** The occurrences still overlap at `to` (MERGE_HORIZON_MS past `from`): the freeze lasts at least until then. */
  floor?: true;
}

interface Stretch {
  from: number;
  to: number;
  floor?: true;
}

export type FreezeApplies = 'rollouts' | 'experiments';

const MINUTE_MS = 60_000;
/** Occurrences one window contributes to a timeline at most, and all windows together. */
export const MAX_OCCURRENCES_PER_WINDOW = 200;
export const MAX_OCCURRENCES = 1000;

const applies = (w: FreezeWindowValue, what: FreezeApplies) => (what === 'rollouts' ? w.appliesToRollouts : w.appliesToExperiments);

const cronCache = new Map<string, Cron | null>();
function cronOf(expr: string): Cron | null {
  let c = cronCache.get(expr);
  if (c === undefined) {
    const p = parseCron(expr);
    c = p.ok ? p.cron : null;
    if (cronCache.size > 500) cronCache.clear();
    cronCache.set(expr, c);
  }
  return c;
}

/** Clip [from, to) to the window's optional bounds; null when nothing is left. */
function clip(w: FreezeWindowValue, from: number, to: number): { from: number; to: number } | null {
  const f = w.startsAt === null ? from : Math.max(from, w.startsAt);
  const t = w.endsAt === null ? to : Math.min(to, w.endsAt);
  return f < t ? { from: f, to: t } : null;
}

/**
 * How long a stretch of overlapping occurrences is followed before its end is reported as a floor
 * (a window that never lets go, such as every minute for an hour). Longer than any one occurrence.
 */
export const MERGE_HORIZON_MS = 31 * 24 * 60 * MINUTE_MS;
/** Cron starts one window examines at most per call: a minute cron over the horizon is 44 640. */
const MAX_STARTS = 50_000;

/**
 * The stretches [from, to) of one window that overlap [fromMs, toMs), merged where they touch,
 * in order, at most `max`. A stretch still growing at the horizon (or at the start budget) ends
 * there with `floor` set: it lasts at least that long.
 */
function windowStretches(w: FreezeWindowValue, fromMs: number, toMs: number, max: number): Stretch[] {
  if (w.kind === 'one_off') {
    if (w.startsAt === null || w.endsAt === null || !(w.startsAt < toMs && w.endsAt > fromMs)) return [];
    return [{ from: w.startsAt, to: w.endsAt }];
  }
  const c = w.cron === null ? null : cronOf(w.cron);
  if (c === null || w.durationMin === null || w.durationMin < 1) return [];
  const d = Math.min(w.durationMin, MAX_FREEZE_DURATION_MIN) * MINUTE_MS;
  const out: Stretch[] = [];
  // A start after fromMs − d is an occurrence still running after fromMs (or a later one).
  let after = Math.max(fromMs - d, w.startsAt === null ? -Infinity : w.startsAt - d);
  let open: Stretch | null = null;
  const close = () => {
    if (open && open.to > fromMs) out.push(open);
    open = null;
  };
  // Starts come in batches: a stretch of heavily overlapping occurrences (a minute cron lasting an
  // hour) grows by one start per minute, so following it one cron search per start would stop
  // after a few hundred minutes and report a freeze ending hours too early.
  let examined = 0;
  let done = false;
  while (!done && out.length < max) {
    if (examined >= MAX_STARTS) {
      if (open) open.floor = true;
      break;
    }
    const batch = nextCronTimes(c, after, MAX_CRON_TIMES);
    if (batch.length === 0) break;
    for (const s of batch) {
      examined++;
      if (s >= toMs || (w.endsAt !== null && s >= w.endsAt)) {
        done = true;
        break;
      }
      after = s;
      const piece = clip(w, s, s + d);
      if (piece === null) continue;
      if (open !== null && piece.from <= open.to) {
        open.to = Math.max(open.to, piece.to);
        if (open.to - open.from > MERGE_HORIZON_MS) {
          open.floor = true;
          done = true;
          break;
        }
      } else {
        close();
        if (out.length >= max) {
          done = true;
          break;
        }
        open = { ...piece };
      }
    }
  }
  if (out.length < max) close();
  return out;
}

/**
 * The windows that apply to `what` and are in force at `atMs`, soonest end first. `from` is the start
 * of the earliest occurrence covering atMs; `to` is when the freeze ends, following overlapping or
 * back-to-back occurrences forward (bounded: for a window that never lets go, a floor).
 */
export function activeFreezes(windows: readonly FreezeWindowValue[], atMs: number, what: FreezeApplies): FreezeOccurrence[] {
  const out: FreezeOccurrence[] = [];
  for (const w of windows) {
    if (!applies(w, what)) continue;
    // The first stretch still running after atMs; in force if it has begun.
    const [stretch] = windowStretches(w, atMs, Number.MAX_SAFE_INTEGER, 1);
    if (stretch && stretch.from <= atMs) out.push({ window: w, ...stretch });
  }
  return out.sort((a, b) => a.to - b.to || a.window.name.localeCompare(b.window.name));
}

/** Every window's stretches overlapping [fromMs, toMs), for the timeline; ordered by start, bounded. */
export function freezeOccurrences(windows: readonly FreezeWindowValue[], fromMs: number, toMs: number): FreezeOccurrence[] {
  const out: FreezeOccurrence[] = [];
  for (const w of windows) {
    for (const s of windowStretches(w, fromMs, toMs, MAX_OCCURRENCES_PER_WINDOW)) out.push({ window: w, ...s });
  }
  return out.sort((a, b) => a.from - b.from || a.window.name.localeCompare(b.window.name)).slice(0, MAX_OCCURRENCES);
}

/** A freeze in words, for refusals and holds: "freeze window “Black Friday” (peak sales) until 2026-11-30 06:00 UTC". */
export function freezeWords(f: FreezeOccurrence): string {
  const until = new Date(f.to).toISOString().slice(0, 16).replace('T', ' ');
  return `freeze window “${f.window.name}” (${f.window.reason}) until ${f.floor ? 'at least ' : ''}${until} UTC`;
}

const ms = () => timestamp().transform((d) => d.getTime());

/** What a person submits to create or edit a freeze window (the router's input; version apart). */
export const freezeWindowSchema = z
  .object({
    name: name(120),
    reason: text(500, { min: 1, required: 'Say why the window freezes changes' }),
    kind: z.enum(FREEZE_KINDS, { error: 'Kind: one_off or recurring' }),
    startsAt: ms().nullable().default(null),
    endsAt: ms().nullable().default(null),
    cron: text(MAX_CRON_CHARS).nullable().default(null),
    durationMin: z
      .number({ error: 'Duration: expected minutes' })
      .int('Duration: whole minutes')
      .min(1, 'Duration: at least 1 minute')
      .max(MAX_FREEZE_DURATION_MIN, `Duration: at most ${MAX_FREEZE_DURATION_MIN} minutes (a week)`)
      .nullable()
      .default(null),
    appliesToRollouts: z.boolean().default(true),
    appliesToExperiments: z.boolean().default(true),
  })
  .strict()
  .superRefine((w, ctx) => {
    if (!w.appliesToRollouts && !w.appliesToExperiments) ctx.addIssue({ code: 'custom', path: ['appliesToRollouts'], message: 'A freeze window applies to rollouts, experiments or both' });
    if (w.kind === 'one_off') {
      if (w.startsAt === null) ctx.addIssue({ code: 'custom', path: ['startsAt'], message: 'A one-off window needs a start' });
      if (w.endsAt === null) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'A one-off window needs an end' });
    } else {
      if (!w.cron) ctx.addIssue({ code: 'custom', path: ['cron'], message: 'A recurring window needs a cron of its starts (UTC), such as "0 22 * * fri"' });
      else {
        const p = parseCron(w.cron);
        if (!p.ok) ctx.addIssue({ code: 'custom', path: ['cron'], message: `Cron: ${p.error}` });
      }
      if (w.durationMin === null) ctx.addIssue({ code: 'custom', path: ['durationMin'], message: 'A recurring window needs a duration in minutes (1 to 10080)' });
    }
    if (w.startsAt !== null && w.endsAt !== null && w.endsAt <= w.startsAt) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'The end must be after the start' });
  })
  // A one-off window has no cron or duration (the table's shape constraint): drop what a form kept.
  .transform((w) => (w.kind === 'one_off' ? { ...w, cron: null, durationMin: null } : w));
export type FreezeWindowInput = z.output<typeof freezeWindowSchema>;

// The freeze-window form's draft and how it becomes the command's input, and a window in words.
// Pure (no React) so it is unit-tested. Times are typed in the zone the console shows (UTC or the
// browser's, the user's choice); cron expressions are UTC, as the server evaluates them.
import { nextTimesOf, parseCron } from '@/server/domain/safety/cron';
import { formatDateTime, fromZoneInput, toZoneInput, type DisplayZone, type Instant } from '@/components/ui/format-time';

export type FreezeKind = 'one_off' | 'recurring';

/** A window as the list returns it (structural: only what the form and the words read). */
export interface FreezeWindowView {
  id: string;
  name: string;
  reason: string;
  kind: FreezeKind;
  startsAt: Instant | null;
  endsAt: Instant | null;
  cron: string | null;
  durationMin: number | null;
  appliesToRollouts: boolean;
  appliesToExperiments: boolean;
  version: number;
}

export interface FreezeDraft {
  name: string;
  reason: string;
  kind: FreezeKind;
  /** datetime-local values in the display zone ("" when empty). */
  startsAt: string;
  endsAt: string;
  cron: string;
  durationMin: string;
  appliesToRollouts: boolean;
  appliesToExperiments: boolean;
}

export const EMPTY_DRAFT: FreezeDraft = {
  name: '',
  reason: '',
  kind: 'one_off',
  startsAt: '',
  endsAt: '',
  cron: '0 22 * * 5',
  durationMin: '120',
  appliesToRollouts: true,
  appliesToExperiments: true,
};

const ms = (t: Instant) => (typeof t === 'number' ? t : typeof t === 'string' ? Date.parse(t) : t.getTime());

export function draftOf(w: FreezeWindowView, zone: DisplayZone): FreezeDraft {
  return {
    name: w.name,
    reason: w.reason,
    kind: w.kind,
    startsAt: w.startsAt ? toZoneInput(ms(w.startsAt), zone) : '',
    endsAt: w.endsAt ? toZoneInput(ms(w.endsAt), zone) : '',
    cron: w.cron ?? '',
    durationMin: w.durationMin === null ? '' : String(w.durationMin),
    appliesToRollouts: w.appliesToRollouts,
    appliesToExperiments: w.appliesToExperiments,
  };
}

export interface FreezeInput {
  name: string;
  reason: string;
  kind: FreezeKind;
  startsAt: Date | null;
  endsAt: Date | null;
  cron: string | null;
  durationMin: number | null;
  appliesToRollouts: boolean;
  appliesToExperiments: boolean;
}

/**
 * The command's input from the draft, or the problems the form can see by itself (field → words);
 * the server checks everything again (cron syntax, bounds) and its words land on the same fields.
 */
export function inputOf(d: FreezeDraft, zone: DisplayZone): { input: FreezeInput } | { problems: Record<string, string> } {
  const problems: Record<string, string> = {};
  const at = (v: string, field: string, required: boolean): Date | null => {
    if (v === '') {
      if (required) problems[field] = 'Enter a date and time';
      return null;
    }
    const t = fromZoneInput(v, zone);
    if (t === null) problems[field] = 'Enter a date and time like 2026-12-24 18:00';
    return t === null ? null : new Date(t);
  };
  const oneOff = d.kind === 'one_off';
  const startsAt = at(d.startsAt, 'startsAt', oneOff);
  const endsAt = at(d.endsAt, 'endsAt', oneOff);
  if (startsAt && endsAt && endsAt <= startsAt) problems.endsAt = 'The window must end after it starts';
  let durationMin: number | null = null;
  if (!oneOff) {
    const cron = parseCron(d.cron);
    if (d.cron.trim() === '') problems.cron = 'Enter when each window starts, as a 5-field cron expression (UTC)';
    // The server's own parser: the same words it would answer with.
    else if (!cron.ok) problems.cron = `Cron: ${cron.error}`;
    const n = Number(d.durationMin);
    if (d.durationMin.trim() === '' || !Number.isInteger(n) || n < 1) problems.durationMin = 'Enter the length of each window in whole minutes (1 or more)';
    else durationMin = n;
  }
  if (!d.appliesToRollouts && !d.appliesToExperiments) problems.appliesTo = 'A window must apply to rollouts, experiments or both';
  if (Object.keys(problems).length > 0) return { problems };
  return {
    input: {
      name: d.name.trim(),
      reason: d.reason.trim(),
      kind: d.kind,
      startsAt,
      endsAt,
      cron: oneOff ? null : d.cron.trim(),
      durationMin,
      appliesToRollouts: d.appliesToRollouts,
      appliesToExperiments: d.appliesToExperiments,
    },
  };
}

/** "rollouts and experiments" / "rollouts only" / "experiments only" */
export function appliesToWords(w: Pick<FreezeWindowView, 'appliesToRollouts' | 'appliesToExperiments'>): string {
  if (w.appliesToRollouts && w.appliesToExperiments) return 'Rollout traffic increases and experiments';
  return w.appliesToRollouts ? 'Rollout traffic increases only' : 'Experiments only';
}

const minutes = (n: number) => (n % 60 === 0 ? `${n / 60} h` : n > 60 ? `${Math.floor(n / 60)} h ${n % 60} min` : `${n} min`);

/** When the window is, in words: its span (one-off) or its cron, length and bounds (recurring). */
export function whenWords(w: FreezeWindowView, zone: DisplayZone): string {
  if (w.kind === 'one_off') return `${w.startsAt ? formatDateTime(w.startsAt, zone) : '?'} → ${w.endsAt ? formatDateTime(w.endsAt, zone) : '?'}`;
  const bounds = [w.startsAt ? `from ${formatDateTime(w.startsAt, zone)}` : '', w.endsAt ? `until ${formatDateTime(w.endsAt, zone)}` : ''].filter(Boolean).join(' ');
  return `Every "${w.cron ?? '?'}" (UTC) for ${w.durationMin === null ? '?' : minutes(w.durationMin)}${bounds ? `, ${bounds}` : ''}`;
}

/** The next starts of a recurring draft while it is typed (empty when the cron does not parse). */
export function nextStarts(cron: string, now: number, n = 3): number[] {
  return nextTimesOf(cron, now, n);
}

/**
 * Which form field a server refusal is about. The API flattens the nested window's issues into
 * one list, so the words are matched to the field they name; anything else is said above the buttons.
 */
export function fieldOfServerMessage(message: string): keyof FreezeDraft | 'appliesTo' | null {
  if (/^Cron:|cron/i.test(message)) return 'cron';
  if (/^(Duration|Length)\b|duration in minutes|length in minutes/i.test(message)) return 'durationMin';
  if (/needs a start/i.test(message)) return 'startsAt';
  if (/needs an end|end must be after|must end after/i.test(message)) return 'endsAt';
  if (/applies to rollouts, experiments or both/i.test(message)) return 'appliesTo';
  if (/^Give a reason|Say why/i.test(message)) return 'reason';
  if (/name/i.test(message)) return 'name';
  return null;
}

// What the console says about halt-all: the effects the engage dialog promises, the banner's lines
// and who may press which button. Pure (no React, no tRPC) so it is unit-tested; the shapes are
// structural so they read `safety.status` as the router returns it.
import type { Role } from '@/server/db/generated/enums';
import { ROLE_OPTIONS } from '@/components/users/roles';
import { formatTime, type DisplayZone, type Instant } from '@/components/ui/format-time';

/** An engaged (or the last released) halt as the banner reads it. */
export interface HaltView {
  engagedAt: Instant;
  engagedByName: string;
  reason: string;
  /** Every fault the halt removed confirmed gone by the platform; null while some remain. */
  faultsClearedAt: Instant | null;
  /** Faults still in the platform (desired false, not yet confirmed removed); null when unknown. */
  faultsPending?: number | null;
}

/** What engaging does, in the order it happens: the dialog lists these before anyone confirms. */
export const HALT_EFFECTS = [
  'Every running experiment stops and its faults are removed from the platform.',
  'Every running rollout pauses where it is: no more traffic shifts to a canary.',
  'New experiment runs, rollout starts, resumes, promotions and step advances are refused, naming this halt.',
  'It stays engaged until an approver releases it with a reason; rollouts then stay paused until someone resumes them.',
] as const;

const atLeast = (role: Role, least: Role) => ROLE_OPTIONS.indexOf(role) >= ROLE_OPTIONS.indexOf(least);

/** Any operator may pull the lever; only an approver may let go of it. Viewers see the banner only. */
export const canEngageHalt = (role: Role) => atLeast(role, 'operator');
export const canReleaseHalt = (role: Role) => atLeast(role, 'approver');

/** "Halt-all engaged by alice at 01:02:03 UTC: database failover in progress" */
export function haltHeadline(h: HaltView, zone: DisplayZone, now: number = Date.now()): string {
  return `Halt-all engaged by ${h.engagedByName} at ${formatTime(h.engagedAt, zone, now)}: ${h.reason}`;
}

const ms = (t: Instant) => (typeof t === 'number' ? t : typeof t === 'string' ? Date.parse(t) : t.getTime());

/** How long engage → last fault removed took, in the unit a person reads best. */
export function clearDuration(engagedAt: Instant, clearedAt: Instant): string {
  const d = Math.max(0, ms(clearedAt) - ms(engagedAt));
  return d < 10_000 ? `${d} ms` : `${Math.round(d / 1000)} s`;
}

/**
 * The banner's second line: faults still being removed (with their number when the server says it),
 * then when the last one went. New runs stay refused either way, so that is said too.
 */
export function faultProgress(h: HaltView, zone: DisplayZone, now: number = Date.now()): string {
  if (h.faultsClearedAt) {
    return `All faults removed at ${formatTime(h.faultsClearedAt, zone, now)} (${clearDuration(h.engagedAt, h.faultsClearedAt)} after engaging). Rollouts are paused; new runs and steps are refused.`;
  }
  const n = h.faultsPending;
  const tail = 'Rollouts are paused; new runs and steps are refused.';
  // Every row the halt marked is confirmed removed by the platform; the time is recorded separately.
  if (n === 0) return `Every fault the halt stopped is removed from the platform. ${tail}`;
  const what = n === null || n === undefined ? 'Faults are still being removed' : `${n} fault${n === 1 ? ' is' : 's are'} still being removed`;
  return `${what}… ${tail}`;
}

// A guard hold in words (server/domain/rollouts/guards.ts GuardHold carries its own `words`).
import type { GuardHoldView } from './contract';

export function guardText(h: GuardHoldView): string {
  return h.words || `${h.guard} in ${h.zone}: ${h.instance} at ${h.value} (holds at ${h.threshold})`;
}

/** The holds recorded on a step run (`heldBy` json: a list, or one hold), as words. */
export function heldByText(heldBy: unknown): string[] {
  if (!heldBy) return [];
  const list: unknown[] = Array.isArray(heldBy) ? heldBy : [heldBy];
  return list.filter((h): h is GuardHoldView => !!h && typeof h === 'object' && typeof (h as GuardHoldView).words === 'string').map(guardText);
}

// A guard hold in words, whatever fields the guard carries (server/domain/rollouts/guards.ts).
import type { GuardHoldView } from './contract';

const num = (v: unknown) => (typeof v === 'number' ? (Math.abs(v) < 1 && v !== 0 ? `${Math.round(v * 1000) / 10} %` : String(Math.round(v * 100) / 100)) : typeof v === 'string' ? v : null);

export function guardText(h: GuardHoldView | Record<string, unknown>): string {
  const g = h as GuardHoldView;
  if (typeof g.message === 'string' && g.message) return g.message;
  if (typeof g.summary === 'string' && g.summary) return g.summary;
  const what = g.guard ?? g.kind ?? 'guard';
  const where = [g.zone ? `zone ${g.zone}` : null, g.instance ? `instance ${g.instance}` : null].filter(Boolean).join(', ');
  const value = num(g.value);
  const threshold = num(g.threshold);
  return `${what}${where ? ` in ${where}` : ''}${value ? `: ${value}` : ''}${threshold ? ` (holds at ${threshold})` : ''}`;
}

/** The holds recorded on a step run (`heldBy` json: one hold or a list), as words. */
export function heldByText(heldBy: unknown): string[] {
  if (!heldBy) return [];
  const list = Array.isArray(heldBy) ? heldBy : [heldBy];
  return list.filter((h): h is Record<string, unknown> => !!h && typeof h === 'object').map(guardText);
}

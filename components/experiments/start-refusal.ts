// Which override a refused start can take: a topology guard or a freeze window (an approver may
// override either with a reason), or neither (halt, blast radius, adapter: no override). Pure.
import { errorCode } from '@/components/trpc/errors';

export type OverrideKind = 'guard' | 'freeze';

export function overridableRefusal(error: unknown): OverrideKind | null {
  if (!error) return null;
  const code = errorCode(error);
  if (code !== 'PRECONDITION_FAILED' && code !== 'CONFLICT' && code !== 'FORBIDDEN' && code !== 'BAD_REQUEST') return null;
  const details = (error as { data?: { details?: unknown } }).data?.details;
  if (details && typeof details === 'object') {
    const d = details as Record<string, unknown>;
    // startRun's refusals: `holds` (topology guards) or `freezes` (windows) in the details.
    if (Array.isArray(d.holds) && d.holds.length) return 'guard';
    if (Array.isArray(d.freezes) && d.freezes.length) return 'freeze';
    const kind = d.override ?? d.refusal ?? d.kind;
    if (kind === 'guard' || kind === 'freeze') return kind;
    if (kind === 'frozen') return 'freeze';
  }
  const message = error instanceof Error ? error.message : '';
  // A halt is never overridden from here: it is released on the halt control.
  if (/halt/i.test(message)) return null;
  if (/freeze window|frozen/i.test(message)) return 'freeze';
  if (/guard/i.test(message)) return 'guard';
  return null;
}

/**
 * The overrides a start needs so far. A freeze is checked before the guards, so a start inside a
 * window that a guard also holds is refused twice: the second refusal adds to the first (sending
 * only the newest would be refused for the first again, back and forth).
 */
export function withOverride(kinds: readonly OverrideKind[], kind: OverrideKind | null): OverrideKind[] {
  const all = kind && !kinds.includes(kind) ? [...kinds, kind] : [...kinds];
  // Freeze first, as the server checks them and as the words read.
  return all.sort((a, b) => (a === b ? 0 : a === 'freeze' ? -1 : 1));
}

/** "the freeze window and the guard" — what the override button and hint name. */
export function overrideWords(kinds: readonly OverrideKind[], long = false): string {
  return kinds.map((k) => (k === 'freeze' ? 'the freeze window' : long ? 'the topology guard' : 'the guard')).join(' and ');
}

/** experiments.start's override fields: the one reason for every override needed. */
export function overrideInput(kinds: readonly OverrideKind[], reason: string): { guardOverrideReason?: string; freezeOverrideReason?: string } {
  return { ...(kinds.includes('guard') ? { guardOverrideReason: reason } : {}), ...(kinds.includes('freeze') ? { freezeOverrideReason: reason } : {}) };
}

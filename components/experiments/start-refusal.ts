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

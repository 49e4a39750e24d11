// The halt checks every command and the reconcilers ask (kept apart from halt.ts, which imports
// the run commands, so the run commands can import these without a cycle).
import type { DbOrTx } from '../../db/client';
import type { Halt } from '../../db/generated/client';
import { AppError } from '../../errors';

const utc = (d: Date) => `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 19)} UTC`;

/** "halt-all engaged by alice at 2026-12-02 01:00:00 UTC: “db failover”" */
export function haltWords(h: Pick<Halt, 'engagedByName' | 'engagedAt' | 'reason'>): string {
  return `halt-all engaged by ${h.engagedByName} at ${utc(h.engagedAt)}: “${h.reason}”`;
}

/** The engaged halt, or null. */
export function activeHalt(q: DbOrTx): Promise<Halt | null> {
  return q.halt.findFirst({ where: { releasedAt: null } });
}

/**
 * Refuses `what` while halt-all is engaged, naming who engaged it, when and why. Commands call it
 * inside their transaction (rollout start / resume / promote, experiment start).
 */
export async function assertNotHalted(q: DbOrTx, what: string): Promise<void> {
  const h = await activeHalt(q);
  if (h) throw new AppError('CONFLICT', `${what} refused: ${haltWords(h)}. An approver releases the halt.`, undefined, { haltId: h.id, engagedBy: h.engagedByName, engagedAt: h.engagedAt.toISOString(), reason: h.reason });
}


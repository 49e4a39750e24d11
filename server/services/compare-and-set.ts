// Compare-and-set for every row people edit (it carries `version`), and the conflict its loser
// reads. The editor sends the version it was opened with; the write applies only where the row is
// still at that version. After a lost race the row is read again — in READ COMMITTED a new
// statement sees the winner's commit — so the message names the version that is really current
// and who made it, never the number this transaction happened to read first.
import type { Tx } from '../db/client';
import { AppError, notFound } from '../errors';

export interface VersionedRow {
  /** The audit target type and id of the row ('service', its id). */
  type: string;
  id: string;
  /** How a person names it: `Service "api"`. */
  label: string;
}

export interface CurrentRow {
  version: number;
  /** What the row holds now, for the editor to show next to the user's own values. */
  values: Record<string, unknown>;
  /** Who made the current version and when, when the row's own history knows (policy versions do). */
  changedBy?: string | null;
  changedAt?: Date | null;
}

export interface StaleSpec {
  row: VersionedRow;
  /** The version the editor was opened with. */
  expected: number;
  /** Audit actions that move this row's version: the newest of them names the current author. */
  versionActions: readonly string[];
  /** More for the editor, e.g. a policy's field-by-field differences. */
  details?: (now: CurrentRow) => Promise<Record<string, unknown>> | Record<string, unknown>;
}

export interface CasSpec extends StaleSpec {
  /** The write, guarded by `version = expected` (and moving it on); how many rows it changed. */
  write: () => Promise<{ count: number }>;
  /** Reads the row as it is now; null when it was deleted. */
  current: () => Promise<CurrentRow | null>;
}

/** Runs the guarded write; a lost race throws the conflict naming the current version and author. */
export async function compareAndSet(tx: Tx, spec: CasSpec): Promise<void> {
  const { count } = await spec.write();
  if (count > 0) return;
  const now = await spec.current();
  if (!now) throw notFound(spec.row.label);
  throw await staleVersionError(tx, spec, now);
}

/** A timestamp every reader can place: the UI shows it in the user's zone from `details.changedAt`. */
const utc = (d: Date) => `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 19)} UTC`;

/**
 * "Service "api" was changed by alice at 2026-05-01 18:42:05 UTC — it is now version 11; your edit
 * was based on version 9." with the current values in `details` for the editor.
 */
export async function staleVersionError(tx: Tx, spec: StaleSpec, now: CurrentRow): Promise<AppError> {
  let { changedBy, changedAt } = now;
  if (changedBy === undefined) {
    const last = await tx.auditEvent.findFirst({
      where: { targetType: spec.row.type, targetId: spec.row.id, action: { in: [...spec.versionActions] } },
      orderBy: { id: 'desc' },
      select: { actorName: true, at: true },
    });
    changedBy = last?.actorName ?? null;
    changedAt = last?.at ?? null;
  }
  const by = changedBy ? ` by ${changedBy}${changedAt ? ` at ${utc(changedAt)}` : ''}` : '';
  const message =
    now.version === spec.expected
      ? `${spec.row.label} was being changed at the same moment${by}. Try again.`
      : `${spec.row.label} was changed${by} — it is now version ${now.version}; your edit was based on version ${spec.expected}. Review the current values, then apply yours again.`;
  return new AppError('CONFLICT', message, undefined, {
    currentVersion: now.version,
    expectedVersion: spec.expected,
    changedBy: changedBy ?? null,
    changedAt: changedAt ? changedAt.toISOString() : null,
    current: now.values,
    ...(spec.details ? await spec.details(now) : {}),
  });
}

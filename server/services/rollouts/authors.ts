// Who authored a rollout: its creator, everyone who edited its spec and everyone who started any
// of its attempts. An author may not decide its approvals nor promote-full past them (SPEC §6.2).
// Derived from the audit rows those commands write in their own transaction, so an edit or an
// earlier start is never forgotten when a retry overwrites startedById.
import type { DbOrTx } from '../../db/client';
import type { Rollout } from '../../db/generated/client';

const AUTHORING = ['rollout.create', 'rollout.update', 'rollout.start', 'rollout.retry'];

/** The author ids of each rollout in `rollouts` (the row's creator and starter included). */
export async function authorIdsOf(db: DbOrTx, rollouts: ReadonlyArray<Pick<Rollout, 'id' | 'createdById' | 'startedById'>>): Promise<Map<string, string[]>> {
  const rows = rollouts.length === 0 ? [] : await db.auditEvent.findMany({
    where: { targetType: 'rollout', targetId: { in: rollouts.map((r) => r.id) }, action: { in: AUTHORING }, actorId: { not: null } },
    select: { targetId: true, actorId: true },
    distinct: ['targetId', 'actorId'],
  });
  const out = new Map<string, string[]>();
  for (const r of rollouts) {
    const ids = new Set([r.createdById, r.startedById, ...rows.filter((a) => a.targetId === r.id).map((a) => a.actorId)]);
    ids.delete(null);
    out.set(r.id, [...ids] as string[]);
  }
  return out;
}

export async function authorIds(db: DbOrTx, r: Pick<Rollout, 'id' | 'createdById' | 'startedById'>): Promise<string[]> {
  return (await authorIdsOf(db, [r])).get(r.id) ?? [];
}

import { z } from 'zod';
import type { Db } from '../../db/client';
import type { Prisma } from '../../db/generated/client';
import { numericId, timestamp, token } from '../../domain/inputs';

export const listAuditInput = z.object({
  actor: token(64).optional(),
  action: token(64).optional(),
  targetType: token(32).optional(),
  q: token(100).optional(),
  from: timestamp().optional(),
  to: timestamp().optional(),
  /** Id of the last row of the previous page (rows are newest first). */
  cursor: numericId().optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

export async function listAudit(db: Db, input: z.input<typeof listAuditInput>) {
  const f = listAuditInput.parse(input);
  const where: Prisma.AuditEventWhereInput = {
    ...(f.actor ? { actorName: f.actor } : {}),
    ...(f.action ? { action: f.action } : {}),
    ...(f.targetType ? { targetType: f.targetType } : {}),
    ...(f.q ? { OR: [{ targetName: { contains: f.q, mode: 'insensitive' } }, { action: { contains: f.q, mode: 'insensitive' } }] } : {}),
    ...(f.from || f.to ? { at: { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lte: f.to } : {}) } } : {}),
    ...(f.cursor ? { id: { lt: BigInt(f.cursor) } } : {}),
  };
  const rows = await db.auditEvent.findMany({ where, orderBy: { id: 'desc' }, take: f.limit + 1 });
  const page = rows.slice(0, f.limit);
  return {
    items: page.map((r) => ({ ...r, id: r.id.toString() })),
    nextCursor: rows.length > f.limit ? page[page.length - 1]!.id.toString() : null,
  };
}

/** Values for the filter drop-downs. */
export async function listAuditFacets(db: Db) {
  const [actions, types, actors] = await Promise.all([
    db.auditEvent.findMany({ distinct: ['action'], select: { action: true }, orderBy: { action: 'asc' } }),
    db.auditEvent.findMany({ distinct: ['targetType'], select: { targetType: true }, orderBy: { targetType: 'asc' } }),
    db.auditEvent.findMany({ distinct: ['actorName'], select: { actorName: true }, orderBy: { actorName: 'asc' } }),
  ]);
  return { actions: actions.map((a) => a.action), targetTypes: types.map((t) => t.targetType), actors: actors.map((a) => a.actorName) };
}

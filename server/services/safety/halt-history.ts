// Every halt so far, newest first, for the Safety page's history: who engaged it and why, when the
// platform confirmed the last fault gone, and who released it and why.
import { z } from 'zod';
import type { Db } from '../../db/client';

export const haltHistoryInput = z.object({ limit: z.number().int().min(1).max(200).default(20) }).strict().default({ limit: 20 });

export async function haltHistory(db: Db, input: z.input<typeof haltHistoryInput>) {
  const { limit } = haltHistoryInput.parse(input);
  const rows = await db.halt.findMany({ orderBy: { engagedAt: 'desc' }, take: limit });
  return rows.map((h) => ({
    id: h.id,
    engagedAt: h.engagedAt,
    engagedByName: h.engagedByName,
    reason: h.reason,
    faultsClearedAt: h.faultsClearedAt,
    releasedAt: h.releasedAt,
    releasedByName: h.releasedByName,
    releaseReason: h.releaseReason,
  }));
}

// Halts and freeze windows on the one timeline (kind `safety`): halt-all engaged / released, and
// each freeze window's start and end (every occurrence of a recurring one within the range). They
// are fleet-wide, so a topology filter keeps them (as it keeps global policies); one instance's
// timeline leaves them out, as it leaves out rollouts.
import type { Db } from '../../db/client';
import { freezeOccurrences } from '../../domain/safety/freeze';
import { windowValue } from '../safety/freeze';
import type { TimelineEvent } from './timeline';

const event = (id: string, at: Date, title: string, detail: string, actor: string | null): TimelineEvent => ({ id, at: at.getTime(), kind: 'safety', title, detail, instance: null, actor, trigger: null });

export async function safetyTimelineEvents(db: Db, from: Date, to: Date, limit: number): Promise<TimelineEvent[]> {
  const halts = await db.halt.findMany({
    where: { OR: [{ engagedAt: { gte: from, lte: to } }, { releasedAt: { gte: from, lte: to } }] },
    orderBy: { engagedAt: 'desc' },
    take: limit,
  });
  const out: TimelineEvent[] = [];
  for (const h of halts) {
    if (h.engagedAt >= from && h.engagedAt <= to) out.push(event(`h${h.id}:e`, h.engagedAt, 'Halt-all engaged', `by ${h.engagedByName}: ${h.reason}`, h.engagedByName));
    if (h.releasedAt && h.releasedAt >= from && h.releasedAt <= to) out.push(event(`h${h.id}:r`, h.releasedAt, 'Halt-all released', `by ${h.releasedByName ?? '?'}: ${h.releaseReason ?? ''}`, h.releasedByName));
  }
  const windows = await db.freezeWindow.findMany({ where: { OR: [{ deletedAt: null }, { deletedAt: { gt: from } }] }, take: 1000 });
  const byId = new Map(windows.map((w) => [w.id, w]));
  // The domain's occurrences (overlapping ones merged into one stretch, bounded per window).
  for (const o of freezeOccurrences(windows.map(windowValue), from.getTime(), to.getTime())) {
    const w = byId.get(o.window.id)!;
    const applies = [w.appliesToRollouts ? 'rollouts' : null, w.appliesToExperiments ? 'experiments' : null].filter(Boolean).join(' and ');
    if (w.deletedAt && w.deletedAt.getTime() <= o.from) continue;
    const start = new Date(o.from);
    const end = new Date(o.to);
    if (start >= from && start <= to) out.push(event(`f${w.id}:${o.from}:s`, start, `Freeze window “${w.name}” starts`, `${w.reason} — ${applies} frozen`, w.createdByName));
    if (!o.floor && end >= from && end <= to) out.push(event(`f${w.id}:${o.from}:e`, end, `Freeze window “${w.name}” ends`, w.reason, w.createdByName));
  }
  return out.sort((a, b) => b.at - a.at).slice(0, limit);
}

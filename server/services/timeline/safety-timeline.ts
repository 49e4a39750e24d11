// Halts and freeze windows on the one timeline (kind `safety`): halt-all engaged / released, and
// each freeze window's start and end (every occurrence of a recurring one within the range). They
// are fleet-wide, so a topology filter keeps them (as it keeps global policies); one instance's
// timeline leaves them out, as it leaves out rollouts.
import type { Db } from '../../db/client';
import { cronTimesAfter } from '../safety/domain-stand-ins';
import type { TimelineEvent } from './timeline';

/** Occurrences of one recurring window drawn at most (a 1-minute cron over a month would be 43,200). */
const MAX_OCCURRENCES = 500;

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
  for (const w of windows) {
    const applies = [w.appliesToRollouts ? 'rollouts' : null, w.appliesToExperiments ? 'experiments' : null].filter(Boolean).join(' and ');
    const occurrences: Array<{ start: Date; end: Date }> = [];
    if (w.kind === 'one_off' && w.startsAt && w.endsAt) occurrences.push({ start: w.startsAt, end: w.endsAt });
    if (w.kind === 'recurring' && w.cron && w.durationMin) {
      const span = w.durationMin * 60_000;
      for (const start of cronTimesAfter(w.cron, new Date(from.getTime() - span), MAX_OCCURRENCES)) {
        if (start > to) break;
        if ((w.startsAt && start < w.startsAt) || (w.endsAt && start >= w.endsAt)) continue;
        occurrences.push({ start, end: new Date(start.getTime() + span) });
      }
    }
    for (const o of occurrences) {
      if (w.deletedAt && w.deletedAt <= o.start) continue;
      if (o.start >= from && o.start <= to) out.push(event(`f${w.id}:${o.start.getTime()}:s`, o.start, `Freeze window “${w.name}” starts`, `${w.reason} — ${applies} frozen`, w.createdByName));
      if (o.end >= from && o.end <= to) out.push(event(`f${w.id}:${o.start.getTime()}:e`, o.end, `Freeze window “${w.name}” ends`, w.reason, w.createdByName));
    }
  }
  return out.sort((a, b) => b.at - a.at).slice(0, limit);
}

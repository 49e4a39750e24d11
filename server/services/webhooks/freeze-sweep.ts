// freeze_started: a minute sweep (cron) finds windows whose current stretch has begun and whose
// start was not announced yet (startNotifiedAt before that start), announces it and records the
// start — in one transaction per window, so a crash announces it at the next sweep, never twice.
import type { Db } from '../../db/client';
import { activeFreezesOf, liveWindows } from '../safety/freeze';
import { emitWebhookEvent } from './emit';
import { consoleLink } from './links';

export async function sweepFreezeStarts(db: Db, now: Date = new Date()): Promise<{ announced: number }> {
  const windows = await liveWindows(db);
  const starts = new Map<string, { from: Date; to: Date }>();
  for (const f of [...activeFreezesOf(windows, now, 'rollouts'), ...activeFreezesOf(windows, now, 'experiments')]) {
    const seen = starts.get(f.window.id);
    if (!seen || f.startsAt < seen.from) starts.set(f.window.id, { from: f.startsAt, to: f.endsAt });
  }
  let announced = 0;
  for (const [id, { from, to }] of starts) {
    const done = await db.$transaction(async (tx) => {
      // The row lock makes two sweeps (two workers) take turns: the second sees startNotifiedAt set.
      await tx.$queryRaw`SELECT id FROM "FreezeWindow" WHERE id = ${id}::uuid FOR UPDATE`;
      const w = await tx.freezeWindow.findUnique({ where: { id } });
      if (!w || w.deletedAt || (w.startNotifiedAt && w.startNotifiedAt >= from)) return false;
      await tx.freezeWindow.update({ where: { id }, data: { startNotifiedAt: from } });
      await emitWebhookEvent(
        tx,
        'freeze_started',
        { windowId: w.id, window: w.name, reason: w.reason, startsAt: from.toISOString(), endsAt: to.toISOString(), appliesToRollouts: w.appliesToRollouts, appliesToExperiments: w.appliesToExperiments, link: consoleLink('/safety') },
        from,
      );
      return true;
    });
    if (done) announced++;
  }
  return { announced };
}

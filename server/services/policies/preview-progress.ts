// A what-if preview's progress, for the console's progress bar: a preview at fleet scale takes
// seconds to tens of seconds, and one request cannot say how far it has got. The tab names the
// preview with a key it made; the web process that replays writes (done, total) under it, and the
// tab polls it. The row lives in PostgreSQL because the poll may reach another web process.
import { z } from 'zod';
import type { Db } from '../../db/client';

export const previewProgressInput = z.object({ key: z.uuid('A preview key is a UUID') });

/** At most one write per this many ms: the replay reports after every few instances. */
const WRITE_EVERY_MS = 400;
/** Rows older than this were left by a process that died mid-preview. */
const STALE_MS = 60 * 60_000;

export type ProgressReport = (done: number, total: number) => void;

/**
 * Runs `work` with a reporter that keeps the key's row current, and removes the row when the work
 * ends, however it ends. Progress is for the eye: a failed write never fails the preview. Another
 * user's row under the same key is left alone (every write and the read name the user).
 */
export async function withPreviewProgress<T>(db: Db, userId: string, key: string | undefined, work: (report: ProgressReport | undefined) => Promise<T>): Promise<T> {
  if (key === undefined) return work(undefined);
  await db.previewProgress.deleteMany({ where: { updatedAt: { lt: new Date(Date.now() - STALE_MS) } } });
  await db.previewProgress.createMany({ data: [{ key, userId, done: 0, total: 0 }], skipDuplicates: true });
  let lastWrite = 0;
  let writing: Promise<unknown> = Promise.resolve();
  let latest: { done: number; total: number } | null = null;
  const report: ProgressReport = (done, total) => {
    latest = { done, total };
    const now = Date.now();
    if (now - lastWrite < WRITE_EVERY_MS && done < total) return;
    lastWrite = now;
    // One write at a time, each with the newest figures: a slow write never queues stale ones.
    writing = writing.then(async () => {
      const data = latest!;
      await db.previewProgress.updateMany({ where: { key, userId }, data }).catch(() => undefined);
    });
  };
  try {
    return await work(report);
  } finally {
    await writing;
    await db.previewProgress.deleteMany({ where: { key, userId } }).catch(() => undefined);
  }
}

/** How far the caller's preview under `key` has got; null before it starts and after it ends. */
export async function readPreviewProgress(db: Db, userId: string, input: z.infer<typeof previewProgressInput>) {
  const row = await db.previewProgress.findFirst({ where: { key: input.key, userId }, select: { done: true, total: true } });
  return row ?? null;
}

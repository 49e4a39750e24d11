// Starts the what-if preview's replay thread before the first large preview needs it: the editor
// asks once its user starts a draft. The thread's start (about half a second on a quiet machine,
// seconds on a busy one: 6.2 s for a first preview of 1,000 instances against 2.4 s for the next,
// at load 10) is then paid while the user edits, not by the preview they wait for.
import type { Db } from '../../db/client';
import { env } from '../../env';
import { replayThread } from './replay-thread-pool';

/** Whether the replay thread is running for the previews to come (false: this fleet's previews replay in one thread). */
export async function warmPreview(db: Db): Promise<{ thread: boolean }> {
  const from = env().SWITCHBACK_PREVIEW_THREAD_FROM;
  // The console's choice (replayWindow): a fleet below the threshold previews in one thread.
  if (from <= 0 || (await db.instance.count()) < from) return { thread: false };
  return { thread: (await replayThread()) !== null };
}

// Starts the what-if preview's replay thread before the first large preview needs it: the editor
// asks once its user starts a draft. The thread's start (about half a second on a quiet machine,
// seconds on a busy one: 6.2 s for a first preview of 1,000 instances against 2.4 s for the next,
// at load 10) is then paid while the user edits, not by the preview they wait for.
import type { z } from 'zod';
import type { Db } from '../../db/client';
import { env } from '../../env';
import { policyRef } from './policies';
import { previewInstancesWhere } from './policy-preview';
import { replayThread } from './replay-thread-pool';

export const warmPreviewInput = policyRef;

/**
 * Whether the replay thread is running for the previews of this draft to come: false when they
 * would replay in one thread (fewer instances in the draft's scope than
 * SWITCHBACK_PREVIEW_THREAD_FROM, the thread turned off, or a kind with nothing to replay).
 */
export async function warmPreview(db: Db, input: z.input<typeof warmPreviewInput>): Promise<{ thread: boolean }> {
  const { kind, scope } = warmPreviewInput.parse(input);
  const from = env().SWITCHBACK_PREVIEW_THREAD_FROM;
  if (from <= 0 || kind === 'strategy') return { thread: false };
  const serviceId = scope === 'global' ? null : scope.slice('service:'.length);
  const overridden = serviceId ? [] : (await db.policy.findMany({ where: { kind, serviceId: { not: null } }, select: { serviceId: true } })).map((p) => p.serviceId!);
  // The console's choice (replayWindow): a preview of fewer instances replays in one thread.
  if ((await db.instance.count({ where: previewInstancesWhere(serviceId, overridden) })) < from) return { thread: false };
  return { thread: (await replayThread()) !== null };
}

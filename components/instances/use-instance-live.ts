'use client';

import { notifyManager, skipToken, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useEffect, useRef } from 'react';
import type { InstanceTickPayload } from '@/server/services/telemetry/telemetry-live';
import type { InstanceDetail, InstanceSeries } from '@/server/services/telemetry/telemetry-read';
import { useTRPC } from '@/components/trpc/client';
import { updateCached } from '@/components/telemetry/cache';
import { LIVE_WINDOW_S } from '@/components/telemetry/time-range';
import { mergeInstanceDetail, mergeInstanceSeries } from './live-merge';
import { useResubscribeOnError } from '@/components/ui/use-resubscribe';

const WINDOW_MS = LIVE_WINDOW_S * 1000;
/** Ticks kept to replay into a live series that (re)loads after they arrived. */
const BUFFER = 400;
/**
 * The instance's live feed, merged into the cached detail (always: the header shows "now" in every
 * range) and into the cached live series (when the page has one). The feed starts after
 * `startAfter`, the tick the page's data already has, so nothing falls between the two; a reconnect
 * resumes after the last tick received (httpSubscriptionLink resends it).
 */
export function useInstanceLive(name: string, instanceId: string | undefined, startAfter: string | null | undefined, liveSeries: InstanceSeries | undefined) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const buffer = useRef<InstanceTickPayload[]>([]);
  const detailKey = trpc.telemetry.instance.queryKey({ name });
  const seriesKey = instanceId ? trpc.telemetry.instanceSeries.queryKey({ instanceId, range: { lastS: LIVE_WINDOW_S } }) : null;
  const keys = useRef({ detailKey, seriesKey });
  keys.current = { detailKey, seriesKey };

  const sub = useSubscription(
    trpc.telemetry.instanceLive.subscriptionOptions(instanceId && startAfter !== undefined ? { instanceId, lastEventId: startAfter, windowS: LIVE_WINDOW_S } : skipToken, {
      onData: (tracked) => {
        const p = tracked.data;
        buffer.current.push(p);
        if (buffer.current.length > BUFFER) buffer.current.splice(0, buffer.current.length - BUFFER);
        // One batch: the page renders once per tick, not once per query it changes.
        notifyManager.batch(() => {
          updateCached<InstanceDetail>(qc, keys.current.detailKey, (d) => mergeInstanceDetail(d, p));
          if (keys.current.seriesKey) updateCached<InstanceSeries>(qc, keys.current.seriesKey, (s) => mergeInstanceSeries(s, p, WINDOW_MS));
        });
      },
    }),
  );

  // A live series that loaded (or reloaded) after some ticks arrived gets them now; merges are idempotent.
  useEffect(() => {
    const key = keys.current.seriesKey;
    if (!liveSeries || !key) return;
    notifyManager.batch(() => {
      for (const p of buffer.current) updateCached<InstanceSeries>(qc, key, (s) => mergeInstanceSeries(s, p, WINDOW_MS));
    });
  }, [liveSeries, qc]);

  useResubscribeOnError(sub);

  return sub;
}

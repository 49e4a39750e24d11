'use client';

import { skipToken, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useRef } from 'react';
import { useTRPC } from '@/components/trpc/client';
import { useResubscribeOnError } from '@/components/ui/use-resubscribe';

/**
 * Refetches the queries under `keys` when the worker commits a tick (the tick SSE), at most once
 * per `minGapMs`. Returns whether the feed is connected, so a page can fall back to polling.
 * With no keys (e.g. a finished rollout, whose page no tick changes) no stream is opened at all:
 * a page receives only the feeds it shows.
 */
export function useTickRefresh(keys: QueryKey[], minGapMs = 1000): boolean {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const current = useRef(keys);
  current.current = keys;
  const last = useRef(0);
  const sub = useSubscription(
    trpc.telemetry.ticks.subscriptionOptions(keys.length ? undefined : skipToken, {
      onData: () => {
        const now = Date.now();
        if (now - last.current < minGapMs) return;
        last.current = now;
        for (const queryKey of current.current) void qc.invalidateQueries({ queryKey });
      },
    }),
  );
  useResubscribeOnError(sub);
  return sub.status === 'pending';
}

'use client';

import { skipToken, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useEffect, useState } from 'react';
import { useTRPC } from '@/components/trpc/client';
import { useResubscribeOnError } from '@/components/ui/use-resubscribe';

/** The service graph of the latest tick, replaced by each tick's graph from the live feed. */
export function useServiceGraph() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const key = trpc.serviceGraph.get.queryKey();
  const query = useQuery(trpc.serviceGraph.get.queryOptions());

  // The feed starts after the first graph's tick and keeps that input (changing it would
  // resubscribe every tick); reconnects resume via the tracked ids.
  const [startAfter, setStartAfter] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    if (startAfter === undefined && query.data) setStartAfter(query.data.tickId);
  }, [startAfter, query.data]);

  const sub = useSubscription(
    trpc.serviceGraph.live.subscriptionOptions(startAfter !== undefined ? { lastEventId: startAfter } : skipToken, {
      onData: (tracked) => qc.setQueryData(key, tracked.data),
    }),
  );
  useResubscribeOnError(sub);
  return { query, liveStatus: sub.status };
}

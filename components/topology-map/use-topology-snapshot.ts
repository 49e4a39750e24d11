'use client';

import { skipToken, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useEffect, useState } from 'react';
import { useTRPC } from '@/components/trpc/client';
import { useResubscribeOnError } from '@/components/ui/use-resubscribe';

/**
 * The topology snapshot of the latest tick, kept current by the live feed. The placement view and
 * anything else that draws the fleet read it through this hook, so how the feed travels (whole
 * snapshots or deltas) is this file's business only.
 */
export function useTopologySnapshot() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const snapshotKey = trpc.topologyMap.snapshot.queryKey();
  const query = useQuery(trpc.topologyMap.snapshot.queryOptions());

  // The feed starts after the tick the first snapshot had, and keeps that input afterwards
  // (changing it would resubscribe every tick); reconnects resume via the tracked ids.
  const [startAfter, setStartAfter] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    if (startAfter === undefined && query.data) setStartAfter(query.data.tickId);
  }, [startAfter, query.data]);

  const sub = useSubscription(
    trpc.topologyMap.live.subscriptionOptions(startAfter !== undefined ? { lastEventId: startAfter } : skipToken, {
      onData: (tracked) => qc.setQueryData(snapshotKey, tracked.data),
    }),
  );
  useResubscribeOnError(sub);
  return { query, liveStatus: sub.status };
}

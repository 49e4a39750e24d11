'use client';

import { skipToken, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useEffect, useState } from 'react';
import type { TopologyMap } from '@/server/services/topology/topology-map';
import { applyFeedMessage } from '@/server/live/topology-delta';
import { useTRPC } from '@/components/trpc/client';
import { useResubscribeOnError } from '@/components/ui/use-resubscribe';

/**
 * The topology snapshot of the latest tick, kept current by the live feed. The placement view and
 * anything else that draws the fleet read it through this hook, so how the feed travels (a
 * snapshot, then per tick only what changed) is this file's business only.
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
      onData: (tracked) => {
        const next = applyFeedMessage<TopologyMap>(qc.getQueryData(snapshotKey), tracked.data);
        // A delta made for a tick this page does not hold (one was missed): read the whole map
        // again; the deltas that follow apply onto it.
        if (next === 'resync') void qc.refetchQueries({ queryKey: snapshotKey, exact: true });
        else qc.setQueryData(snapshotKey, next);
      },
    }),
  );
  useResubscribeOnError(sub);
  return { query, liveStatus: sub.status };
}

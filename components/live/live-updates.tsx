'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import type { LiveEventData } from '@/server/live/topics';
import type { OverviewData } from '@/server/services/topology/topology';
import { useTRPC } from '@/components/trpc/client';
import { useSessionUser } from '@/components/shell/session-user';
import { mergeServiceChange, planLiveEvent } from './apply-event';
import styles from '@/components/shell/shell.module.css';
import { useResubscribeOnError } from '@/components/ui/use-resubscribe';

/** After a fatal subscription error (e.g. a server restart mid-handshake), try again this soon. */
/**
 * Subscribes to the change feed and applies each event to the react-query cache; renders the
 * connection indicator. httpSubscriptionLink resends the last tracked id on reconnect, so
 * events missed while offline arrive as a backlog.
 */
export function LiveUpdates() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const me = useSessionUser();
  const [everConnected, setEverConnected] = useState(false);
  const meRef = useRef(me);
  useEffect(() => {
    meRef.current = me;
  }, [me]);

  function apply(event: LiveEventData) {
    if (event.topic === 'service.changed') {
      queryClient.setQueryData<OverviewData>(trpc.topology.overview.queryKey(), (old) => (old ? mergeServiceChange(old, event.payload) : old));
    }
    for (const path of planLiveEvent(event).invalidate) {
      // tRPC query keys start with the procedure path, so a shorter path matches all below it.
      void queryClient.invalidateQueries({ queryKey: [path] });
    }
    // My own role or status changed: re-render the server layout (nav, role badge, access).
    if (event.topic === 'user.changed' && event.payload.id === meRef.current.id) router.refresh();
  }

  const sub = useSubscription(trpc.live.events.subscriptionOptions({}, { onData: (tracked) => apply(tracked.data) }));

  useEffect(() => {
    if (sub.status === 'pending') setEverConnected(true);
  }, [sub.status]);
  useResubscribeOnError(sub);

  const live = sub.status === 'pending';
  const text = live ? 'Live' : everConnected ? 'Reconnecting…' : 'Connecting…';
  return (
    <span
      role="status"
      className={`${styles.live} ${live ? styles.liveOn : styles.liveOff}`}
      title={live ? 'Receiving changes as they happen' : 'Live updates paused; the page will catch up when the connection is back'}
    >
      {text}
    </span>
  );
}
